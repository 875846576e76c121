"""The steps that e-mail people or end links – open, reopen, close, invite, remind – each behind a
confirmation page that says who it reaches (issue 13).

GET (or a POST without `confirm`) shows the confirmation with the recipient counts; a POST with
`confirm=1` runs the action. A step that is not possible now goes back to the measurement with the
reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mognad.platform.actions import Done, run_action
from mognad.surveys import actions, queries
from mognad.surveys.access import acting_user, get_measurement_for_user
from mognad.surveys.models import Measurement


def _detail(measurement: Measurement, *, status: int = 302) -> HttpResponseRedirect:
    response = HttpResponseRedirect(reverse("surveys:detail", args=[measurement.pk]))
    response.status_code = status
    return response


def _why_not(measurement: Measurement, step: str) -> str | None:
    """Why `step` is not possible now (the actions' own words), or None."""
    if step == "open":
        return measurement.why_it_cannot_open(timezone.localdate())
    elif step == "close":
        if not measurement.is_open():
            return _("Only an open measurement can be closed.")
    elif not measurement.is_open():
        if step == "invite":
            return _("Invitations go out when the measurement is open.")
        return _("Reminders go out only while the measurement is open.")
    elif not measurement.uses_email():
        return _("This measurement does not invite by email.")
    return None


def _run(request: HttpRequest, measurement: Measurement, step: str) -> HttpResponse:
    by = acting_user(request)
    if step == "open":
        done: Done[object] = run_action(
            lambda: actions.open_measurement(measurement, by=by), request=request
        )
        success = _("The measurement is open for answers.")
    elif step == "close":
        done = run_action(lambda: actions.close_measurement(measurement, by=by), request=request)
        success = _("The measurement is closed. The results are being computed.")
    elif step == "invite":
        done = run_action(lambda: actions.send_invitations(measurement, by=by), request=request)
        success = _("Invitations queued: %(n)s.") % {"n": done.value}
    else:
        done = run_action(lambda: actions.send_reminders(measurement, by=by), request=request)
        success = _("Reminders queued: %(n)s.") % {"n": done.value}
    if not done.ok:
        return _detail(measurement, status=303)
    messages.success(request, success)
    return _detail(measurement)


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk, write=True)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _run(request, measurement, step)
    reason = _why_not(measurement, step)
    if reason is not None:
        messages.error(request, reason)
        return _detail(measurement, status=303)
    if step == "open" and measurement.is_closed():
        step = "reopen"
    return render(
        request,
        "surveys/confirm_step.html",
        {
            "measurement": measurement,
            "organization": measurement.organization,
            "step": step,
            "recipients": queries.recipients(measurement, now=timezone.now()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_measurement(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "open")


@login_required
@require_http_methods(["GET", "POST"])
def close_measurement(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "close")


@login_required
@require_http_methods(["GET", "POST"])
def send_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "invite")


@login_required
@require_http_methods(["GET", "POST"])
def send_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "remind")
