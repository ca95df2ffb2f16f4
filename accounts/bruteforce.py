"""One brute-force policy for every way to present a password.

The web login, the admin (routed through the web login), HTTP Basic on the API and
/api/v1/auth/token/ all check passwords with django.contrib.auth.authenticate(), and
so with accounts.backends.RateLimitedAuthenticationBackend, which counts failed
attempts here: per client IP and per login name (LOGIN_FAILED_RATE, allauth's syntax,
e.g. "10/m/ip,5/5m/key"). Counters are fixed windows with atomic increments
(project.throttling), taken before the password is checked so parallel guesses are
counted too, and given back when the password was right: only failures count.

Once a limit is reached, LoginBlocked is raised: the web answers a 429 page (allauth's
AccountMiddleware renders an ImmediateHttpResponse), the API a JSON 429 (see
project.exceptions); both with Retry-After.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from allauth.account.adapter import get_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from project.throttling import count_request, uncount_request

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])/(ip|key)$")


@dataclass(frozen=True)
class FailureRate:
    amount: int
    seconds: int
    per: str  # "ip" or "key" (the login name)


@lru_cache(maxsize=8)
def parse_rates(text: str) -> tuple[FailureRate, ...]:
    """ "10/m/ip,5/5m/key" -> the rates; ValueError on anything else."""
    rates = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = RATE_RE.match(part)
        if not match:
            raise ValueError(f"Invalid LOGIN_FAILED_RATE part {part!r} (e.g. 5/5m/key).")
        amount, count, unit, per = match.groups()
        rates.append(FailureRate(int(amount), int(count or 1) * UNITS[unit], per))
    return tuple(rates)


class LoginBlocked(ImmediateHttpResponse):
    """Too many failed attempts for this IP or login name; retry after `retry_after` s."""

    def __init__(self, request: HttpRequest, retry_after: int) -> None:
        Exception.__init__(self, f"Too many failed login attempts; retry in {retry_after} s.")
        self.request, self.retry_after = request, retry_after

    @property
    def response(self) -> HttpResponse:  # read by allauth's AccountMiddleware (web only)
        response = render(self.request, "429.html", {"retry_after": self.retry_after}, status=429)
        response["Retry-After"] = str(self.retry_after)
        return response


@dataclass
class LoginAttempt:
    """The counters one attempt took; give them back when the password was right."""

    keys: list[str]

    def succeeded(self) -> None:
        for key in self.keys:
            uncount_request(key)


def _client_ip(request: HttpRequest) -> str:
    return get_adapter(request).get_client_ip(request)


def _source(request: HttpRequest, rate: FailureRate, login: str) -> str:
    if rate.per == "ip":
        return f"ip:{_client_ip(request)}"
    # Hashed: the cache never holds what someone typed as a login name.
    return "key:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()


def login_attempt_begin(request: HttpRequest, login: str) -> LoginAttempt:
    """Count one attempt for this IP and login name; LoginBlocked when over a limit."""
    now = time.time()
    taken, waits = [], []
    for rate in parse_rates(settings.LOGIN_FAILED_RATE):
        window = int(now // rate.seconds)
        key = f"login-failed:{rate.amount}/{rate.seconds}:{_source(request, rate, login)}:{window}"
        taken.append(key)
        if count_request(key, rate.seconds) > rate.amount:
            waits.append(math.ceil((window + 1) * rate.seconds - now))
    if waits:
        raise LoginBlocked(request, max(1, *waits))
    return LoginAttempt(taken)
