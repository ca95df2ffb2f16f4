"""Writes for recipes, their cross-posts, and the common-friends lookup."""

import logging
import re
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from project import pagecache
from project.cache import optional_read, optional_write
from project.deletion import delete_or_404
from project.tags import tags_by_slug
from recipes import selectors, units
from recipes.clients import FacebookClient, RemoteError, XClient
from recipes.ingredients import format_quantity, parse_ingredients
from recipes.models import (
    Cooked,
    CrossPost,
    Favourite,
    Ingredient,
    Rating,
    Recipe,
    ShoppingItem,
    ShoppingList,
    ShoppingListRecipe,
    Step,
    Tag,
)
from recipes.steps import join_steps, minutes_in, split_steps

logger = logging.getLogger(__name__)

# X counts every link as 23 characters (t.co), so the summary may take 280 - 1 - 23.
TWEET_LINK_LENGTH = 23
TWEET_LIMIT = 280
RECIPE_FIELDS = (
    "title",
    "ingredients",
    "instructions",
    "servings",
    "prep_time_minutes",
    "cook_time_minutes",
    "total_time_minutes",
    "source_url",
    "visibility",
)


class NotConnected(Exception):
    def __init__(self, provider: str) -> None:
        self.provider = provider
        label = {"twitter": "X", "facebook": "Facebook"}.get(provider, provider)
        super().__init__(f"Connect your {label} account first.")


def facebook_page_configured() -> bool:
    return bool(settings.FACEBOOK_PAGE_ID and settings.FACEBOOK_PAGE_TOKEN)


def available_crosspost_providers(user: AbstractBaseUser) -> list[str]:
    """Where this user's new recipes can be announced."""
    providers = []
    if "twitter" in selectors.connected_providers(user):
        providers.append(CrossPost.Provider.TWITTER)
    if facebook_page_configured():
        providers.append(CrossPost.Provider.FACEBOOK)
    return providers


# twitter-text v3 (X's own counting): code points in these ranges weigh 1, all others 2;
# an emoji sequence (ZWJ joins, skin tones, flags) weighs 2 as a whole; a URL weighs 23.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_EMOJI_JOINERS = {0x200D, 0xFE0F, 0xFE0E} | set(range(0x1F3FB, 0x1F400))  # ZWJ, selectors, tones


def _weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


def _is_emoji(code: int) -> bool:
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x1F1E6 <= code <= 0x1F1FF


