"""Pages that belong to no single app: the front page, health checks and error pages."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mognad.platform.middleware import database_unavailable, is_database_unavailable
from mognad.platform.worker import worker_is_alive

# Browsers ask for /favicon.ico on their own (bookmarks, tabs, older browsers); pages link the SVG.
FAVICON_ICO = settings.BASE_DIR / "static" / "favicon.ico"


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon at the address browsers try without being told, so no page logs a 404 for it."""
    response = HttpResponse(FAVICON_ICO.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception:  # any failure to reach the database means it is down for us
        return False
    return bool(row == (1,))


def _worker_state() -> str:
    """The worker's state: "ok" while some worker beat recently, "stale" otherwise (also when the
    heartbeat cannot be read, since then we cannot vouch for it)."""
    try:
        alive: bool = worker_is_alive()
    except Exception:  # a failing heartbeat query means we cannot vouch for the worker
        return "stale"
    return "ok" if alive else "stale"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Can this web process serve? 200 while the database answers, 503 when it does not.

    For load balancers: the worker's state is reported as a field but never makes this fail, since
    taking every web node out of service because a separate process is down would stop the
    respondents too. Monitoring watches /healthz/worker for that.
    """
    database = _database_ok()
    body = {
        "status": "ok" if database else "error",
        "database": "ok" if database else "down",
        "worker": _worker_state() if database else "stale",
    }
    return JsonResponse(body, status=200 if database else 503)


@never_cache
@require_GET
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """For monitoring: 200 while some background worker beat within
    MOGNAD_WORKER_HEARTBEAT_MAX_AGE seconds, 503 when none did (or the database is down)."""
    database = _database_ok()
    worker = _worker_state() if database else "stale"
    healthy = database and worker == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "worker": worker}, status=200 if healthy else 503
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent without its security token (CSRF_FAILURE_VIEW): say why in plain words.

    The reason Django gives is for the log, not for the page (it is not translated).
    """
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        assert exception is not None
        return database_unavailable(exception)
    return render(request, "500.html", status=500)
