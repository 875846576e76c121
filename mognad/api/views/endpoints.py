"""The API's endpoints. Each has the shape of a page view: access helper → input → action → output.

Tenant data comes only through mognad/orgs/access.py and mognad/surveys/access.py, figures only
through MeasurementFigures (mognad/api/results.py), changes only through mognad/surveys/actions.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import ValidationError
from ninja.params.functions import Path, Query
from ninja.responses import Status

from mognad.api import results
from mognad.api.auth import user_of
from mognad.api.errors import COMMON, not_found, read_body
from mognad.api.schemas import (
    MAX_ID,
    Error,
    MeasurementDetailOut,
    MeasurementOut,
    OrganizationDetailOut,
    OrganizationOut,
    RespondentIn,
    RespondentOut,
    RespondentPage,
    ResultsOut,
    json_schema,
)
from mognad.orgs.access import (
    get_org_for_user,
    get_unit_for_user,
    membership_in,
    organizations_for_user,
    role_in,
    unit_scope,
    units_visible_to,
)
from mognad.orgs.models import Organization
from mognad.results.wording import language
from mognad.surveys import actions, insiders, queries
from mognad.surveys.access import (
    can_manage_respondents,
    can_see_respondents,
    get_measurement_for_user,
    get_respondent_for_user,
    manageable_units,
    measurements_for_user,
    respondents_for_user,
    shows_personal_status,
)
from mognad.surveys.models import Measurement, Respondent

router = Router(tags=["Mognad"])

Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]
MeasurementId = Annotated[int, Path(ge=1, le=MAX_ID)]
RespondentId = Annotated[int, Path(ge=1, le=MAX_ID)]
MAX_PAGE = 1000


def errors(*statuses: int) -> dict[int, type[Error]]:
    return {status: Error for status in (*COMMON, *statuses)}


# --- Organizations ------------------------------------------------------------------------------


def _organization(request: HttpRequest, org: Organization) -> dict[str, Any]:
    user = user_of(request)
    membership = membership_in(user, org)
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "code": org.code,
        "county": org.county,
        "size_class": org.size_class,
        "municipality_group": org.municipality_group,
        "role": role_in(user, org) or "",
        "unit_id": membership.unit_id if membership is not None else None,
    }


@router.get(
    "/organizations/",
    response={200: list[OrganizationOut], **errors()},
    url_name="organizations",
    summary="Your organizations",
)
def organizations(request: HttpRequest) -> list[dict[str, Any]]:
    """The organizations you are a member of (every organization for a national coordinator)."""
    user = user_of(request)
    return [_organization(request, org) for org in organizations_for_user(user).order_by("name")]


@router.get(
    "/organizations/{slug}/",
    response={200: OrganizationDetailOut, **errors()},
    url_name="organization",
    summary="One organization and its units",
)
def organization(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """One of your organizations, with the units you can see (a unit admin: their subtree)."""
    user = user_of(request)
    org = get_org_for_user(user, slug)
    units = [
        {"id": u.pk, "name": u.name, "unit_type": u.unit_type, "parent_id": u.parent_id}
        for u in units_visible_to(user, org)
    ]
    return {**_organization(request, org), "units": units}


# --- Measurements -------------------------------------------------------------------------------


def _measurement(measurement: Measurement) -> dict[str, Any]:
    instrument = measurement.instrument
    return {
        "id": measurement.pk,
        "organization": measurement.organization.slug,
        "year": measurement.year,
        "state": measurement.state,
        "instrument": {"key": instrument.key, "name": instrument.name.get(language())},
        "invitation_mode": measurement.invitation_mode,
        "anonymous": measurement.anonymous,
        "opened_at": measurement.opened_at,
        "closed_at": measurement.closed_at,
    }


@router.get(
    "/organizations/{slug}/measurements/",
    response={200: list[MeasurementOut], **errors()},
    url_name="measurements",
    summary="An organization's measurements",
)
def measurements(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The organization's measurements, newest year first."""
    user = user_of(request)
    org = get_org_for_user(user, slug)
    return [
        _measurement(m) for m in measurements_for_user(user, org).select_related("organization")
    ]


@router.get(
    "/measurements/{measurement_id}/",
    response={200: MeasurementDetailOut, **errors()},
    url_name="measurement",
    summary="One measurement with its response rate",
)
def measurement(request: HttpRequest, measurement_id: MeasurementId) -> dict[str, Any]:
    """State, year, instrument and the live response rate of the respondents you can see."""
    user = user_of(request)
    found = get_measurement_for_user(user, measurement_id)
    rates = queries.response_rates(found, respondents_for_user(user, found), label="", no_unit="")
    total = rates.total
    return {
        **_measurement(found),
        "response_rate": {
            "respondents": total.total,
            "invited": total.invited,
            "completed": total.completed,
            "percent": total.percent,
            "open_link_started": rates.open_link_started,
            "open_link_submitted": rates.open_link_submitted,
        },
    }


