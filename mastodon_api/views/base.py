"""What every Mastodon endpoint shares: bearer tokens, scopes, Mastodon's error shape,
form or JSON bodies, and paging by id with a Link header."""

from datetime import UTC, datetime
from typing import Any

from django.http import QueryDict
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from mastodon_api.authentication import MastodonTokenAuthentication
from mastodon_api.permissions import HasMastodonScope
from project.exceptions import api_exception_handler
from project.parsers import JSONParser


def _flatten_errors(data: Any) -> str:
    """DRF's error body as one sentence, as Mastodon writes its `error`."""
    if isinstance(data, dict):
        if set(data) == {"detail"}:
            return str(data["detail"])
        parts = []
        for field, errors in data.items():
            text = _flatten_errors(errors)
            parts.append(text if field in ("non_field_errors", "detail") else f"{field} {text}")
        return "; ".join(parts)
    if isinstance(data, list):
        return " ".join(_flatten_errors(item) for item in data)
    return str(data)


def mastodon_exception_handler(exc: Exception, context: dict[str, Any]):
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == 400:
        response.status_code = 422  # Mastodon's answer to a bad value
        response.data = {"error": f"Validation failed: {_flatten_errors(response.data)}"}
    else:
        response.data = {"error": _flatten_errors(response.data)}
    return response


class MastodonApi(APIView):
    """Base of every endpoint; `required_scopes` maps each method to its scope (None:
    public). Documented by Mastodon's API docs, so left out of the OpenAPI schema."""

    schema = None
    versioning_class = None
    authentication_classes = [MastodonTokenAuthentication]
    permission_classes = [HasMastodonScope]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    required_scopes: dict[str, str | None] = {}
    app_token_allowed = False

    def get_exception_handler(self):
        return mastodon_exception_handler

    def check_throttles(self, request) -> None:
        """DRF's check, keeping the tightest counted limit for Mastodon's X-RateLimit-*."""
        self.rate_limit = None
        waits = []
        for throttle in self.get_throttles():
            allowed = throttle.allow_request(request, self)
            if getattr(throttle, "count", None) is not None:
                remaining = max(throttle.num_requests - throttle.count, 0)
                if self.rate_limit is None or remaining < self.rate_limit[1]:
                    self.rate_limit = (throttle.num_requests, remaining, throttle.window_ends_at)
            if not allowed:
                waits.append(throttle.wait())
        if waits:
            self.throttled(request, max(waits))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if limit := getattr(self, "rate_limit", None):
            total, remaining, reset = limit
            response["X-RateLimit-Limit"] = str(total)
            response["X-RateLimit-Remaining"] = str(remaining)
            moment = datetime.fromtimestamp(reset, tz=UTC)
            response["X-RateLimit-Reset"] = moment.isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            )
        return response

    def params(self) -> QueryDict | dict:
        """The body's fields for writes, the query string for reads (clients send both)."""
        if self.request.method in ("GET", "HEAD", "DELETE"):
            return self.request.query_params
        return self.request.data

    def list_param(self, name: str) -> list[str]:
        """`name[]=a&name[]=b`, `name=a` or a JSON list."""
        data = self.params()
        if hasattr(data, "getlist"):
            return data.getlist(f"{name}[]") or data.getlist(name)
        value = data.get(name, data.get(f"{name}[]", []))
        return value if isinstance(value, list) else [value]


def bool_param(value: Any, *, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    text = str(value).lower()
    if text in ("true", "1", "on", "yes"):
        return True
    if text in ("false", "0", "off", "no"):
        return False
    raise exceptions.ValidationError({name: ["must be a boolean"]})


def id_param(value: Any, *, name: str) -> int | None:
    """Mastodon ids are strings of digits; ours are integers."""
    if value in (None, ""):
        return None
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise exceptions.ValidationError({name: ["must be an id"]})
    return int(text)
