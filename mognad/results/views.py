"""The results pages of an organization: read-only, for key users, unit admins (their subtree),
viewers and coordinators. Every figure comes through `pages` → `figures` → `suppression`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mognad.orgs.access import get_org_for_user, get_unit_for_user, unit_scope
from mognad.results import exports as exports
from mognad.results import pages, queries
from mognad.results import report as report
from mognad.results.forms import AllOrganizationsForm, PeerForm, parse_year

Builder = Callable[[HttpRequest, pages.Page], "dict[str, Any] | HttpResponse"]


def _results_page(template: str, tab: str) -> Callable[[Builder], Callable[..., HttpResponse]]:
    """Access → the year's stored results → the page builder → render (or a clear error)."""

    def decorate(build: Builder) -> Callable[..., HttpResponse]:
        @login_required
        @require_GET
        def view(request: HttpRequest, slug: str) -> HttpResponse:
            org = get_org_for_user(request.user, slug)
            scope = unit_scope(request.user, org)
            unit = None
            if request.GET.get("unit"):
                unit = get_unit_for_user(request.user, org, request.GET["unit"])
            base = {"organization": org, "tab": tab, "unit": unit or scope, "scope": scope}
            try:
                year = parse_year(request.GET.get("year"))
            except ValueError:
                return _problem(
                    request,
                    base,
                    _("“%(year)s” is not a year. Choose a year such as 2026.")
                    % {"year": request.GET.get("year")},
                )
            try:
                page = pages.load(org, year=year, unit=unit, scope=scope)
            except pages.NoResults:
                if year is None:
                    return render(request, "results/no_results.html", base)
                return _problem(
                    request,
                    base,
                    _("There are no results for %(year)s.") % {"year": year},
                    status=404,
                )
            built = build(request, page)
            if isinstance(built, HttpResponse):
                return built
            status = built.pop("status", 200)
            return render(request, template, {**base, **_common(page), **built}, status=status)

        view.__name__ = build.__name__
        view.__doc__ = build.__doc__
        return view

    return decorate


def _problem(
    request: HttpRequest, base: dict[str, Any], message: str, status: int = 400
) -> HttpResponse:
    return render(request, "results/problem.html", {**base, "message": message}, status=status)


def _common(page: pages.Page) -> dict[str, Any]:
    query = {"year": page.year}
    if page.unit is not None and page.unit != page.scope:
        query["unit"] = page.unit.pk
    return {
        "page": page,
        "year": page.year,
        "years": [m.year for m in page.measurements],
        "group_name": page.group_name,
        "instrument_key": page.measurement.instrument.key,
        "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "respondents": page.figures.respondents(page.group),
        "k": page.figures.k,
    }


@_results_page("results/overview.html", "overview")
def overview(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """Overall maturity, the dimensions, the matrix, the organization type and data quality."""
    return pages.overview(page)


@_results_page("results/categories.html", "categories")
def categories(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """Categories and capabilities against a peer group, statements with their answers."""
    form = PeerForm(request.GET)
    if not form.is_valid():
        return {"form": form, "status": 400, **pages.categories(page)}
    return {"form": form, **pages.categories(page, form.cleaned_data["peer"] or None)}


@_results_page("results/internal.html", "internal")
def internal(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """Units (drill-down) and roles side by side, and consensus per category."""
    return pages.internal(page)


@_results_page("results/all_organizations.html", "peers")
def all_organizations(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """Where the organization stands among all organizations of the year (Allas resultat)."""
    choices = queries.filter_choices()
    data = request.GET.copy()
    data.setdefault("node", "overall")
    form = AllOrganizationsForm(
        data,
        nodes=pages.node_choices(page.instrument, page.lang),
        counties=choices["county"],
        municipality_groups=choices["municipality_group"],
    )
    if not form.is_valid():
        return {"form": form, "status": 400, "invalid": True}
    node = pages.parse_node(form.cleaned_data["node"] or "overall")
    return {"form": form, **pages.all_organizations(page, node, form.filters())}


@_results_page("results/over_time.html", "trend")
def over_time(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """The yearly series with intervals, significance of changes and the path through the types."""
    return pages.over_time(page)


@_results_page("results/suggestions.html", "suggestions")
def suggestions(request: HttpRequest, page: pages.Page) -> dict[str, Any]:
    """The instrument's improvement suggestions for the weakest categories and capabilities."""
    return pages.suggestions(page)


@_results_page("", "export")
def export_csv(request: HttpRequest, page: pages.Page) -> HttpResponse:
    """The aggregated results as CSV (suppression applied, safe to open in a spreadsheet)."""
    response = HttpResponse(exports.to_csv(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(page, "csv")}"'
    return response


@_results_page("", "export")
def export_xlsx(request: HttpRequest, page: pages.Page) -> HttpResponse:
    """The aggregated results as an Excel workbook."""
    response = HttpResponse(exports.to_xlsx(page), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(page, "xlsx")}"'
    return response


@_results_page("", "export")
def report_pdf(request: HttpRequest, page: pages.Page) -> HttpResponse:
    """The PDF report for a steering group, in the page's language."""
    response = HttpResponse(report.render_pdf(page), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(page, "pdf")}"'
    return response
