"""The respondent roster across years: export it, and mark people as having left (copies of the
list for next year leave them out). Creating a measurement with last year's people is in
views/measurements.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mognad.surveys import roster
from mognad.surveys.access import (
    acting_user,
    can_manage_respondents,
    get_measurement_for_user,
    get_respondent_for_user,
    respondents_for_user,
)

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The list as the user may see it, in the import's columns (it can be imported again)."""
    if kind not in _CONTENT_TYPES:
        raise Http404
    measurement = get_measurement_for_user(request.user, pk)
    if not can_manage_respondents(request.user, measurement):
        raise PermissionDenied
    data = roster.export(
        measurement,
        respondents_for_user(request.user, measurement),
        kind=kind,
        by=acting_user(request),
    )
    response = HttpResponse(data, content_type=_CONTENT_TYPES[kind])
    name = f"respondenter-{measurement.organization.slug}-{measurement.year}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def mark_left(request: HttpRequest, pk: int, respondent_pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk)
    if not can_manage_respondents(request.user, measurement):
        raise PermissionDenied
    respondent = get_respondent_for_user(request.user, measurement, respondent_pk, write=True)
    left = request.POST.get("left") == "1"
    roster.mark_left(respondent, left=left, by=acting_user(request))
    if left:
        message = _("%(email)s is marked as having left: next year's list leaves them out.")
    else:
        message = _("%(email)s is no longer marked as having left.")
    messages.success(request, message % {"email": respondent.email})
    return HttpResponseRedirect(reverse("surveys:respondents", args=[measurement.pk]))
