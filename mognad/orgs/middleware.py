"""Two-factor authentication gate.

A user with a second factor who has not used it in this session, and a user whose role requires one
(MOGNAD_2FA_REQUIRED_ROLES: coordinators and key users by default) who has not enrolled yet, can
reach only the pages that let them do so (and logging out, the language switch, the health check
and the cookie settings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from mognad.orgs import twofactor
from mognad.orgs.models import User

ALWAYS_ALLOWED = {
    "orgs:verify_2fa",
    "orgs:enroll_2fa",
    "logout",
    "set_language",
    "healthz",
    "healthz_worker",
    "privacy:cookies",
}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALWAYS_ALLOWED:
            return None
        query = urlencode({"next": request.get_full_path()})
        if twofactor.needs_verification(request):
            return redirect(reverse("orgs:verify_2fa") + "?" + query)
        if not twofactor.has_factor(user) and twofactor.is_required(user):
            return redirect(reverse("orgs:enroll_2fa") + "?" + query)
        return None
