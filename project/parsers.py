"""The API's parsers: DRF's, plus limits on what a body may hold.

Python's json module recurses once per nesting level and gives up with a RecursionError
(a 500) near 1000 levels; values with NUL or lone surrogates ("\\u0000", "\\ud800") parse
fine but cannot be stored in PostgreSQL. Both become a 400 here, in one walk over the
parsed document that only ever descends into containers.
"""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from project.middleware import any_unstorable, has_unstorable

FORM_ERROR = "The form data contains a NUL or invalid character."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        check_json_document(data, max_depth=settings.API_JSON_MAX_DEPTH)
        return data

    @staticmethod
    def _too_deep() -> str:
        return f"JSON parse error - nested deeper than {settings.API_JSON_MAX_DEPTH} levels."


def check_json_document(data: object, *, max_depth: int) -> None:
    """Raise ParseError for nesting beyond `max_depth` or a NUL/lone surrogate in any string."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if has_unstorable(value):
                raise ParseError("JSON parse error - a string contains NUL or a lone surrogate.")
            continue
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > max_depth:
            raise ParseError(JSONParser._too_deep())
        stack.extend((child, depth + 1) for child in children)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if any_unstorable(parsed.data.lists()):
            raise ParseError(FORM_ERROR)
        return parsed
