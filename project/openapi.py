"""OpenAPI generation: the schema states what the API really accepts and answers, so
clients (and schemathesis) can rely on it. The error answers every endpoint can give,
in DRF's shape; strict request bodies; strings as DRF's CharField takes them."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc
from rest_framework import serializers

from project.serializers import JsonTypesMixin, StrictFieldsMixin

# DRF's CharField refuses NUL characters, and a blank string unless allow_blank (after
# trimming whitespace, by default). JSON Schema's regex dialect (ECMA) reads these too.
NO_NUL = r"^[^\u0000]*$"
NOT_BLANK_NO_NUL = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def string_pattern(field: serializers.CharField) -> str:
    if field.allow_blank or not field.trim_whitespace:
        return NO_NUL
    return NOT_BLANK_NO_NUL


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictFieldsMixin):
            schema["additionalProperties"] = False  # unknown fields are a 400
        for prop in schema.get("properties", {}).values():
            alternatives = prop.get("oneOf")
            if alternatives and all(alt.get("type") == "string" for alt in alternatives):
                # "a string, or blank": "" matches both, which `oneOf` forbids: `anyOf`.
                prop["anyOf"] = prop.pop("oneOf")
        if schema.get("description") in (get_doc(StrictFieldsMixin), get_doc(JsonTypesMixin)):
            del schema["description"]  # the mixin's docstring, not the resource's
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        plain_string = (
            schema
            and schema.get("type") == "string"
            and not {"enum", "format", "pattern"} & set(schema)
        )
        if direction == "request" and isinstance(field, serializers.CharField) and plain_string:
            schema["pattern"] = string_pattern(field)
        return schema


ERROR_SCHEMA = {
    "type": "object",
    "description": "DRF's error shape: {'detail': ...} or {'field': ['message', ...]}.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input; the body names each bad field.",
    "401": "Authentication required or credentials invalid.",
    "403": "Not allowed for this user.",
    "404": "No such resource (or not visible to you).",
    "405": "Method not allowed here.",
    "406": "Cannot produce the requested format.",
    "409": "Conflicts with an existing resource.",
    "413": "Request body too large.",
    "415": "Unsupported media type.",
    "429": "Throttled; retry later.",
    "502": "An upstream network (X, Facebook) failed.",
}


def forbid_nul_in_query_strings(result: dict, generator, request, public) -> dict:
    """DRF's filters refuse a NUL character in a query string (a 400)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query" or schema.get("type") != "string":
                    continue
                if parameter["name"] == "ordering":
                    continue  # OrderingFilter ignores what it does not know, NUL included
                if not {"enum", "format", "pattern"} & set(schema):
                    schema["pattern"] = NO_NUL
    return result


def add_error_responses(result: dict, generator, request, public) -> dict:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status_code, description in ERRORS.items():
                responses.setdefault(
                    status_code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


def plain_semver_version(result: dict, generator, request, public) -> dict:
    """drf-spectacular writes `1.0.0 (v1)` when the schema is served under a versioned
    API; client generators take info.version as their package version, which must be
    plain semver. The API version is already in every path."""
    from drf_spectacular.settings import spectacular_settings

    result.setdefault("info", {})["version"] = spectacular_settings.VERSION
    return result
