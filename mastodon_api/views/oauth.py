"""/oauth/*: django-oauth-toolkit's views in Mastodon's manner, and the settings page
of authorised apps."""

import json
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider import views as toolkit
from oauthlib.common import urldecode

from mastodon_api import selectors, services
from mastodon_api.services import OOB


class DecodableQuery:
    """oauthlib raises ValueError (a 500) on a query or form body it cannot decode, such
    as a stray `%`; answer that with Mastodon's 400 error shape instead."""

    def dispatch(self, request, *args, **kwargs):
        body = ""
        if request.content_type == "application/x-www-form-urlencoded":
            body = request.body.decode("utf-8", "replace")
        try:
            for encoded in (request.META.get("QUERY_STRING", ""), body):
                urldecode(encoded)
        except ValueError as error:
            return HttpResponse(
                json.dumps({"error": "invalid_request", "error_description": str(error)}),
                status=400,
                content_type="application/json",
            )
        return super().dispatch(request, *args, **kwargs)


@method_decorator(xframe_options_deny, name="dispatch")
class AuthorizeView(DecodableQuery, toolkit.AuthorizationView):
    """The consent page, in the site's style; signing in (and its second factor) is the
    site's own login. The out-of-band redirect shows the code to copy instead."""

    template_name = "mastodon_api/authorize.html"

    def redirect(self, redirect_to, application):
        if redirect_to.startswith(OOB + "?"):
            query = parse_qs(urlsplit(redirect_to).query)
            if "code" not in query:  # e.g. invalid_scope, access_denied
                error = {
                    "error": query.get("error", ["invalid_request"])[0],
                    "description": query.get("error_description", [""])[0],
                }
                return render(self.request, self.template_name, {"error": error}, status=400)
            return render(
                self.request,
                "mastodon_api/authorized_oob.html",
                {"code": query["code"][0], "application": application},
            )
        return super().redirect(redirect_to, application)


# The toolkit's token endpoints are CSRF-exempt (clients, not browsers, post to them); a
# dispatch of our own in front hides its marker from as_view(), so it is set again here.
@method_decorator(csrf_exempt, name="dispatch")
class TokenView(DecodableQuery, toolkit.TokenView):
    """Mastodon's token answer carries `created_at` too."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            body = json.loads(response.content)
            body["created_at"] = int(timezone.now().timestamp())
            response.content = json.dumps(body)
        return response


@method_decorator(csrf_exempt, name="dispatch")
class RevokeView(DecodableQuery, toolkit.RevokeTokenView):
    """Mastodon answers `{}`; clients parse the body as JSON."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and not response.content:
            return HttpResponse("{}", content_type="application/json")
        return response


@login_required
def authorised_apps(request):
    return render(
        request,
        "mastodon_api/authorised_apps.html",
        {"apps": selectors.authorised_app_list(user=request.user)},
    )


@login_required
@require_POST
def authorised_app_revoke(request, application_id: int):
    if services.app_authorisation_revoke(user=request.user, application_id=application_id):
        messages.success(request, "The app's access was revoked.")
    return redirect("mastodon:authorised-apps")
