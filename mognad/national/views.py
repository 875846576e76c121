"""The national view and the status report, for the national coordinator only (404 for others)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mognad.national import pages, queries, report
from mognad.national.forms import ReportForm, YearForm
from mognad.national.publishing import queries as publishing
from mognad.orgs.access import require_coordinator


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    years = queries.years_with_results()
    form = YearForm(request.GET)
    if not form.is_valid():
        return render(request, "national/problem.html", {"form": form, "years": years}, status=400)
    year = form.cleaned_data["year"] or (years[-1] if years else timezone.localdate().year)
    try:
        page = pages.load(year)
    except pages.NoInstrument:
        return render(request, "national/no_instrument.html", status=200)
    context = {
        "year": year,
        "year_choices": sorted({*years, year}),
        "not_started": page.participation.not_started,
        "sections": pages.sections(page),
        "release": publishing.latest_release(year),
    }
    return render(request, "national/overview.html", context)


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    years = queries.years_with_results()
    if not request.GET:
        return render(request, "national/report_form.html", {"form": ReportForm(years=years)})
    form = ReportForm(request.GET, years=years)
    if not form.is_valid():
        return render(request, "national/report_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    if data["format"] == "html":
        html = report.render_html(data["year"], data["language"])
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        extension = "html"
    else:
        response = HttpResponse(
            report.render_pdf(data["year"], data["language"]), content_type="application/pdf"
        )
        extension = "pdf"
    filename = f"mognad-national-{data['year']}-{data['language']}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
