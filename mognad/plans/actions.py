"""What changes action plans: verbs taking the acting user as `by=`, each in a transaction with
an audit event, refusing with `ActionError` (nothing is written then).

`create_plan` makes the year's plan with the actions picked (and edited) from the proposals in one
step; `add_action`, `update_action`, `set_status` and `delete_action` change one action. The
examples app turns a dialogue conclusion into an action with `add_action(…, origin="dialogue")`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.orgs.audit import audit
from mognad.orgs.models import Membership, Organization, Unit, User
from mognad.plans import access
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.platform.actions import ActionError
from mognad.surveys.models import Measurement

TITLE_LENGTH = PlannedAction._meta.get_field("title").max_length or 200
OWNER_LENGTH = PlannedAction._meta.get_field("owner").max_length or 200


@dataclass(frozen=True)
class ActionFields:
    """What a person writes about one action (the form's or the API's cleaned data)."""

    title: str
    capabilities: tuple[str, ...]
    description: str = ""
    expected_effect: str = ""
    owner: str = ""
    owner_user: User | None = None
    unit: Unit | None = None
    start: datetime.date | None = None
    due: datetime.date | None = None
    status: str = PlannedAction.Status.PLANNED
    origin: str = PlannedAction.Origin.OWN
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ActionFields:
        """From a mapping with the field names (missing ones take their defaults)."""
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        values = {k: v for k, v in data.items() if k in known and v is not None}
        values["capabilities"] = tuple(values.get("capabilities") or ())
        for text in ("title", "description", "expected_effect", "owner"):
            if text in values:
                values[text] = str(values[text]).strip()
        return cls(**values)


def _check(plan: ActionPlan, fields: ActionFields, *, by: User) -> None:
    """Every rule an action's fields must keep; the first broken one refuses."""
    org = plan.organization
    if not fields.title:
        raise ActionError(_("Give the action a title."), field="title")
    if len(fields.title) > TITLE_LENGTH:
        raise ActionError(
            _("The title is too long (at most %(n)s characters).") % {"n": TITLE_LENGTH},
            field="title",
        )
    if len(fields.owner) > OWNER_LENGTH:
        raise ActionError(
            _("The owner is too long (at most %(n)s characters).") % {"n": OWNER_LENGTH},
            field="owner",
        )
    if not fields.capabilities:
        raise ActionError(
            _("Choose at least one capability the action is to raise."), "capabilities"
        )
    unknown = [c for c in fields.capabilities if c not in plan.capability_ids()]
    if unknown:
        raise ActionError(
            _("The questionnaire of %(year)s has no capability %(ids)s.")
            % {"year": plan.year, "ids": ", ".join(map(str, unknown))},
            field="capabilities",
        )
    if fields.status not in PlannedAction.Status.values:
        raise ActionError(_("Choose a status from the list."), field="status")
    if fields.origin not in PlannedAction.Origin.values:
        raise ActionError(_("Choose where the action comes from."), field="origin")
    if fields.start and fields.due and fields.due < fields.start:
        raise ActionError(_("The due date is before the start."), field="due")
    _check_unit(org, fields.unit, by=by)
    if (
        fields.owner_user is not None
        and not Membership.objects.filter(organization=org, user=fields.owner_user).exists()
    ):
        raise ActionError(
            _("The owner must be a member of %(name)s.") % {"name": org.name}, field="owner_user"
        )


def _check_unit(org: Organization, unit: Unit | None, *, by: User) -> None:
    if unit is None:
        if access.unit_required(by, org):
            raise ActionError(_("Choose one of your units for the action."), field="unit")
        return
    if (
        unit.organization_id != org.pk
        or not access.units_for_actions(by, org).filter(pk=unit.pk).exists()
    ):
        raise ActionError(_("Choose one of the units in the list."), field="unit")


def _apply(action: PlannedAction, fields: ActionFields) -> None:
    action.title = fields.title
    action.description = fields.description
    action.expected_effect = fields.expected_effect
    action.owner = fields.owner
    action.owner_user = fields.owner_user
    action.unit = fields.unit
    action.start = fields.start
    action.due = fields.due
    action.capabilities = list(dict.fromkeys(fields.capabilities))
    action.origin = fields.origin
    _set_status(action, fields.status)


def _set_status(action: PlannedAction, status: str) -> None:
    if status == PlannedAction.Status.DONE and action.status != status:
        action.done_at = timezone.now()
    elif status != PlannedAction.Status.DONE:
        action.done_at = None
    action.status = status


@transaction.atomic
def create_plan(
    measurement: Measurement, *, by: User, actions: Iterable[ActionFields] = ()
) -> ActionPlan:
    """The organization's plan for the measurement's year, with its first actions (picked from
    the proposals, edited, or its own); refused if the year has a plan already."""
    org = measurement.organization
    if not access.may_change_plan(by, org):
        raise ActionError(_("Only key users can create the action plan."))
    if measurement.state != Measurement.State.CLOSED:
        raise ActionError(_("A plan builds on a closed measurement with results."))
    if ActionPlan.objects.filter(organization=org, year=measurement.year).exists():
        raise ActionError(
            _("%(name)s already has an action plan for %(year)s.")
            % {"name": org.name, "year": measurement.year}
        )
    try:
        with transaction.atomic():
            plan = ActionPlan.objects.create(
                organization=org, year=measurement.year, measurement=measurement
            )
    except IntegrityError:  # created at the same moment by somebody else
        raise ActionError(
            _("%(name)s already has an action plan for %(year)s.")
            % {"name": org.name, "year": measurement.year}
        ) from None
    made = []
    for fields in actions:
        _check(plan, fields, by=by)
        action = PlannedAction(plan=plan)
        _apply(action, fields)
        made.append(action)
    PlannedAction.objects.bulk_create(made)
    audit(
        "plan.created",
        by=by,
        organization=org,
        target=str(plan.year),
        year=plan.year,
        actions=len(made),
    )
    return plan


@transaction.atomic
def add_action(plan: ActionPlan, fields: ActionFields, *, by: User) -> PlannedAction:
    _check(plan, fields, by=by)
    action = PlannedAction(plan=plan)
    _apply(action, fields)
    action.save()
    audit(
        "plan.action_added",
        by=by,
        organization=plan.organization,
        target=str(action.pk),
        title=action.title,
        year=plan.year,
    )
    return action


@transaction.atomic
def update_action(action: PlannedAction, fields: ActionFields, *, by: User) -> PlannedAction:
    _check(action.plan, fields, by=by)
    _apply(action, fields)
    action.save()
    audit(
        "plan.action_changed",
        by=by,
        organization=action.plan.organization,
        target=str(action.pk),
        title=action.title,
        year=action.plan.year,
    )
    return action


@transaction.atomic
def set_status(action: PlannedAction, status: str, *, by: User) -> PlannedAction:
    if status not in PlannedAction.Status.values:
        raise ActionError(_("Choose a status from the list."), field="status")
    before = action.status
    _set_status(action, status)
    action.save(update_fields=["status", "done_at", "updated_at"])
    audit(
        "plan.action_status",
        by=by,
        organization=action.plan.organization,
        target=str(action.pk),
        title=action.title,
        before=before,
        status=status,
    )
    return action


@transaction.atomic
def delete_action(action: PlannedAction, *, by: User) -> None:
    audit(
        "plan.action_deleted",
        by=by,
        organization=action.plan.organization,
        target=str(action.pk),
        title=action.title,
        year=action.plan.year,
    )
    action.delete()
