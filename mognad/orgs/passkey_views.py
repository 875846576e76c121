"""The passkey pages: list, add and remove passkeys; use one at the second step (orgs/passkeys.py).

The JSON endpoints answer the page's script (static/orgs/passkeys.js); every one is a POST with the
CSRF token.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mognad.orgs import passkeys, twofactor
from mognad.orgs.models import Passkey
from mognad.orgs.twofactor_views import _NEW_CODES
from mognad.orgs.views import CODE_LIMIT, LOGIN_PERIOD, _user
from mognad.platform import ratelimit
from mognad.platform.actions import ActionError, run_action


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@never_cache
@login_required
def passkey_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "orgs/passkeys.html",
        {"passkeys": passkeys.passkeys_of(user), "required": twofactor.is_required(user)},
    )


@never_cache
@login_required
@require_POST
def passkey_register_options(request: HttpRequest) -> HttpResponse:
    options = passkeys.registration_options(_user(request), request.session)
    return HttpResponse(options, content_type="application/json")


@never_cache
@login_required
@require_POST
def passkey_register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = _body(request)
    first_factor = not twofactor.has_factor(user)
    try:
        passkey = passkeys.register(
            user, request.session, name=data.get("name", ""), credential=data.get("credential")
        )
    except ActionError as error:
        return _error(error.message)
    messages.success(request, _("The passkey %(name)s has been added.") % {"name": passkey.name})
    if first_factor:
        # The first second factor: this session has passed it, and the recovery codes follow.
        twofactor.mark_verified(request)
        request.session[_NEW_CODES] = twofactor.new_recovery_codes(user)
        return JsonResponse({"redirect": reverse("orgs:recovery_codes")})
    return JsonResponse({"redirect": reverse("orgs:passkeys")})


@login_required
@require_POST
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = _user(request)
    passkey = get_object_or_404(Passkey, pk=passkey_id, user=user)
    removed = run_action(
        lambda: passkeys.remove(passkey, by=user, required=twofactor.is_required(user)),
        request=request,
    )
    if removed.ok:
        messages.success(
            request, _("The passkey %(name)s has been removed.") % {"name": passkey.name}
        )
    return redirect("orgs:passkeys")


@never_cache
@login_required
@require_POST
def passkey_auth_options(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_passkeys:
        return _error(_("You have no passkey."), 404)
    return HttpResponse(
        passkeys.authentication_options(user, request.session), content_type="application/json"
    )


@never_cache
@login_required
@require_POST
def passkey_authenticate(request: HttpRequest) -> HttpResponse:
    """The second step with a passkey; counted against the same limit as the codes."""
    user = _user(request)
    data = _body(request)
    key = f"2fa:user:{user.pk}"
    if not ratelimit.attempt(key, limit=CODE_LIMIT, period=LOGIN_PERIOD):
        return _error(_("Too many wrong codes. Wait 15 minutes and try again."), 429)
    try:
        passkeys.authenticate(user, request.session, data.get("credential"))
    except passkeys.PasskeyError as error:
        return _error(str(error))
    ratelimit.reset(key)
    twofactor.mark_verified(request)
    target = str(data.get("next") or "")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("surveys:start")
    return JsonResponse({"redirect": target})
