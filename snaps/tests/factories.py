from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from snaps.models import FILE_FIELDS, Snap, SnapFile


class SnapFactory(DjangoModelFactory):
    """A snap of one file (`name`, `extension`, `language`, `content`), or of `files`:
    [{"name", "extension", "language", "content"}, ...]."""

    class Meta:
        model = Snap

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"snippet_{n}")
    extension = "py"
    language = ""
    content = factory.Faker("text", max_nb_chars=200)
    files = None
    visibility = Snap.Visibility.PUBLIC

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )
        private = factory.Trait(visibility=Snap.Visibility.PRIVATE)
        unlisted = factory.Trait(visibility=Snap.Visibility.UNLISTED)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        first = {field: kwargs.pop(field) for field in FILE_FIELDS}
        files = kwargs.pop("files", None) or [first]
        snap = super()._create(model_class, *args, **kwargs)
        SnapFile.objects.bulk_create(
            SnapFile(
                snap=snap,
                position=position,
                **{"extension": "py", "language": "", **state},
            )
            for position, state in enumerate(files)
        )
        return snap


def snap_form_data(*files: dict, **snap) -> dict:
    """A POST body for the snap form: the snap's fields and its files' formset
    (`{"name", "content", "language", "extension"}` each; one blank file if none)."""
    files = files or ({},)
    data = {
        "visibility": Snap.Visibility.PUBLIC,
        "expires_in": Snap.Expiry.NEVER,
        "files-TOTAL_FORMS": str(len(files)),
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "1",
        "files-MAX_NUM_FORMS": "10",
    }
    for index, file in enumerate(files):
        for field in ("name", "language", "extension", "content"):
            data[f"files-{index}-{field}"] = file.get(field, "")
        if file.get("DELETE"):
            data[f"files-{index}-DELETE"] = "on"
    return data | snap
