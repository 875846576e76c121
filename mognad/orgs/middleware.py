"""Two-factor authentication gate.

A user with a second factor who has not used it in this session, and a user whose role requires one
(MOGNAD_2FA_REQUIRED_ROLES: coordinators and key users by default) who has not enrolled yet, can
reach only the pages that let them do so (and logging out, the language switch, the health check
and the cookie settings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

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
    "orgs:passkey_auth_options",
    "orgs:passkey_authenticate",
}
# A user without any second factor may also set up a passkey as the first one (never a user who
# has a factor but has not used it in this session: that would bypass it).
ENROLMENT_ALLOWED = {"orgs:passkeys", "orgs:passkey_register_options", "orgs:passkey_register"}


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
        if match is not None and match.view_name in ENROLMENT_ALLOWED:
            return None
        # A session already verified without a factor of Mognad's own has had its second factor
        # at the organization's identity provider (mognad/sso, docs/sso.md).
        if (
            not twofactor.has_factor(user)
            and twofactor.is_required(user)
            and not twofactor.is_verified(request)
        ):
            return redirect(reverse("orgs:enroll_2fa") + "?" + query)
        return None


# --- How long a logged-in session lasts ------------------------------------------------------

LOGIN_AT = "mognad_login_at"
SEEN_AT = "mognad_seen_at"
# The last-seen time is written at most this often (seconds), so a busy page does not write the
# session on every request; the idle limit is therefore exact to within a minute.
SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def _remember_login_time(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Every way of logging in (password, invitation, single sign-on) starts both clocks."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionLimitsMiddleware:
    """Ends a logged-in session after MOGNAD_SESSION_IDLE_HOURS without a request or
    MOGNAD_SESSION_MAX_HOURS after the login, whichever comes first.

    The person is logged out and sees why on the login page the protected page sends them to.
    Requests without a logged-in user (respondents' answer pages, the open link) are untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT)
        if not isinstance(login_at, int) or not isinstance(seen_at, int):
            # A session from before these limits: its clocks start now.
            session[LOGIN_AT] = session[SEEN_AT] = now
            return
        if now - login_at >= settings.SESSION_MAX_HOURS * 3600:
            reason = _(
                "You have been logged out because you logged in more than %(hours)s hours ago. "
                "Log in again to continue."
            ) % {"hours": settings.SESSION_MAX_HOURS}
        elif now - seen_at >= settings.SESSION_IDLE_HOURS * 3600:
            reason = _(
                "You have been logged out after %(hours)s hours without activity. "
                "Log in again to continue."
            ) % {"hours": settings.SESSION_IDLE_HOURS}
        else:
            if now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
            return
        logout(request)
        messages.info(request, reason)
