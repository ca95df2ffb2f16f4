"""The shape every app's data export takes (accounts builds one zip from them): an
iterator of (path inside the zip, bytes). JSON is written one way everywhere."""

import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

ExportFiles = Iterator[tuple[str, bytes]]


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
