from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.bruteforce import login_attempt_begin


class RateLimitedAuthenticationBackend(AuthenticationBackend):
    """Username or e-mail + password behind the one brute-force policy of
    accounts.bruteforce; the only backend, so no password check escapes it."""

    def authenticate(self, request, **credentials):
        if request is None or not credentials.get("password"):
            return self._check(request, **credentials)
        login = credentials.get("username") or credentials.get("email") or ""
        attempt = login_attempt_begin(request, str(login))  # raises LoginBlocked
        user = self._check(request, **credentials)
        if user is not None:
            attempt.succeeded()
        return user

    def _check(self, request, **credentials):
        # Django's exact username match first: one query, which HTTP Basic pays on every
        # request; then allauth's (e-mail, case-insensitive username).
        user = ModelBackend.authenticate(self, request, **credentials)
        return user or super().authenticate(request, **credentials)
