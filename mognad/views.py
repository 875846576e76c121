"""Pages that belong to no single app: the front page, health check and error pages."""

from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mognad.middleware import database_unavailable, is_database_unavailable
from mognad.orgs.worker import worker_is_alive


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


def _worker_ok() -> bool:
    try:
        alive: bool = worker_is_alive()
    except Exception:  # a failing heartbeat query means we cannot vouch for the worker
        return False
    return alive


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database_ok()
    checks = {
        "database": "ok" if database else "down",
        "worker": "ok" if database and _worker_ok() else "down",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        assert exception is not None
        return database_unavailable(exception)
    return render(request, "500.html", status=500)