def _weighted_units(text: str) -> list[tuple[str, int]]:
    """The text as (piece, weight): whole emoji sequences and URLs are one piece each."""
    units_: list[tuple[str, int]] = []
    position = 0
    for match in [*_URL.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk, index = text[position:end], 0
        while index < len(chunk):
            char = chunk[index]
            if _is_emoji(ord(char)):
                start = index
                index += 1
                while index < len(chunk) and (
                    ord(chunk[index]) in _EMOJI_JOINERS
                    or (ord(chunk[index - 1]) == 0x200D and _is_emoji(ord(chunk[index])))
                    or (0x1F1E6 <= ord(chunk[index]) <= 0x1F1FF and index - start == 1)
                ):
                    index += 1
                units_.append((chunk[start:index], 2))
                continue
            units_.append((char, _weight(char)))
            index += 1
        if match:
            units_.append((match.group(), TWEET_LINK_LENGTH))
            position = match.end()
    return units_


def tweet_length(text: str) -> int:
    """The length X counts for `text` (NFC-normalised, like twitter-text)."""
    import unicodedata

    return sum(weight for _, weight in _weighted_units(unicodedata.normalize("NFC", text)))


def _cut_to_weight(text: str, limit: int) -> str:
    """The longest start of `text` weighing at most `limit`, cut back to a space if any."""
    kept, total = [], 0
    for piece, weight in _weighted_units(text):
        if total + weight > limit:
            break
        kept.append(piece)
        total += weight
    cut = "".join(kept)
    return cut[: cut.rindex(" ")] if " " in cut else cut


def crosspost_marker() -> str:
    """A fresh marker for one announcement; it travels in the link's fragment."""
    return f"bp-{secrets.token_hex(6)}"


def crosspost_text(recipe: Recipe, *, marker: str) -> str:
    """The book's summary and the link, within X's limit as X weighs text (CJK and
    emoji count 2, the link 23): the summary is cut back further when it weighs more."""
    url = f"{settings.SITE_URL.rstrip('/')}{recipe.get_absolute_url()}#{marker}"
    room = TWEET_LIMIT - 1 - TWEET_LINK_LENGTH
    summary = recipe.summarize(room - 3)
    if tweet_length(summary) > room:
        summary = _cut_to_weight(recipe.title, room - 3) + "..."
    return f"{summary} {url}"


# --- ingredients -----------------------------------------------------------------------------

INGREDIENT_FIELDS = ("quantity", "quantity_max", "unit", "food", "note", "original_text")


def ingredient_line(row: dict | Ingredient) -> str:
    """A row written out as a line, for rows typed in parts (no original text)."""
    get = row.get if isinstance(row, dict) else lambda name, default=None: getattr(row, name)
    quantity = format_quantity(get("quantity"))
    if get("quantity_max") is not None:
        quantity = f"{quantity}-{format_quantity(get('quantity_max'))}"
    note = get("note", "")
    words = [quantity, get("unit", ""), get("food", "")]
    line = " ".join(word for word in words if word)
    return f"{line}, {note}" if note else line


def _ingredient_rows(recipe: Recipe, rows: list[dict]) -> list[Ingredient]:
    built = []
    for position, row in enumerate(rows):
        values = {k: v for k, v in row.items() if k in INGREDIENT_FIELDS}
        values["original_text"] = (values.get("original_text") or "").strip() or ingredient_line(
            values
        )
        ingredient = Ingredient(recipe=recipe, position=position, **values)
        ingredient.full_clean(exclude=["recipe"])
        built.append(ingredient)
    return built


def rows_from_text(text: str) -> list[dict]:
    """Pasted free-text lines as rows the user can correct."""
    return [
        {name: getattr(parsed, name) for name in INGREDIENT_FIELDS}
        for parsed in parse_ingredients(text)
    ]


def _ingredients_replace(recipe: Recipe, rows: list[dict]) -> None:
    built = _ingredient_rows(recipe, rows)
    recipe.ingredient_rows.all().delete()
    Ingredient.objects.bulk_create(built)
    text = "\n".join(row.original_text for row in built)
    if recipe.ingredients != text:
        recipe.ingredients = text
        recipe.save(update_fields=["ingredients", "updated_on"])


@transaction.atomic
def ingredients_set(*, recipe: Recipe, by: AbstractBaseUser, rows: list[dict]) -> Recipe:
    """Replace the recipe's ingredient rows (the user's corrections); the text follows."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    if not rows:
        raise ValidationError({"ingredient_rows": "Add at least one ingredient."}, code="required")
    _ingredients_replace(recipe, rows)
    pagecache.invalidate_on_commit("recipes")
    return recipe


def ingredients_text_sync(*, recipe: Recipe, reparse: bool) -> None:
    """After a save that bypassed the services (the admin): parse the text into rows
    (`reparse`), or write the rows' lines back into the text."""
    if reparse or not recipe.ingredient_rows.exists():
        _ingredients_replace(recipe, rows_from_text(recipe.ingredients))
    else:
        rows = [{k: getattr(r, k) for k in INGREDIENT_FIELDS} for r in recipe.ingredient_rows.all()]
        _ingredients_replace(recipe, rows)


def _prepare_ingredients(recipe: Recipe, rows: list[dict] | None) -> list[dict] | None:
    """Rows given win; otherwise the text is parsed. The text must exist before full_clean."""
    if rows is not None:
        recipe.ingredients = "\n".join(
            (row.get("original_text") or "").strip() or ingredient_line(row) for row in rows
        )
        return rows
    return None


# --- tags ------------------------------------------------------------------------------------

MAX_TAGS = 20


def tags_for_names(names: list[str]) -> list[Tag]:
    """The tags named (created when new; "Vegan" and "vegan" are one tag, project.tags),
    race-safe."""
    by_slug = tags_by_slug(names, max_tags=MAX_TAGS)
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in by_slug.items()], ignore_conflicts=True
    )
    return list(Tag.objects.filter(slug__in=by_slug))


# --- sharing ---------------------------------------------------------------------------------

MAX_SHARES = 50


def _share_targets(usernames: list[str], *, owner: AbstractBaseUser) -> list:
    """The users named (each must exist; the owner is left out)."""
    from django.contrib.auth import get_user_model

    names = list(dict.fromkeys(str(name).strip() for name in usernames if str(name).strip()))
    if len(names) > MAX_SHARES:
        raise ValidationError({"shared_with": f"Share with at most {MAX_SHARES} people."})
    users = list(get_user_model().objects.filter(username__in=names).exclude(pk=owner.pk))
    missing = set(names) - {user.username for user in users} - {owner.get_username()}
    if missing:
        listed = ", ".join(sorted(missing)[:5])
        raise ValidationError({"shared_with": f"No such user: {listed}."}, code="unknown_user")
    return users


# --- steps -----------------------------------------------------------------------------------


def steps_from_text(text: str) -> list[dict]:
    """Pasted instructions as numbered steps, each with the time it names, if any."""
    return [{"text": step, "minutes": minutes_in(step)} for step in split_steps(text)]


def _steps_replace(recipe: Recipe, steps: list[dict]) -> None:
    # A step whose text stays keeps its picture.
    pictures = {step.text: step.image.name for step in recipe.steps.all() if step.image}
    built = []
    for position, step in enumerate(steps):
        text = (step.get("text") or "").strip()
        row = Step(
            recipe=recipe,
            position=position,
            text=text,
            minutes=step.get("minutes"),
            image=pictures.get(text, ""),
        )
        row.full_clean(exclude=["recipe"])
        built.append(row)
    recipe.steps.all().delete()
    Step.objects.bulk_create(built)
    text = join_steps([row.text for row in built])
    if recipe.instructions != text:
        recipe.instructions = text
        recipe.save(update_fields=["instructions", "updated_on"])


