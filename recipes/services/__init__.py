"""Writes for recipes, by sub-domain; every service is re-exported here, so callers
import `recipes.services` whatever module it lives in."""

from django.conf import settings  # noqa: F401  (read as services.settings by tests)

from recipes.services.core import (
    MAX_SHARES,
    RECIPE_FIELDS,
    delete_user_content,
    recipe_create,
    recipe_delete,
    recipe_update,
)
from recipes.services.crossposts import (
    DUPLICATE_NOTE,
    NOT_CONNECTED,
    ClaimHeld,
    available_crosspost_providers,
    crosspost_enqueue,
    crosspost_reconcile,
    crosspost_resolve,
    crosspost_retry,
    crosspost_send,
    crosspost_stuck_ids,
    facebook_page_configured,
)
from recipes.services.friends import (
    NotConnected,
    common_friends,
)
from recipes.services.importing import (
    recipe_import,
)
from recipes.services.ingredients import (
    INGREDIENT_FIELDS,
    ingredient_line,
    ingredients_set,
    ingredients_text_sync,
    rows_from_text,
)
from recipes.services.pictures import (
    recipe_image_set,
    step_image_set,
)
from recipes.services.reactions import (
    cooked_add,
    favourite_add,
    favourite_remove,
    rating_delete,
    rating_set,
)
from recipes.services.shopping import (
    shopping_item_check,
    shopping_list_add_recipe,
    shopping_list_create,
    shopping_list_delete,
    shopping_list_remove_recipe,
)
from recipes.services.steps import (
    steps_from_text,
    steps_set,
    steps_text_sync,
)
from recipes.services.tags import (
    MAX_TAGS,
    tag_names,
    tags_for_names,
)
from recipes.services.tweets import (
    TWEET_LIMIT,
    TWEET_LINK_LENGTH,
    crosspost_marker,
    crosspost_text,
    tweet_length,
)
from recipes.services.x_tokens import (
    X_TOKEN_MARGIN,
    ReconnectNeeded,
    x_access_token,
)

__all__ = [
    "DUPLICATE_NOTE",
    "INGREDIENT_FIELDS",
    "MAX_SHARES",
    "MAX_TAGS",
    "NOT_CONNECTED",
    "RECIPE_FIELDS",
    "TWEET_LIMIT",
    "TWEET_LINK_LENGTH",
    "X_TOKEN_MARGIN",
    "ClaimHeld",
    "NotConnected",
    "ReconnectNeeded",
    "available_crosspost_providers",
    "common_friends",
    "cooked_add",
    "crosspost_enqueue",
    "crosspost_marker",
    "crosspost_reconcile",
    "crosspost_resolve",
    "crosspost_retry",
    "crosspost_send",
    "crosspost_stuck_ids",
    "crosspost_text",
    "delete_user_content",
    "facebook_page_configured",
    "favourite_add",
    "favourite_remove",
    "ingredient_line",
    "ingredients_set",
    "ingredients_text_sync",
    "rating_delete",
    "rating_set",
    "recipe_create",
    "recipe_delete",
    "recipe_image_set",
    "recipe_import",
    "recipe_update",
    "rows_from_text",
    "shopping_item_check",
    "shopping_list_add_recipe",
    "shopping_list_create",
    "shopping_list_delete",
    "shopping_list_remove_recipe",
    "step_image_set",
    "steps_from_text",
    "steps_set",
    "steps_text_sync",
    "tag_names",
    "tags_for_names",
    "tweet_length",
    "x_access_token",
]
