"""`check --deploy`: cross-post links are built from SITE_URL, not from the request, so a
SITE_URL naming another host than the site's sends readers elsewhere."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host


def site_url_host() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "").lower()


def site_url_mismatch(host: str) -> str | None:
    """A warning text when `host` (a request's) is not SITE_URL's host, else None."""
    expected = site_url_host()
    host = host.rsplit(":", 1)[0].strip("[]").lower() if host else ""
    if host and expected and host != expected:
        return (
            f"Cross-post links point at SITE_URL ({settings.SITE_URL}), but this site was "
            f"reached as {host}. Set SITE_URL to the address readers use."
        )
    return None


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs) -> list[Warning]:
    host = site_url_host()
    if host and validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            f"SITE_URL ({settings.SITE_URL}) names a host that is not in ALLOWED_HOSTS.",
            hint="Cross-post links are built from SITE_URL; set it to the site's public "
            "address, e.g. SITE_URL=https://blueprints.example.com.",
            id="recipes.W001",
        )
    ]