@transaction.atomic
def steps_set(*, recipe: Recipe, by: AbstractBaseUser, steps: list[dict]) -> Recipe:
    """Replace the steps (order, text, times); the instructions text follows."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    if not steps:
        raise ValidationError({"steps": "Add at least one step."}, code="required")
    _steps_replace(recipe, steps)
    pagecache.invalidate_on_commit("recipes")
    return recipe


def steps_text_sync(*, recipe: Recipe, reparse: bool) -> None:
    """The admin's counterpart of ingredients_text_sync."""
    if reparse or not recipe.steps.exists():
        _steps_replace(recipe, steps_from_text(recipe.instructions))
    else:
        rows = [{"text": step.text, "minutes": step.minutes} for step in recipe.steps.all()]
        _steps_replace(recipe, rows)


def _fill_total_time(recipe: Recipe) -> None:
    """Prep and cook time are kept apart; the total is their sum unless given."""
    if recipe.total_time_minutes is None and (recipe.prep_time_minutes or recipe.cook_time_minutes):
        recipe.total_time_minutes = (recipe.prep_time_minutes or 0) + (
            recipe.cook_time_minutes or 0
        )


def _prepare_steps(recipe: Recipe, steps: list[dict] | None) -> None:
    if steps is not None:
        recipe.instructions = join_steps([(s.get("text") or "").strip() for s in steps])


@transaction.atomic
def recipe_create(
    *,
    user: AbstractBaseUser,
    share_on: list[str] | None = None,
    ingredient_rows: list[dict] | None = None,
    steps: list[dict] | None = None,
    tags: list[str] | None = None,
    shared_with: list[str] | None = None,
    **fields,
) -> Recipe:
    """Save the recipe and queue one announcement per chosen network, after commit.
    The recipe is saved whatever the networks do later."""
    recipe = Recipe(user=user, **{k: v for k, v in fields.items() if k in RECIPE_FIELDS})
    rows = _prepare_ingredients(recipe, ingredient_rows)
    _prepare_steps(recipe, steps)
    _fill_total_time(recipe)
    recipe.full_clean()
    recipe.save()
    _ingredients_replace(recipe, rows if rows is not None else rows_from_text(recipe.ingredients))
    _steps_replace(recipe, steps if steps is not None else steps_from_text(recipe.instructions))
    if tags:
        recipe.tags.set(tags_for_names(tags))
    if shared_with:
        recipe.shared_with.set(_share_targets(shared_with, owner=user))
    pagecache.invalidate_on_commit("recipes")
    if recipe.visibility != Recipe.Visibility.PUBLIC:
        return recipe  # unlisted and private recipes are never announced
    available = available_crosspost_providers(user)
    # Each network once, however often a client names it (one CrossPost row per network).
    chosen = available if share_on is None else [p for p in available if p in share_on]
    for provider in chosen:
        text = crosspost_text(recipe, marker=crosspost_marker())
        crosspost = CrossPost.objects.create(recipe=recipe, provider=provider, text=text)
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
    return recipe


