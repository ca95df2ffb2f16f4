from django.http import QueryDict
from rest_framework import serializers

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
    """Reject unknown input keys with a 400 instead of silently dropping them
    (stops mass-assignment of fields the client should not set)."""

    def validate(self, attrs):
        allowed = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - allowed)
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field."] for name in unknown}, code="unknown_field"
            )
        return super().validate(attrs)
