from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from project.search import search
from recipes import units
from recipes.models import (
    RECIPE_SEARCH_FIELDS,
    Cooked,
    Favourite,
    Rating,
    Recipe,
    ShoppingItem,
    ShoppingList,
    Tag,
)

User = get_user_model()

# allauth provider id for each network we post to / read friends from
PROVIDER_IDS = {"twitter": "twitter_oauth2", "facebook": "facebook"}


def _visible(viewer: AbstractBaseUser | None, *, listed: bool) -> Q:
    """Who sees what. Lists show public recipes, plus the viewer's own and those shared
    with them; a link opens unlisted ones too. Private ones reach nobody else."""
    open_to_all = [Recipe.Visibility.PUBLIC]
    if not listed:
        open_to_all.append(Recipe.Visibility.UNLISTED)
    condition = Q(visibility__in=open_to_all)
    if viewer is not None and viewer.is_authenticated:
        shared = Recipe.shared_with.through.objects.filter(user_id=viewer.pk)
        condition |= Q(user_id=viewer.pk) | Q(pk__in=shared.values("recipe_id"))
    return condition


def recipe_list(
    *,
    viewer: AbstractBaseUser | None = None,
    username: str | None = None,
    tag: str | None = None,
    max_total_time: int | None = None,
    servings: int | None = None,
) -> QuerySet[Recipe]:
    """Newest first, with their tags, as `viewer` may see them in a list (anonymous
    when None); each filter only when given."""
    recipes = Recipe.objects.filter(_visible(viewer, listed=True))
    recipes = recipes.select_related("user").prefetch_related("tags")
    if username:
        recipes = recipes.filter(user__username=username)
    if tag:
        recipes = recipes.filter(tags__slug=tag)
    if max_total_time:
        recipes = recipes.filter(total_time_minutes__lte=max_total_time)
    if servings:
        recipes = recipes.filter(servings=servings)
    return recipes


def recipe_search(*, viewer, query: str, **filters) -> QuerySet[Recipe]:
    """Recipes this viewer may see in a list (recipe_list's filters) matching `query`,
    best first: others' private and unlisted ones are never found."""
    recipes = search(recipe_list(viewer=viewer, **filters), RECIPE_SEARCH_FIELDS, query)
    # What the API's recipe shape shows, fetched once per page rather than per recipe.
    return recipes.prefetch_related("crossposts", "ingredient_rows", "steps", "shared_with")


def tag_get(slug: str) -> Tag:
    try:
        return Tag.objects.get(slug=slug)
    except Tag.DoesNotExist:
        raise Http404("No such tag.") from None


def tag_list() -> QuerySet[Tag]:
    """Tags in use, by name, with how many recipes carry each."""
    public = Q(recipes__visibility=Recipe.Visibility.PUBLIC)
    tags = Tag.objects.annotate(recipe_count=Count("recipes", filter=public))
    tags = tags.filter(recipe_count__gt=0)
    return tags.order_by("name")


def recipe_visible(viewer: AbstractBaseUser | None) -> QuerySet[Recipe]:
    """Every recipe `viewer` may open by its link (lists use recipe_list)."""
    return Recipe.objects.filter(_visible(viewer, listed=False))


def recipe_get(pk: int, *, viewer: AbstractBaseUser | None) -> Recipe:
    """A recipe `viewer` may open; a private one of someone else is a 404."""
    try:
        return (
            recipe_visible(viewer)
            .select_related("user")
            .prefetch_related("crossposts", "ingredient_rows", "steps", "tags")
            .get(pk=pk)
        )
    except Recipe.DoesNotExist:
        raise Http404("No such recipe.") from None


def recipe_get_owned(pk: int, owner: AbstractBaseUser) -> Recipe:
    """Another user's recipe is a 404, never a 403."""
    recipe = recipe_get(pk, viewer=owner)
    if recipe.user_id != owner.pk:
        raise Http404("No such recipe.")
    return recipe


def social_login_configured(request, provider: str) -> bool:
    """Whether sign-in with `provider` ("twitter" or "facebook") is set up on this site:
    its app credentials are in the settings (X_CLIENT_ID, FACEBOOK_APP_ID) or the admin."""
    from allauth.socialaccount.adapter import get_adapter

    return bool(get_adapter(request).list_apps(request, provider=PROVIDER_IDS[provider]))


def social_account(user: AbstractBaseUser, provider: str):
    """The user's connected account on `provider` ("twitter" or "facebook"), or None."""
    from allauth.socialaccount.models import SocialAccount

    if not user.is_authenticated:
        return None
    return SocialAccount.objects.filter(user=user, provider=PROVIDER_IDS[provider]).first()


def social_token(user: AbstractBaseUser, provider: str) -> str | None:
    from allauth.socialaccount.models import SocialToken

    token = (
        SocialToken.objects.filter(account__user=user, account__provider=PROVIDER_IDS[provider])
        .values_list("token", flat=True)
        .first()
    )
    return token or None


def connected_providers(user: AbstractBaseUser) -> set[str]:
    from allauth.socialaccount.models import SocialAccount

    if not user.is_authenticated:
        return set()
    by_id = {v: k for k, v in PROVIDER_IDS.items()}
    return {
        by_id[p]
        for p in SocialAccount.objects.filter(user=user).values_list("provider", flat=True)
        if p in by_id
    }


def users_with_remote_ids(
    provider: str, remote_ids: list[str], *, exclude: AbstractBaseUser
) -> QuerySet:
    """Local users whose connected `provider` account id is among `remote_ids`."""
    return (
        User.objects.filter(
            socialaccount__provider=PROVIDER_IDS[provider], socialaccount__uid__in=remote_ids
        )
        .exclude(pk=exclude.pk)
        .distinct()
        .order_by("username")
    )


