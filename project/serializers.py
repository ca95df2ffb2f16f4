"""What every API input serializer shares: values of the schema's JSON type only, unknown
keys are an error (project.openapi.AutoSchema says so in the schema)."""

from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers

UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field is read-only."

# A JSON value of the wrong type is an error, not coerced (DRF reads 0 as "0", "1" as 1,
# "true" as True): what the schema says a field is, is what the API accepts.
JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...], str], ...] = (
    (serializers.BooleanField, (bool,), "boolean"),
    (serializers.IntegerField, (int,), "integer"),
    (serializers.FloatField, (int, float), "number"),
    (serializers.CharField, (str,), "string"),
)


def _json_type_error(field: serializers.Field, value) -> str | None:
    if value is None:
        return None  # the field's own allow_null decides
    for field_class, types, name in JSON_TYPES:
        if isinstance(field, field_class):
            if isinstance(value, bool) and bool not in types:
                return f"Must be a {name}, not a boolean."
            return None if isinstance(value, types) else f"Must be a {name}."
    return None


class JsonTypesMixin:
    """Reject JSON values of the wrong type instead of coercing them."""

    def validate(self, attrs):
        data = getattr(self, "initial_data", None)
        if isinstance(data, dict) and not isinstance(data, QueryDict):  # JSON, not a form
            writable = {name for name, field in self.fields.items() if not field.read_only}
            wrong = {
                name: [error]
                for name in sorted(set(data) & writable)
                if (error := _json_type_error(self.fields[name], data[name]))
            }
            if wrong:
                raise serializers.ValidationError(wrong, code="invalid_type")
        return super().validate(attrs)


class StrictFieldsMixin(JsonTypesMixin):
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
