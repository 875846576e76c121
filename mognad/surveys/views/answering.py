"""The respondent's pages: intro, one page per category, summary, thank-you.

`kind` is "r" for a personal link (/r/<token>/…) and "o" for the open link (/o/<token>/…). Every
page works without JavaScript; every page's answers are saved on the server when leaving it (Back
and Next both save). Any unusable link gets the same friendly page, whatever the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mognad.instrument.language import active_language
from mognad.instrument.scale import DONT_KNOW
from mognad.instrument.schema import Instrument
from mognad.platform.actions import run_action
from mognad.platform.hashing import sha256_hex
from mognad.platform.ratelimit import client_address, hit
from mognad.surveys import answering, queries, tokens
from mognad.surveys.links import OPEN, Link, open_response_exists, resolve
from mognad.surveys.models import Measurement, Role

OPEN_COOKIE_SALT = "mognad.surveys.open-link"
OPEN_COOKIE_AGE = 400 * 24 * 3600
DONT_KNOW_FIELD = "dk"
# Per address (whole organizations may share one): requests, bad links, new open-link responses.
REQUEST_LIMIT = (3000, 600)
BAD_LINK_LIMIT = (30, 3600)
OPEN_START_LIMIT = (30, 3600)


def _client(request: HttpRequest) -> str:
    address = client_address(request)
    return sha256_hex(address)[:24]


def _cookie_name(link: Link) -> str:
    return f"mognad_open_{link.measurement.pk}"


def _browser_id(request: HttpRequest, measurement_hint: str) -> str | None:
    return request.get_signed_cookie(measurement_hint, default=None, salt=OPEN_COOKIE_SALT)


def _unavailable(request: HttpRequest, *, status: int = 404) -> HttpResponse:
    return render(request, "surveys/respond/unavailable.html", status=status)


def _url(link: Link, name: str, *args: Any) -> str:
    return reverse(f"surveys:{name}", args=[link.kind, link.token, *args])


def respondent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Rate-limit, resolve the link (or show the friendly page), speak the respondent's language."""

    @wraps(view)
    def wrapper(request: HttpRequest, kind: str, token: str, **kwargs: Any) -> HttpResponse:
        client = _client(request)
        if not hit(f"surveys:requests:{client}", limit=REQUEST_LIMIT[0], period=REQUEST_LIMIT[1]):
            return _unavailable(request, status=429)
        link = resolve(kind, token)
        if link is not None and kind == OPEN:
            browser_id = _browser_id(request, _cookie_name(link))
            if browser_id:
                link.response_key = tokens.open_response_key(browser_id)
                link.browser_id = browser_id
        if link is None:
            if not hit(
                f"surveys:bad-link:{client}", limit=BAD_LINK_LIMIT[0], period=BAD_LINK_LIMIT[1]
            ):
                return _unavailable(request, status=429)
            return _unavailable(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or link.language
        if language not in dict(settings.LANGUAGES):
            language = link.language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, link, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        # The token is in the path: no Referer ever carries more than the origin. Not
        # "no-referrer": with it, browsers send "Origin: null" on form posts and the CSRF check
        # refuses every answer.
        response.headers["Referrer-Policy"] = "strict-origin"
        return response

    return never_cache(wrapper)


def _first_open_page(link: Link) -> int:
    answered = link.answers()
    for number, category in enumerate(link.categories, start=1):
        if any(item.id not in answered for cap in category.capabilities for item in cap.items):
            return number
    return len(link.categories)


@require_http_methods(["GET", "POST"])
@respondent_page
def intro(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.response
    if response is not None and response.is_submitted():
        return HttpResponseRedirect(_url(link, "thanks"))
    if request.method == "POST":
        if response is None:
            if link.kind == OPEN:
                client = _client(request)
                if not hit(
                    f"surveys:open-start:{client}",
                    limit=OPEN_START_LIMIT[0],
                    period=OPEN_START_LIMIT[1],
                ):
                    return _unavailable(request, status=429)
                browser_id = tokens.new_browser_id()
                link.response_key = tokens.open_response_key(browser_id)
            unit_id, role, error = _own_unit_and_role(request, link)
            if error:
                return _intro_page(request, link, status=400, error=error)
            answering.start_response(
                link.measurement,
                key=link.response_key or "",
                respondent=link.respondent,
                channel="open_link" if link.kind == OPEN else "email",
                unit_id=unit_id,
                role=role,
            )
            redirect = HttpResponseRedirect(_url(link, "page", 1))
            if link.kind == OPEN:
                _set_browser_cookie(redirect, link, browser_id)
            return redirect
        return HttpResponseRedirect(_url(link, "page", _first_open_page(link)))
    return _intro_page(request, link)


def _set_browser_cookie(response: HttpResponse, link: Link, browser_id: str) -> None:
    response.set_signed_cookie(
        _cookie_name(link),
        browser_id,
        salt=OPEN_COOKIE_SALT,
        max_age=OPEN_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=f"/o/{link.token}/",
    )


_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{43}")


@require_http_methods(["GET"])
@respondent_page
def resume(request: HttpRequest, link: Link, code: str) -> HttpResponse:
    """An open-link answer continued on another device: the continue link shown on every page
    carries the browser id; this browser gets it as its cookie (issue 13)."""
    key = tokens.open_response_key(code) if _BROWSER_ID.fullmatch(code) else ""
    if link.kind != OPEN or not key or not open_response_exists(link.measurement, key):
        client = _client(request)
        if not hit(f"surveys:bad-link:{client}", limit=BAD_LINK_LIMIT[0], period=BAD_LINK_LIMIT[1]):
            return _unavailable(request, status=429)
        return _unavailable(request)
    redirect = HttpResponseRedirect(_url(link, "intro"))
    _set_browser_cookie(redirect, link, code)
    return redirect


def _intro_page(
    request: HttpRequest, link: Link, *, status: int = 200, error: str = ""
) -> HttpResponse:
    language = active_language()
    started = link.response is not None
    context = intro_context(link.measurement, link.instrument, language, started=started)
    if link.kind == OPEN and not started:
        # Open-link respondents have no unit or role on a list: they may give them, so that their
        # answers count in the internal comparison (issue 13).
        context["own_units"] = list(queries.organization_units(link.measurement.organization))
        context["own_roles"] = Role.choices
        context["own_error"] = error
    return render(request, "surveys/respond/intro.html", {**context, "link": link}, status=status)


def _own_unit_and_role(request: HttpRequest, link: Link) -> tuple[int | None, str, str]:
    """(unit id, role, error) an open-link respondent gave on the intro page; both optional."""
    if link.kind != OPEN:
        return None, "", ""
    raw_unit, role = request.POST.get("unit", ""), request.POST.get("role", "")
    units = {
        str(pk): pk
        for pk in queries.organization_units(link.measurement.organization).values_list(
            "pk", flat=True
        )
    }
    if (raw_unit and raw_unit not in units) or (role and role not in dict(Role.choices)):
        return None, "", _("Choose a unit and a role from the lists, or leave them empty.")
    return units.get(raw_unit), role, ""


def intro_context(
    measurement: Measurement, instrument: Instrument, language: str, *, started: bool
) -> dict[str, Any]:
    return {
        "measurement": measurement,
        "organization": measurement.organization,
        "instrument": instrument,
        "intro": measurement.intro(language),
        "items": len(instrument.items),
        "pages": len(instrument.categories),
        "minutes": max(5, round(len(instrument.items) * 0.3)),
        "started": started,
        "glossary": instrument.glossary,
        "language": language,
    }


def _parse(
    request: HttpRequest, link: Link, item_ids: list[str]
) -> tuple[dict[int, int], dict[str, str]]:
    """Posted answers for the page's items, by InstrumentItem pk; plus errors by item id."""
    answers: dict[int, int] = {}
    errors: dict[str, str] = {}
    allowed = set(item_ids)
    for name in request.POST:
        if name.startswith("item_") and name[5:] not in allowed:
            errors[name[5:]] = _("This statement is not on this page.")
    for item_id in item_ids:
        raw = request.POST.get(f"item_{item_id}")
        if raw is None or raw == "":
            continue
        if raw == DONT_KNOW_FIELD:
            answers[link.item_pks[item_id]] = DONT_KNOW
        elif raw in {"1", "2", "3", "4", "5", "6"}:
            answers[link.item_pks[item_id]] = int(raw)
        else:
            errors[item_id] = _("Choose one of the seven options.")
    return answers, errors


@require_http_methods(["GET", "POST"])
@respondent_page
def page(request: HttpRequest, link: Link, number: int) -> HttpResponse:
    categories = link.categories
    if not 1 <= number <= len(categories):
        return HttpResponseRedirect(_url(link, "page", 1))
    category = categories[number - 1]
    item_ids = [item.id for cap in category.capabilities for item in cap.items]
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        answers, errors = _parse(request, link, item_ids)
        if not errors:
            # The save finds and locks the response by its key: no separate look-up first.
            saved = run_action(
                lambda: answering.save_answers(
                    link.response_key or "", answers, measurement=link.measurement
                )
            )
            if isinstance(saved.error, answering.NotStarted):
                return HttpResponseRedirect(_url(link, "intro"))
            if not saved.ok:  # submitted meanwhile, or the measurement closed
                return HttpResponseRedirect(_url(link, "thanks"))
            direction = request.POST.get("go", "next")
            if direction == "back":
                target = _url(link, "page", number - 1) if number > 1 else _url(link, "intro")
            elif direction == "next" and number < len(categories):
                target = _url(link, "page", number + 1)
            else:
                target = _url(link, "summary")
            return HttpResponseRedirect(target)
        posted = {
            key[5:]: str(request.POST.get(key)) for key in request.POST if key.startswith("item_")
        }
    response = link.response
    if response is None:
        return HttpResponseRedirect(_url(link, "intro"))
    if response.is_submitted():
        return HttpResponseRedirect(_url(link, "thanks"))
    stored = link.answers()
    current = {
        item_id: (DONT_KNOW_FIELD if value == DONT_KNOW else str(value))
        for item_id, value in stored.items()
    }
    current.update(posted)
    language = active_language()
    context = page_context(
        link.instrument, number, language, current=current, errors=errors, answered=len(stored)
    )
    if link.kind == OPEN and link.browser_id:
        context["continue_link"] = request.build_absolute_uri(
            reverse("surveys:resume", args=[OPEN, link.token, link.browser_id])
        )
    return render(
        request,
        "surveys/respond/page.html",
        {**context, "link": link, "organization": link.measurement.organization},
        status=400 if errors else 200,
    )


def page_context(
    instrument: Instrument,
    number: int,
    language: str,
    *,
    current: dict[str, str],
    errors: dict[str, str],
    answered: int,
) -> dict[str, Any]:
    """Everything page.html shows for category page `number` (1-based)."""
    categories = instrument.categories
    category = categories[number - 1]
    scale = [(str(point.value), point.label.get(language)) for point in instrument.scale]
    options = [*scale, (DONT_KNOW_FIELD, instrument.dont_know.get(language))]
    capabilities = [
        {
            "name": cap.name.get(language),
            "items": [
                {
                    "id": item.id,
                    "text": item.text.get(language),
                    "value": current.get(item.id, ""),
                    "error": errors.get(item.id, ""),
                }
                for item in cap.items
            ],
        }
        for cap in category.capabilities
    ]
    return {
        "category_name": category.name.get(language),
        "category_description": category.description.get(language),
        "capabilities": capabilities,
        "options": options,
        "number": number,
        "pages": len(categories),
        "is_last": number == len(categories),
        "errors": errors,
        "answered": answered,
        "total_items": len(instrument.items),
        "glossary": instrument.glossary,
        "language": language,
    }


@require_http_methods(["GET", "POST"])
@respondent_page
def summary(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.response
    if response is None:
        return HttpResponseRedirect(_url(link, "intro"))
    if response.is_submitted():
        return HttpResponseRedirect(_url(link, "thanks"))
    if request.method == "POST":
        answering.submit_response(response, respondent=link.respondent)
        return HttpResponseRedirect(_url(link, "thanks"))
    answered = link.answers()
    language = active_language()
    missing: list[dict[str, Any]] = []
    missing_count = 0
    for number, category in enumerate(link.categories, start=1):
        items = [
            item.text.get(language)
            for cap in category.capabilities
            for item in cap.items
            if item.id not in answered
        ]
        if items:
            missing.append({"number": number, "name": category.name.get(language), "items": items})
            missing_count += len(items)
    dont_know = sum(1 for value in answered.values() if value == DONT_KNOW)
    return render(
        request,
        "surveys/respond/summary.html",
        {
            "link": link,
            "organization": link.measurement.organization,
            "missing": missing,
            "missing_count": missing_count,
            "answered": len(answered),
            "dont_know": dont_know,
            "total_items": len(link.instrument.items),
            "pages": len(link.categories),
        },
    )


@require_http_methods(["GET"])
@respondent_page
def thanks(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.response
    if response is None or not response.is_submitted():
        return HttpResponseRedirect(_url(link, "intro"))
    return render(
        request,
        "surveys/respond/thanks.html",
        {
            "link": link,
            "measurement": link.measurement,
            "organization": link.measurement.organization,
        },
    )