@transaction.atomic
def recipe_update(
    *,
    recipe: Recipe,
    by: AbstractBaseUser,
    ingredient_rows: list[dict] | None = None,
    steps: list[dict] | None = None,
    tags: list[str] | None = None,
    shared_with: list[str] | None = None,
    **fields,
) -> Recipe:
    """Edits never post anything. New ingredient text (or instructions) is parsed into
    fresh rows (steps); rows given (corrections) replace the old ones and rewrite the text."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    old_text, old_instructions = recipe.ingredients, recipe.instructions
    for name, value in fields.items():
        if name in RECIPE_FIELDS:
            setattr(recipe, name, value)
    rows = _prepare_ingredients(recipe, ingredient_rows)
    _prepare_steps(recipe, steps)
    recipe.full_clean()
    recipe.save()
    if rows is not None:
        _ingredients_replace(recipe, rows)
    elif recipe.ingredients != old_text or not recipe.ingredient_rows.exists():
        _ingredients_replace(recipe, rows_from_text(recipe.ingredients))
    if steps is not None:
        _steps_replace(recipe, steps)
    elif recipe.instructions != old_instructions or not recipe.steps.exists():
        _steps_replace(recipe, steps_from_text(recipe.instructions))
    if tags is not None:
        recipe.tags.set(tags_for_names(tags))
    if shared_with is not None:
        recipe.shared_with.set(_share_targets(shared_with, owner=by))
    pagecache.invalidate_on_commit("recipes")
    return recipe


@transaction.atomic
def recipe_delete(*, recipe: Recipe, by: AbstractBaseUser) -> None:
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can delete this recipe.")
    delete_or_404(recipe)
    pagecache.invalidate_on_commit("recipes")


# --- import --------------------------------------------------------------------------------


def recipe_import(*, user: AbstractBaseUser, url: str = "", paste: str = "") -> Recipe:
    """A recipe from another site's page (fetched with the SSRF guard, bounded in time
    and size) or from pasted HTML or JSON-LD. Imports are not announced anywhere."""
    from project.urlsafety import FetchError, UnsafeURL, fetch_public_url
    from recipes.importer import NoRecipeFound, recipe_data_from_html, recipe_data_from_paste

    field = "url" if url else "paste"
    try:
        if url:
            page = fetch_public_url(
                url,
                timeout=settings.RECIPES_IMPORT_TIMEOUT_SECONDS,
                max_bytes=settings.RECIPES_IMPORT_MAX_BYTES,
            )
            data = recipe_data_from_html(page.text, page.url)
            data["source_url"] = url if len(url) <= 2048 else ""
        elif paste.strip():
            data = recipe_data_from_paste(paste)
        else:
            raise ValidationError({"url": "Give a URL or paste a page."}, code="required")
    except (UnsafeURL, FetchError, NoRecipeFound) as error:
        raise ValidationError({field: str(error)}, code="import_failed") from None
    return recipe_create(user=user, share_on=[], **data)


# --- cross-posting ---------------------------------------------------------------------------
#
# Delivery is at least once (acks_late, redelivery after a lost worker or broker), so every
# step is idempotent. The row is claimed (`sending`, `claimed_on`) before the network call.
# A claim younger than the lease (the task's hard time limit plus a margin) may still be
# running: nobody else posts for that row until it expires. After it expires, or after a
# failed attempt, the next attempt first looks for the post by the row's unique marker.


class ClaimHeld(Exception):
    """Another attempt claimed this row moments ago and may still be posting."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"claimed by another attempt; try again in {wait:.0f}s")
        self.wait = wait


def _lease_left(crosspost: CrossPost, now) -> float:
    """Seconds the current claim still holds the row (0 when free)."""
    if crosspost.status != CrossPost.Status.SENDING or crosspost.claimed_on is None:
        return 0.0
    age = (now - crosspost.claimed_on).total_seconds()
    return max(0.0, settings.RECIPES_CROSSPOST_LEASE_SECONDS - age)


def _claim(crosspost_id: int) -> tuple[CrossPost | None, bool]:
    """Lock the row and take it for one attempt. Returns (crosspost or None if nothing to
    do, whether an earlier attempt may already have reached the network). Raises
    ClaimHeld while another attempt's claim is still live."""
    with transaction.atomic():
        crosspost = (
            CrossPost.objects.select_for_update()
            .select_related("recipe")
            .filter(pk=crosspost_id)
            .first()
        )
        if crosspost is None or crosspost.is_final:
            return None, False
        now = timezone.now()
        if wait := _lease_left(crosspost, now):
            raise ClaimHeld(wait)
        maybe_sent = crosspost.status == CrossPost.Status.SENDING
        crosspost.status = CrossPost.Status.SENDING
        crosspost.attempts += 1
        crosspost.claimed_on = now
        crosspost.save(update_fields=["status", "attempts", "claimed_on"])
        return crosspost, maybe_sent


def _finish(crosspost: CrossPost, status: str, *, remote_id: str = "", error: str = "") -> None:
    crosspost.status, crosspost.remote_id, crosspost.last_error = status, remote_id, error
    crosspost.sent_on = timezone.now() if status == CrossPost.Status.SENT else None
    crosspost.save(update_fields=["status", "remote_id", "last_error", "sent_on"])


def _release(crosspost: CrossPost, error: str) -> None:
    """A failed attempt that may still have posted: keep `sending` (the next attempt
    looks before it posts) and end the lease so that attempt may start at once."""
    crosspost.last_error = error
    crosspost.claimed_on = timezone.now() - timedelta(
        seconds=settings.RECIPES_CROSSPOST_LEASE_SECONDS
    )
    crosspost.save(update_fields=["last_error", "claimed_on"])


class _Network:
    """Post to, and look up on, the crosspost's network."""

    def __init__(self, crosspost: CrossPost, post, posts_since) -> None:
        self.crosspost, self._post, self._posts_since = crosspost, post, posts_since

    def post(self) -> str:
        return self._post(self.crosspost.text)

    def find(self) -> str | None:
        """The remote id of the post carrying this row's marker, if it exists. Reads the
        timeline from just before the row was created (X's and Graph's clocks may
        differ from ours by a little), every page."""
        marker = self.crosspost.marker
        if not marker:  # rows written before markers: match the whole text
            marker = self.crosspost.text
        since = self.crosspost.created_on - timedelta(minutes=5)
        posts = self._posts_since(since, max_pages=settings.RECIPES_LOOKUP_MAX_PAGES)
        return next((post.id for post in posts if post.mentions(marker)), None)


