"""Where photo originals live: never under a public URL, streamed to their owner only."""

from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class OriginalsStorage(FileSystemStorage):
    """PHOTOS_ORIGINALS_ROOT on disk, outside MEDIA_ROOT, with no base URL."""

    @cached_property
    def base_location(self):
        return settings.PHOTOS_ORIGINALS_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PHOTOS_ORIGINALS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Photo originals have no public URL.")


def originals_storage():
    return storages["photo_originals"]
