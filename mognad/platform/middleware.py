"""Headers every response carries, and a kind answer while the database is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER = 30

# No inline scripts or styles anywhere, and nothing from other origins: charts, fonts and
# scripts are served by us. 'unsafe-inline' is never allowed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable(exception: BaseException) -> HttpResponse:
    """The standalone 503 "try again" page (rendered without the request: no session, no database).

    OperationalError also covers real faults (a missing table, a statement time-out), so the
    traceback is logged as an error: the visitor is asked to try again, the operator is told why.
    """
    logger.error(
        "Database unavailable (%s): %s", type(exception).__name__, exception, exc_info=True
    )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, overloaded, network) is a 503 "try again"
    page with Retry-After, not the 500 page: nothing is wrong with the request, and nothing that was
    saved before is lost. This covers errors raised in views; those raised in other middleware
    (e.g. loading a logged-in user's session) reach the 500 handler, `mognad.views.server_error`,
    which answers the same way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable(exception)