# --- Results ------------------------------------------------------------------------------------


@router.get(
    "/measurements/{measurement_id}/results/",
    response={200: ResultsOut, **errors()},
    url_name="results",
    summary="A closed measurement's results, with the anonymity threshold applied",
)
def measurement_results(
    request: HttpRequest,
    measurement_id: MeasurementId,
    unit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    """The results of the organization (or of `unit` and the units below it), each unit and,
    for the whole organization, each respondent role. A figure hidden by the anonymity threshold
    is `null` with `suppressed: true`, exactly as on the results pages."""
    user = user_of(request)
    found = get_measurement_for_user(user, measurement_id)
    org = found.organization
    root = get_unit_for_user(user, org, unit) if unit is not None else unit_scope(user, org)
    try:
        return results.results(org, found, root=root)
    except results.NoResults:
        raise not_found(
            _("This measurement has no results yet: results are computed when it closes.")
        ) from None


# --- Respondents --------------------------------------------------------------------------------


def _respondent(measurement: Measurement, respondent: Respondent) -> dict[str, Any]:
    # As on the pages: in an anonymous measurement nobody sees, person by person, who has
    # answered, nor who was reminded (only those who had not answered are).
    personal = shows_personal_status(measurement)
    return {
        "id": respondent.pk,
        "email": respondent.email,
        "unit_id": respondent.unit_id,
        "role": respondent.role,
        "language": respondent.language,
        "status": respondent.status if personal else None,
        "invitations_sent": respondent.invitations_sent if personal else None,
        "reminders_sent": respondent.reminders_sent if personal else None,
    }


@router.get(
    "/measurements/{measurement_id}/respondents/",
    response={200: RespondentPage, **errors()},
    url_name="respondents",
    summary="The respondents you can see",
)
def respondents(
    request: HttpRequest,
    measurement_id: MeasurementId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """The measurement's respondents (a unit admin: those of their subtree), by email address.
    Viewers may not (403): they read results and response rates, never addresses."""
    user = user_of(request)
    found = get_measurement_for_user(user, measurement_id)
    if not can_see_respondents(user, found):
        raise PermissionDenied
    rows = respondents_for_user(user, found)
    return {
        "count": rows.count(),
        "limit": limit,
        "offset": offset,
        "items": [_respondent(found, r) for r in rows[offset : offset + limit]],
    }


@router.post(
    "/measurements/{measurement_id}/respondents/",
    response={201: RespondentOut, **errors(400, 403, 409)},
    url_name="add_respondent",
    summary="Add one respondent",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": json_schema(RespondentIn)}},
        }
    },
)
def add_respondent(request: HttpRequest, measurement_id: MeasurementId) -> Status[Any]:
    """Add one person to the measurement (invited at once if it is open and uses email).

    Key users and coordinators may; unit admins for a unit of their subtree (`unit_id` required);
    viewers may not (403). An address already on the list, or a closed measurement, is a 409.
    """
    user = user_of(request)
    found = get_measurement_for_user(user, measurement_id)
    if not can_manage_respondents(user, found):
        raise PermissionDenied
    payload = read_body(request, RespondentIn)
    if refused := insiders.refusal(found, [payload.email]):
        raise _field_error("email", refused)
    org = found.organization
    unit = None
    if payload.unit_id is not None:
        try:
            unit = get_unit_for_user(user, org, payload.unit_id, write=True)
        except Http404:
            message = _("There is no such unit in your part of the organization.")
            raise _field_error("unit_id", message) from None
    elif manageable_units(user, org) is not None:
        raise _field_error(
            "unit_id", _("Give the unit: as a unit admin you add respondents to your units.")
        )
    respondent = actions.add_respondent(
        found,
        email=payload.email,
        unit=unit,
        role=payload.role,
        language=payload.language,
        by=user,
    )
    return Status(201, _respondent(found, respondent))


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


@router.delete(
    "/measurements/{measurement_id}/respondents/{respondent_id}/",
    response={204: None, **errors(403)},
    url_name="remove_respondent",
    summary="Remove one respondent",
)
def remove_respondent(
    request: HttpRequest, measurement_id: MeasurementId, respondent_id: RespondentId
) -> Status[Any]:
    """Remove a person from the measurement. Answers they already gave stay, without their name."""
    user = user_of(request)
    found = get_measurement_for_user(user, measurement_id)
    if not can_manage_respondents(user, found):
        raise PermissionDenied
    respondent = get_respondent_for_user(user, found, respondent_id, write=True)
    actions.remove_respondent(respondent, by=user)
    return Status(204, None)
