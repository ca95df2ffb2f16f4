from rest_framework import serializers


class StrictFieldsMixin:
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