class ReconnectNeeded(RemoteError):
    """X no longer accepts the refresh token: only the user can reconnect."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"X refused to refresh the access token ({reason}).", status=401)


# Refresh this long before X's expiry, so a token does not lapse during the request.
X_TOKEN_MARGIN = timedelta(minutes=2)


def x_access_token(user: AbstractBaseUser, *, force: bool = False) -> str | None:
    """The user's X access token, refreshed first when it has expired (X's last about
    2 hours) or `force` says X refused it. None when X is not connected; raises
    ReconnectNeeded when X refuses the refresh token, RemoteError when X is down."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialToken

    provider = selectors.PROVIDER_IDS["twitter"]
    tokens = SocialToken.objects.filter(account__user=user, account__provider=provider)
    current = tokens.first()
    if current is None or not current.token:
        return None
    if not force and not _x_token_expired(current):
        return current.token
    with transaction.atomic():
        locked = tokens.select_for_update().filter(pk=current.pk).first()
        if locked is None:
            return None
        if locked.token != current.token and not _x_token_expired(locked):
            return locked.token  # another worker refreshed it meanwhile
        if not locked.token_secret:
            raise ReconnectNeeded("no refresh token was granted")
        apps = get_adapter().list_apps(None, provider=provider)
        if not apps:
            raise ReconnectNeeded("sign-in with X is not configured")
        try:
            answer = XClient.refresh(
                locked.token_secret, client_id=apps[0].client_id, secret=apps[0].secret
            )
        except RemoteError as error:
            if error.retryable:
                raise
            raise ReconnectNeeded(str(error)) from None
        if not isinstance(answer.get("access_token"), str) or not answer["access_token"]:
            raise RemoteError("X answered a refresh without an access token.")
        locked.token = answer["access_token"]
        locked.token_secret = answer.get("refresh_token") or locked.token_secret
        expires_in = answer.get("expires_in")
        locked.expires_at = (
            timezone.now() + timedelta(seconds=expires_in)
            if isinstance(expires_in, int) and expires_in > 0
            else None
        )
        locked.save(update_fields=["token", "token_secret", "expires_at"])
        return locked.token


def _x_token_expired(token) -> bool:
    return token.expires_at is not None and token.expires_at <= timezone.now() + X_TOKEN_MARGIN


class _RefreshingXClient:
    """XClient with the user's token, refreshed when expired and once more when X
    answers 401 to it (revoked early, clocks apart)."""

    def __init__(self, user: AbstractBaseUser) -> None:
        self.user, self.client = user, None

    def _call(self, name: str, *args, **kwargs):
        if self.client is None:  # here, so refresh errors are the call's errors
            self.client = XClient(x_access_token(self.user) or "")
        try:
            result = getattr(self.client, name)(*args, **kwargs)
            return list(result) if name == "posts_since" else result
        except RemoteError as error:
            if error.status != 401 or isinstance(error, ReconnectNeeded):
                raise
        self.client = XClient(x_access_token(self.user, force=True) or "")
        result = getattr(self.client, name)(*args, **kwargs)
        return list(result) if name == "posts_since" else result

    def post(self, text: str) -> str:
        return self._call("post", text)

    def posts_since(self, user_id: str, since, *, max_pages: int):
        return self._call("posts_since", user_id, since, max_pages=max_pages)

    def following_ids(self, user_id: str, *, max_pages: int) -> list[str]:
        return self._call("following_ids", user_id, max_pages=max_pages)


def _network(crosspost: CrossPost) -> _Network | None:
    """The crosspost's network, or None when the account or Page is not set up."""
    if crosspost.provider == CrossPost.Provider.TWITTER:
        account = selectors.social_account(crosspost.recipe.user, "twitter")
        token = selectors.social_token(crosspost.recipe.user, "twitter")
        if account is None or token is None:
            return None
        client = _RefreshingXClient(crosspost.recipe.user)
        return _Network(crosspost, client.post, partial(client.posts_since, account.uid))
    if not facebook_page_configured():
        return None
    facebook, page = FacebookClient(settings.FACEBOOK_PAGE_TOKEN), settings.FACEBOOK_PAGE_ID
    return _Network(
        crosspost,
        lambda text: facebook.post_to_page(page, text, crosspost.link),
        partial(facebook.page_posts_since, page),
    )


NOT_CONNECTED = "The account is not connected (or no Page is set up)."
DUPLICATE_NOTE = "X answered 'duplicate content': it was already posted."


def _is_duplicate(error: RemoteError) -> bool:
    return error.status in (400, 403) and "duplicate content" in str(error).lower()


