"""The results pages of an organization: read-only, for key users, unit admins (their subtree),
viewers and coordinators. Every figure comes through `pages` → `figures`, from the results the
disclosure-control door released."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mognad.orgs.access import get_org_for_user, get_unit_for_user, unit_scope
from mognad.results import exports as exports
from mognad.results import pages, queries
from mognad.results import report as report
from mognad.results.forms import AllOrganizationsForm, PeerForm, parse_year

TabView = (
    pages.overview.Overview
    | pages.categories.Categories
    | pages.internal.Internal
    | pages.all_organizations.AllOrganizations
    | pages.over_time.OverTime
    | pages.suggestions.Suggestions
)


@dataclass(frozen=True)
class Tab:
    """What a tab's builder hands the template: its view model, its form, the status."""

    view: TabView | None  # None when the form is not valid and nothing is shown
    form: Form | None = None
    status: int = 200


Builder = Callable[[HttpRequest, pages.Page], "Tab | HttpResponse"]


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
            context = {**base, "page": page, "layout": pages.layout(page)}
            context.update(view=built.view, form=built.form)
            return render(request, template, context, status=built.status)

        view.__name__ = build.__name__
        view.__doc__ = build.__doc__
        return view

    return decorate


def _problem(
    request: HttpRequest, base: dict[str, Any], message: str, status: int = 400
) -> HttpResponse:
    return render(request, "results/problem.html", {**base, "message": message}, status=status)


@_results_page("results/overview.html", "overview")
def overview(request: HttpRequest, page: pages.Page) -> Tab:
    """Overall maturity, the dimensions, the matrix, the organization type and data quality."""
    return Tab(pages.overview.build(page))


@_results_page("results/categories.html", "categories")
def categories(request: HttpRequest, page: pages.Page) -> Tab:
    """Categories and capabilities against a peer group, statements with their answers."""
    form = PeerForm(request.GET)
    if not form.is_valid():
        return Tab(pages.categories.build(page), form, status=400)
    return Tab(pages.categories.build(page, form.cleaned_data["peer"] or None), form)


@_results_page("results/internal.html", "internal")
def internal(request: HttpRequest, page: pages.Page) -> Tab:
    """Units (drill-down) and roles side by side, and consensus per category."""
    return Tab(pages.internal.build(page))


@_results_page("results/all_organizations.html", "peers")
def all_organizations(request: HttpRequest, page: pages.Page) -> Tab:
    """Where the organization stands among all organizations of the year (Allas resultat)."""
    choices = queries.filter_choices()
    data = request.GET.copy()
    data.setdefault("node", "overall")
    form = AllOrganizationsForm(
        data,
        nodes=pages.all_organizations.node_choices(page.instrument, page.lang),
        counties=choices["county"],
        municipality_groups=choices["municipality_group"],
    )
    if not form.is_valid():
        return Tab(None, form, status=400)
    node = pages.all_organizations.parse_node(form.cleaned_data["node"] or "overall")
    return Tab(pages.all_organizations.build(page, node, form.filters()), form)


@_results_page("results/over_time.html", "trend")
def over_time(request: HttpRequest, page: pages.Page) -> Tab:
    """The yearly series with intervals, significance of changes and the path through the types."""
    return Tab(pages.over_time.build(page))


@_results_page("results/suggestions.html", "suggestions")
def suggestions(request: HttpRequest, page: pages.Page) -> Tab:
    """The instrument's improvement suggestions for the weakest categories and capabilities."""
    return Tab(pages.suggestions.build(page))


@_results_page("", "export")
def export_csv(request: HttpRequest, page: pages.Page) -> HttpResponse:
    """The aggregated results as CSV (released figures only, safe to open in a spreadsheet)."""
    response = HttpResponse(exports.to_csv(page), content_type=exports.CSV_TYPE)
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
