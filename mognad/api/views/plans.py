"""The API's action plan endpoints: read the plans of your organization and read and write their
actions, with the same rules as the plan pages (mognad/plans/access.py): key users and
coordinators every action, unit admins the actions of their subtree, viewers read only.

Changes go through mognad/plans/actions.py; a refusal on a field is a 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import ValidationError
from ninja.params.functions import Path
from ninja.responses import Status

from mognad.api.auth import user_of
from mognad.api.errors import COMMON, read_body
from mognad.api.plan_schemas import ActionChange, ActionIn, ActionOut, PlanOut
from mognad.api.schemas import MAX_ID, Error, json_schema
from mognad.orgs.access import get_org_for_user
from mognad.orgs.models import Organization, Unit, User
from mognad.plans import access, actions
from mognad.plans.actions import ActionFields
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.platform.actions import ActionError

router = Router(tags=["Action plans"])

Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]
Year = Annotated[int, Path(ge=1900, le=2999)]
ActionId = Annotated[int, Path(ge=1, le=MAX_ID)]
# An action's field → the API's name for it.
API_FIELDS = {"unit": "unit_id", "owner_user": "owner_user_id"}


def errors(*statuses: int) -> dict[int, type[Error]]:
    return {status: Error for status in (*COMMON, *statuses)}


def _body(model: type[Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": json_schema(model)}},
        }
    }


def _action(action: PlannedAction, year: int) -> dict[str, Any]:
    return {
        "id": action.pk,
        "year": year,
        "title": action.title,
        "capabilities": list(action.capabilities),
        "description": action.description,
        "expected_effect": action.expected_effect,
        "owner": action.owner,
        "owner_user_id": action.owner_user_id,
        "unit_id": action.unit_id,
        "start": action.start,
        "due": action.due,
        "status": action.status,
        "origin": action.origin,
        "done_at": action.done_at,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
    }


def _plan(user: User, plan: ActionPlan) -> dict[str, Any]:
    return {
        "year": plan.year,
        "measurement_id": plan.measurement_id,
        "created_at": plan.created_at,
        "actions": [_action(a, plan.year) for a in access.actions_visible_to(user, plan)],
    }


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def _run(action: Any) -> Any:
    """Run a plan action; a refusal about a field is a 422 on that field, others a 409."""
    try:
        return action()
    except ActionError as error:
        if error.field:
            raise _field_error(API_FIELDS.get(error.field, error.field), error.message) from None
        raise


def _references(user: User, org: Organization, data: dict[str, Any]) -> dict[str, Any]:
    """unit_id and owner_user_id as the objects they name (in the caller's part only)."""
    found: dict[str, Any] = {}
    if "unit_id" in data:
        unit: Unit | None = None
        if data["unit_id"] is not None:
            unit = access.units_for_actions(user, org).filter(pk=data["unit_id"]).first()
            if unit is None:
                raise _field_error(
                    "unit_id", _("There is no such unit in your part of the organization.")
                )
        found["unit"] = unit
    if "owner_user_id" in data:
        owner: User | None = None
        if data["owner_user_id"] is not None:
            owner = access.member_users(user, org).filter(pk=data["owner_user_id"]).first()
            if owner is None:
                raise _field_error(
                    "owner_user_id", _("There is no such member of the organization.")
                )
        found["owner_user"] = owner
    return found


@router.get(
    "/organizations/{slug}/plans/",
    response={200: list[PlanOut], **errors()},
    url_name="plans",
    summary="An organization's action plans",
)
def plans(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """Every action plan of the organization, newest year first, with the actions you can see."""
    user = user_of(request)
    org = get_org_for_user(user, slug)
    return [_plan(user, p) for p in access.plans_of(user, org).order_by("-year")]


@router.get(
    "/organizations/{slug}/plans/{year}/",
    response={200: PlanOut, **errors()},
    url_name="plan",
    summary="The action plan of one year",
)
def plan(request: HttpRequest, slug: Slug, year: Year) -> dict[str, Any]:
    user = user_of(request)
    org = get_org_for_user(user, slug)
    return _plan(user, access.get_plan_for_user(user, org, year))


@router.post(
    "/organizations/{slug}/plans/{year}/actions/",
    response={201: ActionOut, **errors(403, 409)},
    url_name="add_action",
    summary="Add an action to a plan",
    openapi_extra=_body(ActionIn),
)
def add_action(request: HttpRequest, slug: Slug, year: Year) -> Status[Any]:
    """Key users and coordinators add any action; unit admins an action of a unit of their
    subtree (`unit_id` required); viewers may not (403)."""
    user = user_of(request)
    org = get_org_for_user(user, slug)
    the_plan = access.get_plan_for_user(user, org, year)
    access.require_adding_actions(user, org)
    payload = read_body(request, ActionIn)
    data = payload.model_dump()
    fields = ActionFields.of({**data, **_references(user, org, data)})
    added = _run(lambda: actions.add_action(the_plan, fields, by=user))
    return Status(201, _action(added, the_plan.year))


@router.get(
    "/organizations/{slug}/actions/{action_id}/",
    response={200: ActionOut, **errors()},
    url_name="action",
    summary="One action",
)
def action(request: HttpRequest, slug: Slug, action_id: ActionId) -> dict[str, Any]:
    user = user_of(request)
    org = get_org_for_user(user, slug)
    found = access.get_action_for_user(user, org, action_id)
    return _action(found, found.plan.year)


@router.patch(
    "/organizations/{slug}/actions/{action_id}/",
    response={200: ActionOut, **errors(403, 409)},
    url_name="change_action",
    summary="Change an action (its status, owner, dates …)",
    openapi_extra=_body(ActionChange),
)
def change_action(request: HttpRequest, slug: Slug, action_id: ActionId) -> dict[str, Any]:
    """Only the fields given change. Marking an action done: `{"status": "done"}`."""
    user = user_of(request)
    org = get_org_for_user(user, slug)
    found = access.get_action_for_user(user, org, action_id, write=True)
    data = read_body(request, ActionChange).model_dump(exclude_unset=True)
    for required in ("title", "capabilities", "status"):
        if required in data and data[required] is None:
            raise _field_error(required, _("This field cannot be empty."))
    if set(data) == {"status"}:  # marking it done (or ongoing …): the status change itself
        changed = _run(lambda: actions.set_status(found, data["status"], by=user))
        return _action(changed, found.plan.year)
    current = {
        "title": found.title,
        "capabilities": found.capabilities,
        "description": found.description,
        "expected_effect": found.expected_effect,
        "owner": found.owner,
        "owner_user": found.owner_user,
        "unit": found.unit,
        "start": found.start,
        "due": found.due,
        "status": found.status,
        "origin": found.origin,
    }
    merged = {**current, **data, **_references(user, org, data)}
    fields = ActionFields(
        title=str(merged["title"]).strip(),
        capabilities=tuple(merged["capabilities"]),
        description=str(merged["description"] or "").strip(),
        expected_effect=str(merged["expected_effect"] or "").strip(),
        owner=str(merged["owner"] or "").strip(),
        owner_user=merged["owner_user"],
        unit=merged["unit"],
        start=merged["start"],
        due=merged["due"],
        status=merged["status"],
        origin=merged["origin"],
    )
    changed = _run(lambda: actions.update_action(found, fields, by=user))
    return _action(changed, found.plan.year)


@router.delete(
    "/organizations/{slug}/actions/{action_id}/",
    response={204: None, **errors(403)},
    url_name="delete_action",
    summary="Delete an action",
)
def delete_action(request: HttpRequest, slug: Slug, action_id: ActionId) -> Status[Any]:
    user = user_of(request)
    org = get_org_for_user(user, slug)
    found = access.get_action_for_user(user, org, action_id, write=True)
    actions.delete_action(found, by=user)
    return Status(204, None)
