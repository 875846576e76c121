"""The result dialogue's pages: the workshop guide of a year (HTML, printable, and PDF) with the
conclusions per weak capability, and turning a conclusion into a planned action.

Members read the guide (unit admins for their unit, as on the results pages); key users record
conclusions and turn them into actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.examples import access, actions, dialogue
from mognad.examples.forms import ConclusionsForm
from mognad.orgs.access import can_change_organization, get_org_for_user, unit_scope
from mognad.orgs.models import Organization
from mognad.platform.actions import run_action
from mognad.results import pages
from mognad.results.forms import parse_year
from mognad.surveys.access import acting_user

STYLESHEET = settings.BASE_DIR / "static" / "examples" / "dialogue.css"


def _page(request: HttpRequest, org: Organization) -> pages.Page | HttpResponse:
    base = {"organization": org}
    try:
        year = parse_year(request.GET.get("year"))
    except ValueError:
        message = _("“%(year)s” is not a year. Choose a year such as 2026.") % {
            "year": request.GET.get("year")
        }
        return render(
            request, "examples/dialogue_missing.html", {**base, "message": message}, status=400
        )
    try:
        return pages.load(org, year=year, unit=None, scope=unit_scope(request.user, org))
    except pages.NoResults:
        message = _("There are no results to talk through yet.")
        return render(
            request, "examples/dialogue_missing.html", {**base, "message": message}, status=404
        )


def _guide(request: HttpRequest, org: Organization, page: pages.Page) -> dialogue.Guide:
    conclusions = access.conclusions_of(request.user, org).filter(measurement=page.measurement)
    return dialogue.build(page, {c.capability: c for c in conclusions})


@login_required
@require_http_methods(["GET", "POST"])
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """The workshop guide, and the form for its conclusions (key users)."""
    org = get_org_for_user(request.user, slug, write=request.method == "POST")
    page = _page(request, org)
    if isinstance(page, HttpResponse):
        return page
    the_guide = _guide(request, org, page)
    may_write = can_change_organization(request.user, org) and page.scope is None
    form = ConclusionsForm(
        request.POST if request.method == "POST" else None,
        capabilities=[(w.id, w.name) for w in the_guide.weak],
        initial={w.id: w.conclusion.text for w in the_guide.weak if w.conclusion},
    )
    if request.method == "POST" and form.is_valid():
        user = acting_user(request)
        done = run_action(
            lambda: actions.save_conclusions(page.measurement, form.cleaned_data, by=user),
            form=form,
        )
        if done.ok:
            messages.success(request, _("The conclusions were saved."))
            url = reverse("examples:dialogue", args=[org.slug])
            return HttpResponseRedirect(f"{url}?year={page.year}#conclusions")
    context = {
        "organization": org,
        "guide": the_guide,
        "form": form if may_write else None,
        "year_choices": [m.year for m in page.measurements],
        "has_conclusions": any(w.conclusion for w in the_guide.weak),
    }
    return render(request, "examples/dialogue.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def guide_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The workshop guide as a tagged PDF (PDF/UA-1), for printing before the meeting."""
    from weasyprint import CSS, HTML

    org = get_org_for_user(request.user, slug)
    page = _page(request, org)
    if isinstance(page, HttpResponse):
        return page
    html = render_to_string(
        "examples/dialogue_document.html", {"guide": _guide(request, org, page)}, request=request
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"resultatdialog-{org.slug}-{page.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def conclusion_to_plan(request: HttpRequest, slug: str, conclusion_id: int) -> HttpResponse:
    """Turn a conclusion into a planned action (origin "dialogue") of the year's plan."""
    org = get_org_for_user(request.user, slug, write=True)
    conclusion = access.get_conclusion(request.user, org, conclusion_id, write=True)
    user = acting_user(request)
    done = run_action(lambda: actions.conclusion_to_action(conclusion, by=user), request=request)
    year = conclusion.measurement.year
    if done.ok:
        messages.success(request, _("The conclusion is now an action in the plan."))
        return HttpResponseRedirect(reverse("plans:year", args=[org.slug, year]))
    url = reverse("examples:dialogue", args=[org.slug])
    return HttpResponseRedirect(f"{url}?year={year}#conclusions")
