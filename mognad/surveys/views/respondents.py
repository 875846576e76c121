"""Respondents of a measurement: list, add by hand, remove, import a file with preview and confirm.

Unit admins see and manage only their subtree's respondents; viewers only read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mognad.orgs.access import role_in, units_visible_to
from mognad.platform.actions import run_action
from mognad.surveys import actions, importing, insiders, queries
from mognad.surveys.access import (
    acting_user,
    can_manage_respondents,
    can_see_respondents,
    get_measurement_for_user,
    get_respondent_for_user,
    manageable_units,
    respondents_for_user,
    shows_personal_status,
)
from mognad.surveys.forms import ImportForm, RespondentForm
from mognad.surveys.models import Measurement, Role

IMPORT_SALT = "mognad.surveys.import"
# A preview is confirmed within this many seconds, or uploaded again.
IMPORT_MAX_AGE = 3600
PAGE_SIZE = 100


def _require_manager(request: HttpRequest, measurement: Measurement) -> None:
    if not can_manage_respondents(request.user, measurement):
        raise PermissionDenied


def _list_url(measurement: Measurement) -> str:
    return reverse("surveys:respondents", args=[measurement.pk])


@login_required
@require_http_methods(["GET", "POST"])
def respondent_list(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk)
    if not can_see_respondents(request.user, measurement):
        raise PermissionDenied  # a viewer: results and response rates, never addresses
    org = measurement.organization
    can_manage = can_manage_respondents(request.user, measurement)
    scope = manageable_units(request.user, org)
    form = RespondentForm(
        request.POST or None,
        units=units_visible_to(request.user, org),
        unit_required=scope is not None,
        initial={"language": measurement.language},
    )
    if request.method == "POST":
        _require_manager(request, measurement)
        if form.is_valid():
            added = run_action(
                lambda: actions.add_respondent(
                    measurement,
                    email=form.cleaned_data["email"],
                    unit=form.cleaned_data["unit"],
                    role=form.cleaned_data["role"],
                    language=form.cleaned_data["language"],
                    by=acting_user(request),
                ),
                form=form,
                field="email",
            )
            if added.ok:
                messages.success(
                    request,
                    _("%(email)s was added.") % {"email": form.cleaned_data["email"].lower()},
                )
                return HttpResponseRedirect(_list_url(measurement))
    respondents = respondents_for_user(request.user, measurement).select_related("unit")
    page = Paginator(respondents, PAGE_SIZE).get_page(request.GET.get("page"))
    # "Invited" only once the invitation has really gone: the outbox says whether it has.
    mail_states = queries.invitation_mail_states(measurement, list(page.object_list))
    rows = [(respondent, mail_states.get(respondent.pk, "")) for respondent in page.object_list]
    return render(
        request,
        "surveys/respondents.html",
        {
            "measurement": measurement,
            "organization": org,
            "page": page,
            "rows": rows,
            "form": form,
            "can_manage": can_manage and not measurement.is_closed(),
            # Also after closing: next year's list is copied from this one.
            "can_export": can_manage,
            "shows_status": shows_personal_status(measurement),
            "import_form": ImportForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, respondent_pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk)
    _require_manager(request, measurement)
    respondent = get_respondent_for_user(request.user, measurement, respondent_pk, write=True)
    actions.remove_respondent(respondent, by=acting_user(request))
    messages.success(request, _("%(email)s was removed.") % {"email": respondent.email})
    return HttpResponseRedirect(_list_url(measurement))


def _preview(
    request: HttpRequest, measurement: Measurement, upload: Any
) -> importing.ImportPreview:
    org = measurement.organization
    raw_rows = importing.read_rows(upload.name, upload.read())
    scope = manageable_units(request.user, org)
    return importing.check_rows(
        raw_rows,
        units=importing.unit_lookup(queries.organization_units(org)),
        allowed_unit_ids=None if scope is None else set(scope.values_list("pk", flat=True)),
        existing=queries.existing_respondents(measurement),
        default_language=measurement.language,
        address_refusal=lambda email: insiders.refusal(measurement, [email]),
    )


def _sign(measurement: Measurement, request: HttpRequest, rows: list[importing.ImportRow]) -> str:
    payload = {
        "m": measurement.pk,
        "u": request.user.pk,
        "rows": [[r.line, r.email, r.unit_id, r.role, r.language, r.merged] for r in rows],
    }
    return signing.dumps(payload, salt=IMPORT_SALT, compress=True)


def _unsign(measurement: Measurement, request: HttpRequest, data: str) -> list[importing.ImportRow]:
    payload = signing.loads(data, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    if payload.get("m") != measurement.pk or payload.get("u") != request.user.pk:
        raise signing.BadSignature("preview of another measurement or user")
    return [
        importing.ImportRow(
            line=row[0], email=row[1], unit_id=row[2], role=row[3], language=row[4], merged=row[5]
        )
        for row in payload["rows"]
    ]


def _shown(measurement: Measurement, rows: list[importing.ImportRow]) -> list[dict[str, Any]]:
    units = dict(queries.organization_units(measurement.organization).values_list("pk", "name"))
    roles = dict(Role.choices)
    return [
        {
            "line": row.line,
            "email": row.email,
            "unit": units.get(row.unit_id, "–") if row.unit_id else "–",
            "role": roles.get(row.role, row.role),
            "language": row.language,
            "merged": row.merged,
        }
        for row in rows
    ]


def _invitations_on_import(measurement: Measurement, preview: importing.ImportPreview) -> int:
    """How many invitations saving sends at once: everyone not yet invited, while it is open."""
    if not (measurement.is_open() and measurement.uses_email()) or not preview.new_count:
        return 0
    return preview.new_count + queries.recipients(measurement, now=timezone.now()).pending


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (written). The preview travels signed."""
    measurement = get_measurement_for_user(request.user, pk)
    _require_manager(request, measurement)
    if measurement.is_closed():
        # Refused before any file is read: a closed measurement's list no longer changes.
        messages.error(request, _("The measurement is closed: no respondents can be imported."))
        return HttpResponseRedirect(_list_url(measurement))
    context: dict[str, Any] = {
        "measurement": measurement,
        "organization": measurement.organization,
        # The import help names the roles as the drop-down does (importing reads both languages).
        "role_names": [str(label) for _value, label in Role.choices],
    }
    if request.method == "POST" and "confirm" in request.POST:
        try:
            rows = _unsign(measurement, request, request.POST.get("preview", ""))
        except (signing.BadSignature, KeyError, TypeError, IndexError):
            messages.error(
                request, _("The preview has expired or was changed. Upload the file again.")
            )
            return HttpResponseRedirect(reverse("surveys:import", args=[measurement.pk]))
        done = run_action(
            lambda: actions.import_respondents(measurement, rows, by=acting_user(request)),
            request=request,
        )
        if done.value is None:
            return HttpResponseRedirect(reverse("surveys:import", args=[measurement.pk]))
        added, updated = done.value
        messages.success(
            request,
            _("Import done: %(added)s added, %(updated)s updated.")
            % {"added": added, "updated": updated},
        )
        return HttpResponseRedirect(_list_url(measurement))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = _preview(request, measurement, form.cleaned_data["file"])
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context.update(
                preview=preview,
                signed=_sign(measurement, request, preview.rows) if preview.rows else "",
                shown_rows=_shown(measurement, preview.rows[:200]),
                is_unit_admin=role_in(request.user, measurement.organization) == "unit_admin",
                invitations=_invitations_on_import(measurement, preview),
            )
            return render(request, "surveys/import_preview.html", context)
    context["form"] = form
    return render(request, "surveys/import.html", context, status=400 if form.errors else 200)
