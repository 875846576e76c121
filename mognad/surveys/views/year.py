"""Where the organization's year stands (issue 13): the page a member lands on after logging in.

State of this year's measurement, response rate, days left, the next reminder and the next step.
`start` sends someone with one organization there, anyone else to the list of organizations.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mognad.orgs.access import (
    can_change_organization,
    get_org_for_user,
    is_coordinator,
    memberships_of,
    organizations_for_user,
)
from mognad.surveys import queries
from mognad.surveys.access import measurements_for_user, respondents_for_user
from mognad.surveys.models import Measurement


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)
    if len(memberships) == 1 and not is_coordinator(request.user):
        org = organizations_for_user(request.user).get()
        return HttpResponseRedirect(reverse("surveys:year", args=[org.slug]))
    return HttpResponseRedirect(reverse("orgs:dashboard"))


def _next_step(measurement: Measurement | None, rates: queries.ResponseRates | None) -> str:
    today = timezone.localdate()
    if measurement is None:
        return _("Create this year's measurement; you can copy last year's people into it.")
    if measurement.is_draft():
        reason = measurement.why_it_cannot_open(today)
        if reason:
            return reason
        if measurement.uses_email() and rates is not None and not rates.total.total:
            return _("Add the respondents, then open the measurement.")
        return _("Check the settings and the preview, then open the measurement.")
    if measurement.is_open():
        return _(
            "Follow the response rate by unit and role; remind those who have not answered. "
            "The measurement closes by itself at the end of its last day."
        )
    return _("Read the results and present them to the steering group.")


@login_required
@require_GET
def year(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_org_for_user(request.user, slug)
    today = timezone.localdate()
    measurement = measurements_for_user(request.user, org).filter(year=today.year).first()
    rates = None
    if measurement is not None:
        rates = queries.response_rates(
            measurement,
            respondents_for_user(request.user, measurement),
            label=_("All respondents you can see"),
            no_unit=_("No unit"),
        )
    is_open = measurement is not None and measurement.is_open()
    return render(
        request,
        "surveys/year.html",
        {
            "organization": org,
            "year": today.year,
            "measurement": measurement,
            "rates": rates,
            "days_left": (measurement.last_answer_day() - today).days + 1
            if measurement is not None and is_open
            else None,
            "next_reminder": measurement.next_reminder(today)
            if measurement is not None and is_open and measurement.uses_email()
            else None,
            "next_step": _next_step(measurement, rates),
            "can_change": can_change_organization(request.user, org),
        },
    )
