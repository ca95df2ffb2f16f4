from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from project.search import search
from recipes.models import RECIPE_SEARCH_FIELDS, Recipe

User = get_user_model()

# allauth provider id for each network we post to / read friends from
PROVIDER_IDS = {"twitter": "twitter_oauth2", "facebook": "facebook"}


def recipe_list(*, username: str | None = None) -> QuerySet[Recipe]:
    recipes = Recipe.objects.select_related("user")
    return recipes.filter(user__username=username) if username else recipes


def recipe_search(*, viewer, query: str, username: str | None = None) -> QuerySet[Recipe]:
    """Recipes (all public) matching `query`, best first."""
    return search(recipe_list(username=username), RECIPE_SEARCH_FIELDS, query)


def recipe_get(pk: int) -> Recipe:
    try:
        return Recipe.objects.select_related("user").prefetch_related("crossposts").get(pk=pk)
    except Recipe.DoesNotExist:
        raise Http404("No such recipe.") from None


def recipe_get_owned(pk: int, owner: AbstractBaseUser) -> Recipe:
    """Another user's recipe is a 404, never a 403."""
    recipe = recipe_get(pk)
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


def recipe_as_json_ld(recipe: Recipe) -> dict:
    """schema.org/Recipe, as recipe sites and managers (Tandoor, Mealie) import it."""
    from django.conf import settings

    data = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": recipe.title,
        "author": {"@type": "Person", "name": recipe.user.username},
        "datePublished": recipe.created_on.isoformat(),
        "dateModified": recipe.updated_on.isoformat(),
        "url": settings.SITE_URL.rstrip("/") + recipe.get_absolute_url(),
        "recipeIngredient": recipe.ingredient_list(),
        "recipeInstructions": [
            {"@type": "HowToStep", "text": step.strip()}
            for step in recipe.instructions.split("\n\n")
            if step.strip()
        ],
    }
    if recipe.servings:
        data["recipeYield"] = str(recipe.servings)
    if recipe.total_time_minutes:
        data["totalTime"] = f"PT{recipe.total_time_minutes}M"
    return data


def recipe_export_for_user(user_id: int):
    """A user's recipes for their data export: each as schema.org JSON-LD
    (`recipes/<id>.jsonld`) and their cross-post records (recipes/crossposts.json)."""
    from project.export import json_bytes
    from recipes.models import CrossPost

    recipes = Recipe.objects.filter(user_id=user_id).select_related("user").order_by("pk")
    for recipe in recipes:
        yield f"recipes/{recipe.pk}.jsonld", json_bytes(recipe_as_json_ld(recipe))
    crossposts = CrossPost.objects.filter(recipe__user_id=user_id).order_by("recipe_id", "provider")
    yield (
        "recipes/crossposts.json",
        json_bytes(
            list(
                crossposts.values("recipe_id", "provider", "status", "remote_id", "text", "sent_on")
            )
        ),
    )
