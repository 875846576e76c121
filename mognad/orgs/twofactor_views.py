"""The two-factor pages: the code step after the password, enrolment and turning it off.

Same shape as views.py (access → form → action → redirect or render); helpers shared with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mognad.orgs import actions, twofactor
from mognad.orgs.forms import CodeForm
from mognad.orgs.views import (
    CODE_LIMIT,
    GET_POST,
    LOGIN_PERIOD,
    _form_errors,
    _safe_next,
    _too_many,
    _user,
)
from mognad.platform import ratelimit


@never_cache
@login_required
@GET_POST
def verify_2fa(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _safe_next(request, reverse("surveys:start"))
    if not user.has_totp or twofactor.is_verified(request):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        key = f"2fa:user:{user.pk}"
        if not ratelimit.attempt(key, limit=CODE_LIMIT, period=LOGIN_PERIOD):
            return _too_many(request, "orgs/verify_2fa.html", context)
        if twofactor.use_code(user, form.cleaned_data["code"]):
            ratelimit.reset(key)
            twofactor.mark_verified(request)
            return redirect(next_url)
        form.add_error("code", _("The code is not correct. Enter the current code from your app."))
    return render(request, "orgs/verify_2fa.html", context)


_ENROLL_SECRET = "mognad_2fa_enroll_secret"  # noqa: S105 (a session key name)


@never_cache
@login_required
@GET_POST
def enroll_2fa(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.has_totp:
        return redirect("orgs:account")
    secret = request.session.get(_ENROLL_SECRET) or twofactor.new_secret()
    request.session[_ENROLL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = twofactor.matching_step(secret, form.cleaned_data["code"])
        if step is not None:
            actions.enable_totp(user, secret=secret, step=step)
            del request.session[_ENROLL_SECRET]
            twofactor.mark_verified(request)
            messages.success(request, _("Two-factor authentication is now on."))
            return redirect(_safe_next(request, reverse("orgs:account")))
        form.add_error("code", _("The code is not correct. Check the secret and try again."))
    return render(
        request,
        "orgs/enroll_2fa.html",
        {
            "form": form,
            "secret": twofactor.grouped(secret),
            "uri": twofactor.provisioning_uri(user, secret),
            "required": user.is_coordinator,
            "next": _safe_next(request, ""),
        },
    )


@never_cache
@login_required
@GET_POST
def disable_2fa(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_totp:
        return redirect("orgs:account")
    form = CodeForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        key = f"2fa-disable:user:{user.pk}"
        if not ratelimit.attempt(key, limit=CODE_LIMIT, period=LOGIN_PERIOD):
            return _too_many(request, "orgs/disable_2fa.html", context)
        if not twofactor.use_code(user, form.cleaned_data["code"]):
            form.add_error(
                "code", _("The code is not correct. Enter the current code from your app.")
            )
        else:
            ratelimit.reset(key)
            try:
                actions.disable_totp(user)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Two-factor authentication is now off."))
                return redirect("orgs:account")
    return render(request, "orgs/disable_2fa.html", context)
