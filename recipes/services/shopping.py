"""Shopping lists: picked recipes summed into lines that can be ticked off."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from project.deletion import delete_or_404
from recipes import selectors, units
from recipes.foods import food_key
from recipes.models import (
    Recipe,
    ShoppingItem,
    ShoppingList,
    ShoppingListRecipe,
)


def _shopping_items_rebuild(shopping_list: ShoppingList) -> None:
    """Sum every picked recipe's ingredients, scaled to its servings: the same food
    (singular or plural: recipes.foods) in convertible units becomes one line (in the
    first unit and spelling met), others one per unit.
    Ticks survive for lines that stay."""
    checked = {
        (food_key(item.food), item.unit) for item in shopping_list.items.all() if item.checked
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
            foods.setdefault(food_key(food), (food, []))[1].append(amount)
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