def recipe_scaled_ingredients(
    recipe: Recipe, *, servings: int | None = None, system: str | None = None
) -> list[dict]:
    """The recipe's ingredients for `servings` (its own when None), in `system`
    ("metric", "us" or None for the units as written). Uses prefetched rows."""
    factor = units.scale_factor(recipe.servings, servings)
    scaled = []
    for row in recipe.ingredient_rows.all():
        amount = units.Amount(row.quantity, row.quantity_max, row.unit)
        amount = units.convert(units.scale(amount, factor), system)
        scaled.append(
            {
                "quantity": amount.quantity,
                "quantity_max": amount.quantity_max,
                "quantity_text": amount.text,
                "unit": amount.unit,
                "food": row.food,
                "note": row.note,
                "original_text": row.original_text,
            }
        )
    return scaled


def recipe_reactions(recipe: Recipe, viewer: AbstractBaseUser) -> dict:
    """Average stars and how many rated; the viewer's stars, favourite and cooking log."""
    summary = Rating.objects.filter(recipe=recipe).aggregate(
        average=Avg("stars"), count=Count("id")
    )
    mine: dict = {"stars": None, "favourite": False, "cooked": []}
    if viewer.is_authenticated:
        mine["stars"] = (
            Rating.objects.filter(recipe=recipe, user=viewer)
            .values_list("stars", flat=True)
            .first()
        )
        mine["favourite"] = Favourite.objects.filter(recipe=recipe, user=viewer).exists()
        mine["cooked"] = list(Cooked.objects.filter(recipe=recipe, user=viewer)[:10])
    average = summary["average"]
    return {
        "average_stars": round(float(average), 1) if average is not None else None,
        "rating_count": summary["count"],
        "my_stars": mine["stars"],
        "favourite": mine["favourite"],
        "cooked": mine["cooked"],
    }


def favourite_recipes(viewer: AbstractBaseUser) -> QuerySet[Recipe]:
    """The viewer's favourites they may still open, most recently marked first."""
    return (
        recipe_visible(viewer)
        .filter(favourites__user=viewer)
        .select_related("user")
        .prefetch_related("tags")
        .order_by("-favourites__created_on", "-id")
    )


def shopping_lists(owner: AbstractBaseUser) -> QuerySet[ShoppingList]:
    return ShoppingList.objects.filter(user_id=owner.pk).prefetch_related(
        "items", "entries__recipe"
    )


def shopping_list_get(pk: int, owner: AbstractBaseUser) -> ShoppingList:
    """Someone else's list is a 404."""
    found = shopping_lists(owner).filter(pk=pk).first()
    if found is None:
        raise Http404("No such shopping list.")
    return found


def shopping_item_get(pk: int, owner: AbstractBaseUser) -> ShoppingItem:
    found = (
        ShoppingItem.objects.select_related("shopping_list")
        .filter(pk=pk, shopping_list__user_id=owner.pk)
        .first()
    )
    if found is None:
        raise Http404("No such item.")
    return found


def friends_described(viewer: AbstractBaseUser, provider: str, friends: list) -> list[dict]:
    """Each friend with the network, their name there and whether the viewer follows
    them here (two queries, whatever the number of friends)."""
    from allauth.socialaccount.models import SocialAccount

    from social import selectors as social_selectors

    ids = [friend.pk for friend in friends]
    accounts = SocialAccount.objects.filter(provider=PROVIDER_IDS[provider], user_id__in=ids)
    names = {}
    for account in accounts.only("user_id", "extra_data"):
        data = account.extra_data if isinstance(account.extra_data, dict) else {}
        data = data.get("data", data) if isinstance(data.get("data"), dict) else data
        names[account.user_id] = str(data.get("username") or data.get("name") or "")[:100]
    following = social_selectors.followed_ids(viewer, ids)
    return [
        {
            "id": friend.pk,
            "username": friend.username,
            "provider": provider,
            "screen_name": names.get(friend.pk, ""),
            "is_following": friend.pk in following,
        }
        for friend in friends
    ]


def recipe_export_for_user(user_id: int):
    """A user's recipes for their data export: each as schema.org JSON-LD
    (`recipes/<id>.jsonld`) and their cross-post records (recipes/crossposts.json)."""
    from project.export import json_bytes
    from recipes.models import CrossPost
    from recipes.schema_org import recipe_jsonld

    recipes = Recipe.objects.filter(user_id=user_id).select_related("user").order_by("pk")
    recipes = recipes.prefetch_related("ingredient_rows", "steps", "tags")
    for recipe in recipes:
        url = settings.SITE_URL.rstrip("/") + recipe.get_absolute_url()
        yield f"recipes/{recipe.pk}.jsonld", json_bytes(recipe_jsonld(recipe, url=url))
    crossposts = CrossPost.objects.filter(recipe__user_id=user_id).order_by("recipe_id", "provider")
    yield (
        "recipes/crossposts.json",
        json_bytes(
            list(
                crossposts.values("recipe_id", "provider", "status", "remote_id", "text", "sent_on")
            )
        ),
    )


def recipe_activity_cards(ids: list[int]) -> dict[int, dict]:
    """The public recipes among `ids` as cards for social's activity stream, one query;
    unlisted, private and deleted ones are left out."""
    recipes = Recipe.objects.filter(pk__in=ids, visibility=Recipe.Visibility.PUBLIC)
    return {
        recipe.pk: {
            "title": recipe.summarize(),
            "url": recipe.get_absolute_url(),
            "text": "",
            "image_url": "",
            "image_alt": "",
        }
        for recipe in recipes.only("pk", "title")
    }
