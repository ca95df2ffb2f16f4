"""Deleting a row exactly once, for every app's `<entity>_delete` service."""

from django.db import models, transaction
from django.http import Http404


@transaction.atomic
def delete_or_404(instance: models.Model) -> None:
    """Delete `instance`, or raise Http404 when its row is already gone.

    Two concurrent deletes of one row both load it before either deletes it; without
    this, both answer success. The row is locked first (SELECT ... FOR UPDATE), so the
    second waits for the first to commit and then finds nothing. Where the database
    has no row locks (SQLite), the delete count still tells the loser it lost.
    Raised inside the transaction, the 404 also rolls back anything done so far."""
    model = type(instance)
    gone = Http404(f"No {model._meta.verbose_name} matches the given query.")
    if not model._base_manager.select_for_update().filter(pk=instance.pk).exists():
        raise gone
    _, per_model = instance.delete()
    if not per_model.get(model._meta.label):
        raise gone
