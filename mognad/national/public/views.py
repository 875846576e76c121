"""The public pages: national figures, the named organizations, the method, the open data and how
to join. No login; only published releases (never a draft, never the live figures)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from mognad.instrument.language import active_language
from mognad.national.public import content
from mognad.national.publishing import queries
from mognad.national.publishing.models import PublishedRelease
from mognad.results.disclosure.door import threshold

SCORING = settings.BASE_DIR / "docs" / "scoring.md"
# The open data package's files, as the open-data API serves them.
OPEN_DATA_FILES = ("datapackage.json", "national.csv", "organizations.csv", "README.md")


def _release(request: HttpRequest) -> PublishedRelease | None:
    """The newest published version of the year asked for (?year=), else of the newest year."""
    raw = request.GET.get("year", "")
    if not raw:
        return queries.latest_release()
    if not raw.isdigit() or len(raw) != 4:
        raise Http404
    found = queries.latest_release(int(raw))
    if found is None:
        raise Http404
    return found


def _context(release: PublishedRelease | None) -> dict[str, object]:
    return {
        "release": release,
        "years": queries.published_years(),
        "versions": list(queries.releases(release.year)) if release else [],
    }


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    release = _release(request)
    context = _context(release)
    if release is not None:
        # Built (or read from the cache) only when the template's cached fragment is missing.
        context["sections"] = SimpleLazyObject(lambda: content.sections(release))
    return render(request, "national/public/figures.html", context)


@require_GET
def organizations(request: HttpRequest) -> HttpResponse:
    release = _release(request)
    context = _context(release)
    if release is not None:
        context["named"] = SimpleLazyObject(lambda: content.named(release))
    return render(request, "national/public/organizations.html", context)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    instrument = content.instrument()
    lang = active_language()
    context = {
        "instrument": instrument,
        "types": [
            {"name": t.name.get(lang), "description": t.description.get(lang)}
            for t in (instrument.types if instrument else ())
        ],
        "k": threshold(),
    }
    return render(request, "national/public/method.html", context)


@require_GET
def method_scoring(request: HttpRequest) -> HttpResponse:
    """docs/scoring.md as published with the application, as plain text."""
    response = HttpResponse(SCORING.read_bytes(), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _file_links(release: PublishedRelease) -> list[tuple[str, str]]:
    """Each open data file of the release, at its address in the public open-data API."""
    return [
        (name, reverse("api:v1:open_data_file", args=[release.year, release.version, name]))
        for name in OPEN_DATA_FILES
    ]


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    api_url = reverse("api:v1:open_data")
    releases = [{"release": r, "files": _file_links(r)} for r in queries.releases()]
    return render(
        request, "national/public/open_data.html", {"releases": releases, "api_url": api_url}
    )


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    return render(request, "national/public/join.html")
