"""Who is calling: a personal token (`Authorization: Bearer mgn_…`) or a browser session.

Either way the request acts as that user, with that user's rights and nothing more, and counts
against the user's rate limit (mognad.platform.ratelimit, shared by all processes).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from mognad.api import tokens
from mognad.orgs.models import User
from mognad.platform import ratelimit

# Requests per user (all tokens and the session together) per window.
USER_LIMIT = 600
USER_PERIOD = 5 * 60
# Failed token attempts per client address per window; after that even a valid token waits.
FAILURE_LIMIT = 30
FAILURE_PERIOD = 15 * 60
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TooManyRequests(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _address(request: HttpRequest) -> str:
    return ratelimit.client_address(request)


def _count_request(user: User) -> User:
    if not ratelimit.hit(f"api:user:{user.pk}", limit=USER_LIMIT, period=USER_PERIOD):
        raise TooManyRequests(
            _("Too many requests: at most %(limit)s every %(minutes)s minutes. Wait and try again.")
            % {"limit": USER_LIMIT, "minutes": USER_PERIOD // 60},
            USER_PERIOD,
        )
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        if not header or scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        failures = f"api:token-failures:{_address(request)}"
        # Every presented token is counted as a failure BEFORE it is looked up and given back
        # when it is valid, so parallel guesses cannot all be looked up before one is counted.
        if not ratelimit.attempt(failures, limit=FAILURE_LIMIT, period=FAILURE_PERIOD):
            raise TooManyRequests(
                _(
                    "Too many requests with invalid tokens from your address. "
                    "Wait %(minutes)s minutes and check the token."
                )
                % {"minutes": FAILURE_PERIOD // 60},
                FAILURE_PERIOD,
            )
        user = tokens.user_for(token)
        if user is None:
            raise AuthenticationError(
                401,
                _(
                    "The token is unknown, revoked or expired. "
                    "Create a new one on your account page."
                ),
            )
        ratelimit.release(failures, period=FAILURE_PERIOD)
        return _count_request(user)


class SessionAuth(APIKeyCookie):
    """The browser session of a logged-in administrator; writes need the CSRF token."""

    param_name = "mognad_session"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            message = _("The CSRF token is missing or wrong (browser session requests).")
            raise HttpError(403, message)
        return _count_request(user)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ does the work; ninja requires the method


def user_of(request: HttpRequest) -> User:
    """The user the request acts as (set by TokenAuth or SessionAuth)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user
