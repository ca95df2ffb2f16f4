"""OpenAPI post-processing: document the error answers every endpoint can give,
in DRF's shape, so clients (and schemathesis) can rely on them."""

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
