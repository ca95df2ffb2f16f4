"""What every API input serializer shares: unknown keys are an error, and the schema says so."""

from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field is read-only."


class StrictFieldsMixin:
    """Reject unknown input keys with a 400 naming them instead of silently dropping them
    (a typo must not look like success, and nobody may mass-assign fields they should not
    set). Reported together with the other field errors, so one answer lists them all."""

    def to_internal_value(self, data):
        unknown = self.unknown_field_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                error.detail.update(serializers.ValidationError(unknown).detail)
            raise
        if unknown:
            raise serializers.ValidationError(unknown, code="unknown_field")
        return value

    def unknown_field_errors(self, data) -> dict[str, list[str]]:
        if not isinstance(data, Mapping):
            return {}  # DRF itself answers "Invalid data. Expected a dictionary"
        writable = {name for name, field in self.fields.items() if not field.read_only}
        errors = {}
        for name in sorted(set(data) - writable):
            errors[str(name)[:100]] = [READ_ONLY_FIELD if name in self.fields else UNKNOWN_FIELD]
        return errors


class StrictFieldsSchema(OpenApiSerializerExtension):
    """`additionalProperties: false` on the request schema of every StrictFieldsMixin serializer."""

    target_class = StrictFieldsMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
