"""Cookie choice, diagnostics reports and overview, privacy notices and the operator's settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.instrument.schema import content_language
from mognad.orgs import access
from mognad.orgs.models import User
from mognad.platform import ratelimit
from mognad.privacy import actions, consent, diagnostics, queries
from mognad.privacy.forms import ConsentForm, PrivacySettingsForm
from mognad.privacy.models import DiagnosticsAggregate

View = Callable[..., HttpResponse]
DAY = 24 * 3600
# Set by the surveys app for answering through an open link (surveys/views/answering.py);
# privacy may not import surveys, so test_cookies.py keeps these in step with it.
OPEN_LINK_COOKIE = "mognad_open_<id>"
OPEN_LINK_COOKIE_DAYS = 400
# Cookie choices recorded per client address per window; beyond that 429 and nothing is stored.
CONSENT_LIMIT = 60
CONSENT_PERIOD = 10 * 60


def coordinator_required(view: View) -> View:
    """Logged in (else the login page) and a national coordinator (else 404, as if missing)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        access.require_coordinator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request: HttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def cookies(request: HttpRequest) -> HttpResponse:
    form = ConsentForm(request.POST if request.method == "POST" else None)
    too_many = request.method == "POST" and not ratelimit.attempt(
        f"consent:ip:{ratelimit.client_address(request)}",
        limit=CONSENT_LIMIT,
        period=CONSENT_PERIOD,
    )
    if too_many:
        status = 429
    elif request.method == "POST":
        if form.is_valid():
            choice = form.cleaned_data["choice"]
            actions.record_consent(choice)
            target = _safe_next(request, form.cleaned_data["next"])
            response = HttpResponseRedirect(target or reverse("privacy:cookies") + "?saved=1")
            consent.write(response, choice)
            return response
        status = 400
    else:
        status = 200
    return render(
        request,
        "privacy/cookies.html",
        {
            "form": form,
            "saved": request.GET.get("saved") == "1",
            "too_many": too_many,
            "consent_cookie": consent.COOKIE_NAME,
            "consent_days": consent.COOKIE_AGE // DAY,
            "diagnostics_cookie": consent.DIAGNOSTICS_COOKIE_NAME,
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_hours": settings.SESSION_MAX_HOURS,
            "session_idle_hours": settings.SESSION_IDLE_HOURS,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_days": settings.CSRF_COOKIE_AGE // DAY,
            "language_cookie": settings.LANGUAGE_COOKIE_NAME,
            "language_days": (settings.LANGUAGE_COOKIE_AGE or 0) // DAY,
            "open_link_cookie": OPEN_LINK_COOKIE,
            "open_link_days": OPEN_LINK_COOKIE_DAYS,
            "retention_days": settings.DIAGNOSTICS_RETENTION_DAYS,
        },
        status=status,
    )


@never_cache
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    """Where diagnostics.js sends its reports. Without consent nothing happens (204)."""
    if not consent.from_request(request).diagnostics:
        return HttpResponse(status=204)
    if not diagnostics.within_rate_limit(request):
        return JsonResponse({"error": "too many reports; try again in a minute"}, status=429)
    try:
        received = diagnostics.parse_report(request)
    except diagnostics.InvalidReport as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    today = timezone.localdate()
    is_visit = received.kind == DiagnosticsAggregate.Kind.VISIT
    if is_visit and request.COOKIES.get(consent.DIAGNOSTICS_COOKIE_NAME) == today.isoformat():
        return HttpResponse(status=204)  # this browser was counted today already
    diagnostics.record(received, day=today)
    response = HttpResponse(status=204)
    if is_visit:
        response.set_cookie(
            consent.DIAGNOSTICS_COOKIE_NAME,
            today.isoformat(),
            max_age=diagnostics.seconds_until_midnight(),
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@require_GET
@coordinator_required
def diagnostics_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/diagnostics_overview.html",
        {
            "overview": queries.diagnostics_overview(),
            "retention_days": settings.DIAGNOSTICS_RETENTION_DAYS,
        },
    )


def _notice_context() -> dict[str, object]:
    operator = queries.privacy_settings()
    language = get_language() or settings.LANGUAGE_CODE
    legal_basis, legal_basis_language = operator.in_language("legal_basis", language)
    extra_text, extra_text_language = operator.in_language("extra_text", language)
    return {
        "operator": operator,
        "legal_basis": legal_basis,
        "legal_basis_language": legal_basis_language,
        "extra_text": extra_text,
        "extra_text_language": extra_text_language,
        "language": content_language(language),
        "respondent_retention_days": settings.RESPONDENT_RETENTION_DAYS,
        "anonymity_k": settings.ANONYMITY_K,
    }


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notices.html")


@require_GET
def respondents_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/respondents.html", _notice_context())


@require_GET
def administrators_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/administrators.html", _notice_context())


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (DOS-lagen); the operator's details as in the privacy notices."""
    operator = queries.privacy_settings()
    return render(
        request,
        "privacy/accessibility.html",
        {
            "operator": operator,
            "report_email": operator.accessibility_email or operator.contact_email,
            "statement_date": operator.updated_at.date() if operator.updated_at else None,
        },
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = PrivacySettingsForm(
        request.POST if request.method == "POST" else None, instance=queries.privacy_settings()
    )
    if request.method == "POST" and form.is_valid():
        actions.update_privacy_settings(form.cleaned_data, by=cast(User, request.user))
        return redirect(reverse("privacy:settings") + "?saved=1")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/settings.html",
        {"form": form, "saved": request.GET.get("saved") == "1"},
        status=status,
    )