def crosspost_send(*, crosspost_id: int) -> str:
    """Announce one recipe on one network, exactly once however often it runs.

    Raises RemoteError when a retry may help (5xx, timeouts, rate limits), ClaimHeld
    while another attempt holds the row; database errors propagate (the task retries
    them, and the row stays claimed, so the next attempt looks before it posts)."""
    crosspost, maybe_sent = _claim(crosspost_id)
    if crosspost is None:
        return "nothing to do"
    if crosspost.recipe.visibility != Recipe.Visibility.PUBLIC and not maybe_sent:
        _finish(crosspost, CrossPost.Status.SKIPPED, error="The recipe is no longer public.")
        return CrossPost.Status.SKIPPED
    network = _network(crosspost)
    if network is None:
        _finish(crosspost, CrossPost.Status.SKIPPED, error=NOT_CONNECTED)
        return CrossPost.Status.SKIPPED
    try:
        remote_id = network.find() if maybe_sent else None
        remote_id = remote_id or network.post()
    except RemoteError as error:
        if crosspost.provider == CrossPost.Provider.TWITTER and _is_duplicate(error):
            # X refuses the same text twice: it is already posted (by an attempt we lost
            # track of, or by hand). Record it as sent, with its id when X shows it.
            try:
                remote_id = network.find() or ""
            except RemoteError:
                remote_id = ""
            _finish(crosspost, CrossPost.Status.SENT, remote_id=remote_id, error=DUPLICATE_NOTE)
            return CrossPost.Status.SENT
        if not error.retryable:
            hint = " Reconnect your account." if error.status in (401, 403) else ""
            _finish(crosspost, CrossPost.Status.FAILED, error=f"{error}{hint}")
            return CrossPost.Status.FAILED
        if crosspost.attempts >= settings.RECIPES_CROSSPOST_MAX_ATTEMPTS:
            # Final, but the post may exist: the admin's retry looks it up first.
            text = f"Gave up after retries ({crosspost.attempts} attempts): {error}"
            _finish(crosspost, CrossPost.Status.FAILED, error=text)
            return CrossPost.Status.FAILED
        _release(crosspost, str(error))
        raise
    _finish(crosspost, CrossPost.Status.SENT, remote_id=remote_id)
    return CrossPost.Status.SENT


def crosspost_enqueue(crosspost_id: int) -> None:
    """Queue the send task. Never raises: with Celery eager (development) a network
    failure, and with a broker outage the publish, must not fail the page; the row
    stays retryable and the reconciliation (or the admin's retry) picks it up."""
    from recipes.tasks import crosspost_send_task

    try:
        crosspost_send_task.delay(crosspost_id=crosspost_id)
    except Exception as error:
        logger.warning("Cross-post %s not sent now (%r); it stays retryable.", crosspost_id, error)


def crosspost_resolve(*, crosspost_id: int) -> str:
    """Settle one announcement that may have reached the network: look for its post by
    the marker and record it as sent (with the remote id), or queue it again. Used by
    the periodic reconciliation and by the admin's retry action."""
    crosspost = CrossPost.objects.select_related("recipe").filter(pk=crosspost_id).first()
    if crosspost is None or crosspost.status in (CrossPost.Status.SENT, CrossPost.Status.SKIPPED):
        return "nothing to do"
    if _lease_left(crosspost, timezone.now()):
        return "busy"  # an attempt is running; it settles the row itself
    if crosspost.status == CrossPost.Status.PENDING:
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
        return "requeued"
    network = _network(crosspost)
    seen = CrossPost.objects.filter(
        pk=crosspost.pk, status=crosspost.status, claimed_on=crosspost.claimed_on
    )  # compare-and-set: changes nothing if an attempt took the row meanwhile
    if network is None:
        seen.update(status=CrossPost.Status.SKIPPED, last_error=NOT_CONNECTED)
        return CrossPost.Status.SKIPPED
    try:
        remote_id = network.find() if crosspost.attempts else None
    except RemoteError as error:
        seen.update(last_error=f"Lookup failed: {error}")
        return "unreachable"
    if remote_id:
        seen.update(
            status=CrossPost.Status.SENT,
            remote_id=remote_id,
            last_error="",
            sent_on=timezone.now(),
        )
        return CrossPost.Status.SENT
    if seen.update(status=CrossPost.Status.PENDING, last_error=""):
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
        return "requeued"
    return "busy"


def crosspost_stuck_ids(*, limit: int = 500) -> list[int]:
    """Rows no attempt has settled for RECIPES_RECONCILE_AFTER_SECONDS: `sending` with an
    old (or no) claim, or `pending` whose message may have been lost."""
    before = timezone.now() - timedelta(seconds=settings.RECIPES_RECONCILE_AFTER_SECONDS)
    old_claim = Q(claimed_on__lt=before) | Q(claimed_on__isnull=True)
    stuck = CrossPost.objects.filter(old_claim).filter(
        Q(status=CrossPost.Status.SENDING)
        | Q(status=CrossPost.Status.PENDING, created_on__lt=before)
    )
    return list(stuck.order_by("pk").values_list("pk", flat=True)[:limit])


