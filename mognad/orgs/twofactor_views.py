"""The two-factor pages: the code step after the password, enrolment and turning it off.

Same shape as views.py (access → form → action → redirect or render); helpers shared with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from mognad.orgs import actions, twofactor
from mognad.orgs.forms import CodeForm, SecondStepForm
from mognad.orgs.models import User
from mognad.orgs.views import (
    CODE_LIMIT,
    GET_POST,
    LOGIN_PERIOD,
    _safe_next,
    _too_many,
    _user,
    coordinator_required,
)
from mognad.platform import ratelimit
from mognad.platform.actions import run_action


@never_cache
@login_required
@GET_POST
def verify_2fa(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _safe_next(request, reverse("surveys:start"))
    if not twofactor.has_factor(user) or twofactor.is_verified(request):
        return redirect(next_url)
    form = SecondStepForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        key = f"2fa:user:{user.pk}"
        if not ratelimit.attempt(key, limit=CODE_LIMIT, period=LOGIN_PERIOD):
            return _too_many(request, "orgs/verify_2fa.html", context)
        code = form.cleaned_data["code"]
        if twofactor.looks_like_recovery_code(code):
            if twofactor.use_recovery_code(user, code):
                ratelimit.reset(key)
                twofactor.mark_verified(request)
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)s is left. Make new ones on your "
                        "account page if you have lost your phone.",
                        "You used a recovery code: %(count)s are left. Make new ones on your "
                        "account page if you have lost your phone.",
                        left,
                    )
                    % {"count": left},
                )
                return redirect(next_url)
            form.add_error("code", _("The recovery code is not correct or was used already."))
        elif twofactor.use_code(user, code):
            ratelimit.reset(key)
            twofactor.mark_verified(request)
            return redirect(next_url)
        else:
            form.add_error(
                "code", _("The code is not correct. Enter the current code from your app.")
            )
    return render(request, "orgs/verify_2fa.html", context)


_ENROLL_SECRET = "mognad_2fa_enroll_secret"  # noqa: S105 (a session key name)
# New recovery codes wait here for the one page that shows them (then they are gone).
_NEW_CODES = "mognad_2fa_new_recovery_codes"


@never_cache
@login_required
@GET_POST
def enroll_2fa(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.has_totp:
        return redirect("orgs:account")
    secret = request.session.get(_ENROLL_SECRET) or twofactor.new_secret()
    uri = twofactor.provisioning_uri(user, secret)
    request.session[_ENROLL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = twofactor.matching_step(secret, form.cleaned_data["code"])
        if step is not None:
            first_factor = not twofactor.has_factor(user)
            actions.enable_totp(user, secret=secret, step=step)
            del request.session[_ENROLL_SECRET]
            twofactor.mark_verified(request)
            if first_factor or not twofactor.recovery_codes_left(user):
                request.session[_NEW_CODES] = twofactor.new_recovery_codes(user)
            messages.success(request, _("Two-factor authentication is now on."))
            target = reverse("orgs:recovery_codes")
            next_url = _safe_next(request, "")
            return redirect(target + ("?" + urlencode({"next": next_url}) if next_url else ""))
        form.add_error("code", _("The code is not correct. Check the secret and try again."))
    return render(
        request,
        "orgs/enroll_2fa.html",
        {
            "form": form,
            "secret": twofactor.grouped(secret),
            "uri": uri,
            "qr_svg": twofactor.qr_svg(uri),
            "required": twofactor.is_required(user),
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
            if run_action(lambda: actions.disable_totp(user), form=form).ok:
                messages.success(request, _("Two-factor authentication is now off."))
                return redirect("orgs:account")
    return render(request, "orgs/disable_2fa.html", context)


@never_cache
@login_required
@GET_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once (right after they are made); afterwards only how many are left.

    POST makes ten new ones (the old ones stop working) and shows them once.
    """
    user = _user(request)
    if not twofactor.has_factor(user):
        return redirect("orgs:account")
    if request.method == "POST":
        request.session[_NEW_CODES] = twofactor.new_recovery_codes(user)
        return redirect("orgs:recovery_codes")
    codes = request.session.pop(_NEW_CODES, None)
    return render(
        request,
        "orgs/recovery_codes.html",
        {
            "codes": codes,
            "left": twofactor.recovery_codes_left(user),
            "next": _safe_next(request, reverse("orgs:account")),
        },
    )


@coordinator_required
@GET_POST
def reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """A coordinator removes someone's second factor (a lost phone): confirm, audit, e-mail."""
    person = get_object_or_404(User, pk=user_id, is_active=True)
    errors: list[str] = []
    if request.method == "POST":
        reset = run_action(lambda: twofactor.reset_second_factor(person, by=_user(request)))
        if reset.error is not None:
            errors = [reset.error.message]
        else:
            messages.success(
                request,
                _("The second factor of %(email)s has been reset. They have been told by e-mail.")
                % {"email": person.email},
            )
            return redirect(_safe_next(request, reverse("orgs:dashboard")))
    return render(
        request,
        "orgs/reset_2fa.html",
        {
            "person": person,
            "has_factor": twofactor.has_factor(person),
            "codes_left": twofactor.recovery_codes_left(person),
            "errors": errors,
            "next": _safe_next(request, ""),
        },
        status=400 if errors else 200,
    )