def crosspost_reconcile() -> dict[str, int]:
    """The periodic sweep: settle every stuck announcement. Returns counts by outcome."""
    outcomes: dict[str, int] = {}
    for crosspost_id in crosspost_stuck_ids():
        outcome = crosspost_resolve(crosspost_id=crosspost_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def crosspost_retry(*, crosspost: CrossPost) -> bool:
    """Admin action: settle a failed or stuck announcement the way the reconciliation
    does (look it up first, since a failed attempt may have posted). True when it was
    found and recorded, or queued again."""
    if crosspost.status in (CrossPost.Status.SENT, CrossPost.Status.SKIPPED):
        return False
    return crosspost_resolve(crosspost_id=crosspost.pk) in (CrossPost.Status.SENT, "requeued")


# --- common friends --------------------------------------------------------------------------


def common_friends(user: AbstractBaseUser, provider: str, *, refresh: bool = False) -> list:
    """Site users you follow on X (or your Facebook friends who use the app)."""
    account = selectors.social_account(user, provider)
    token = selectors.social_token(user, provider)
    if account is None or token is None:
        raise NotConnected(provider)
    key = f"recipes:friends:{provider}:{user.pk}"
    remote_ids = None if refresh else optional_read(lambda: cache.get(key), None)
    if remote_ids is None:
        pages = settings.RECIPES_FRIENDS_MAX_PAGES
        if provider == "twitter":
            client = _RefreshingXClient(user)
            remote_ids = client.following_ids(account.uid, max_pages=pages)
        else:
            remote_ids = FacebookClient(token).friend_ids(max_pages=pages)
        ids = remote_ids
        optional_write(lambda: cache.set(key, ids, settings.RECIPES_FRIENDS_CACHE_SECONDS))
    friends: list = []
    for start in range(0, len(remote_ids), 500):  # keeps IN lists small
        friends += selectors.users_with_remote_ids(
            provider, remote_ids[start : start + 500], exclude=user
        )
    return sorted(set(friends), key=lambda u: u.username)


@transaction.atomic
def delete_user_content(*, user_id: int) -> int:
    """Every recipe of one user and its cross-post records (their account is being
    deleted; posts already made on X or Facebook stay there). Returns how many went."""
    CrossPost.objects.filter(recipe__user_id=user_id).delete()
    deleted, _ = Recipe.objects.filter(user_id=user_id).delete()
    pagecache.invalidate_on_commit("recipes")
    return deleted


# --- ratings, favourites, "I cooked this" ---------------------------------------------------


def rating_set(*, user: AbstractBaseUser, recipe: Recipe, stars: int) -> Rating:
    """Rate a recipe 1-5 (again: the new stars replace the old). Not your own."""
    if recipe.user_id == user.pk:
        raise ValidationError({"stars": "Rate other people's recipes."}, code="own_recipe")
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": "From 1 to 5 stars."}, code="invalid")
    rating, _ = Rating.objects.update_or_create(
        user=user, recipe=recipe, defaults={"stars": stars, "rated_on": timezone.now()}
    )
    return rating


def rating_delete(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Rating.objects.filter(user=user, recipe=recipe).delete()


def favourite_add(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Favourite.objects.get_or_create(user=user, recipe=recipe)


def favourite_remove(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Favourite.objects.filter(user=user, recipe=recipe).delete()


def cooked_add(*, user: AbstractBaseUser, recipe: Recipe, cooked_on=None, note: str = "") -> Cooked:
    """Record that `user` cooked it on `cooked_on` (today by default; not in the future)."""
    cooked = Cooked(user=user, recipe=recipe, note=note.strip())
    if cooked_on is not None:
        cooked.cooked_on = cooked_on
    if cooked.cooked_on > timezone.localdate():
        raise ValidationError({"cooked_on": "That day has not come yet."}, code="future")
    cooked.full_clean()
    cooked.save()
    return cooked


# --- shopping lists -------------------------------------------------------------------------


def _food_key(food: str) -> str:
    return " ".join(food.lower().split())


def _shopping_items_rebuild(shopping_list: ShoppingList) -> None:
    """Sum every picked recipe's ingredients, scaled to its servings: the same food in
    convertible units becomes one line (in the first unit met), others one per unit.
    Ticks survive for lines that stay."""
    checked = {
        (_food_key(item.food), item.unit) for item in shopping_list.items.all() if item.checked
    }
    foods: dict[str, tuple[str, list[units.Amount]]] = {}
    visible = selectors.recipe_visible(shopping_list.user)  # access lost: left out
    entries = (
        shopping_list.entries.filter(recipe__in=visible)
        .select_related("recipe")
        .prefetch_related("recipe__ingredient_rows")
    )
    for entry in entries:
        factor = units.scale_factor(entry.recipe.servings, entry.servings)
        for row in entry.recipe.ingredient_rows.all():
            food = row.food or row.original_text
            amount = units.scale(units.Amount(row.quantity, row.quantity_max, row.unit), factor)
            foods.setdefault(_food_key(food), (food, []))[1].append(amount)
    items = []
    for key, (food, amounts) in foods.items():
        totals = units.add(amounts) or [units.Amount(None, None, "")]
        for total in totals:
            items.append(
                ShoppingItem(
                    shopping_list=shopping_list,
                    position=len(items),
                    food=food[:200],
                    quantity=total.quantity,
                    unit=total.unit,
                    checked=(key, total.unit) in checked,
                )
            )
    shopping_list.items.all().delete()
    ShoppingItem.objects.bulk_create(items)


@transaction.atomic
def shopping_list_create(
    *, user: AbstractBaseUser, name: str = "", recipes: list[tuple[Recipe, int]] = ()
) -> ShoppingList:
    shopping_list = ShoppingList(user=user, name=name.strip() or "Shopping")
    shopping_list.full_clean()
    shopping_list.save()
    for recipe, servings in recipes:
        _shopping_entry_set(shopping_list, recipe, servings)
    _shopping_items_rebuild(shopping_list)
    return shopping_list


def _shopping_entry_set(shopping_list: ShoppingList, recipe: Recipe, servings: int) -> None:
    if not isinstance(servings, int) or not 1 <= servings <= 1000:
        raise ValidationError({"servings": "From 1 to 1000 servings."}, code="invalid")
    ShoppingListRecipe.objects.update_or_create(
        shopping_list=shopping_list, recipe=recipe, defaults={"servings": servings}
    )


def _own(shopping_list: ShoppingList, user: AbstractBaseUser) -> None:
    if shopping_list.user_id != user.pk:
        raise PermissionDenied("This is someone else's shopping list.")


@transaction.atomic
def shopping_list_add_recipe(
    *, shopping_list: ShoppingList, by: AbstractBaseUser, recipe: Recipe, servings: int
) -> ShoppingList:
    """Pick a recipe for `servings` (again: the new servings replace the old)."""
    _own(shopping_list, by)
    ShoppingList.objects.select_for_update().filter(pk=shopping_list.pk).first()
    _shopping_entry_set(shopping_list, recipe, servings)
    _shopping_items_rebuild(shopping_list)
    return shopping_list


@transaction.atomic
def shopping_list_remove_recipe(
    *, shopping_list: ShoppingList, by: AbstractBaseUser, recipe_id: int
) -> ShoppingList:
    _own(shopping_list, by)
    ShoppingList.objects.select_for_update().filter(pk=shopping_list.pk).first()
    shopping_list.entries.filter(recipe_id=recipe_id).delete()
    _shopping_items_rebuild(shopping_list)
    return shopping_list


def shopping_item_check(*, item: ShoppingItem, by: AbstractBaseUser, checked: bool) -> ShoppingItem:
    _own(item.shopping_list, by)
    item.checked = checked
    item.save(update_fields=["checked"])
    return item


def shopping_list_delete(*, shopping_list: ShoppingList, by: AbstractBaseUser) -> None:
    _own(shopping_list, by)
    delete_or_404(shopping_list)


# --- pictures --------------------------------------------------------------------------------


def _clean_picture(file) -> tuple[ContentFile, ContentFile]:
    """The upload checked and stripped by project.imaging, and its thumbnail."""
    from io import BytesIO

    from project.imaging import clean_image, make_thumbnail

    clean = clean_image(file, getattr(file, "size", None))
    thumbnail, extension = make_thumbnail(BytesIO(clean.data))
    name = secrets.token_hex(12)
    return (
        ContentFile(clean.data, name=f"{name}.{clean.extension}"),
        ContentFile(thumbnail, name=f"{name}.{extension}"),
    )


@transaction.atomic
def recipe_image_set(*, recipe: Recipe, by: AbstractBaseUser, file) -> Recipe:
    """A cover picture (None removes it), cleaned like photos: checked by content,
    EXIF orientation applied, metadata stripped, with a thumbnail."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    old = (recipe.image, recipe.image_thumbnail)
    old_names = [f.name for f in old if f]
    if file is None:
        recipe.image, recipe.image_thumbnail = "", ""
    else:
        image, thumbnail = _clean_picture(file)
        recipe.image.save(image.name, image, save=False)
        recipe.image_thumbnail.save(thumbnail.name, thumbnail, save=False)
    recipe.save(update_fields=["image", "image_thumbnail", "updated_on"])
    storage = recipe.image.storage
    for name in old_names:
        transaction.on_commit(partial(storage.delete, name))
    pagecache.invalidate_on_commit("recipes")
    return recipe


@transaction.atomic
def step_image_set(*, step: Step, by: AbstractBaseUser, file) -> Step:
    """A step's picture (None removes it)."""
    if step.recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    old_name = step.image.name if step.image else ""
    if file is None:
        step.image = ""
    else:
        image, _ = _clean_picture(file)
        step.image.save(image.name, image, save=False)
    step.save(update_fields=["image"])
    if old_name and old_name != step.image.name:
        transaction.on_commit(partial(step.image.storage.delete, old_name))
    pagecache.invalidate_on_commit("recipes")
    return step
