"""Who may see and change action plans, built on the one door (`mognad.orgs.access`).

- Everyone with a role in the organization reads its plans: key users, viewers and coordinators
  every action, unit admins only the actions of their unit's subtree (an action without a unit is
  the whole organization's: not theirs).
- Key users and coordinators change the plan and every action; unit admins add and change the
  actions of their subtree (an action they add must name one of their units); viewers nothing.
- Missing and not yours are the same 404; a member who may read but not change gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from mognad.orgs.access import (
    AnyUser,
    can_change_organization,
    get_scoped,
    role_in,
    scoped,
    unit_scope,
    units_visible_to,
)
from mognad.orgs.models import Membership, Organization, Unit, User
from mognad.plans.models import ActionPlan, PlannedAction

ORG_FIELD = "plan__organization"
UNIT_FIELD = "unit"


def _require_member(user: AnyUser, org: Organization) -> None:
    if role_in(user, org) is None:
        raise Http404


def plans_of(user: AnyUser, org: Organization) -> QuerySet[ActionPlan]:
    """The organization's plans, newest year first, for anybody with a role in it."""
    _require_member(user, org)
    return ActionPlan.objects.filter(organization=org).select_related("measurement__instrument")


def get_plan_for_user(
    user: AnyUser, org: Organization, year: int | str, *, write: bool = False
) -> ActionPlan:
    """The organization's plan of `year`; write=True (to change the plan as a whole) needs a key
    user or a coordinator."""
    try:
        number = int(year)
    except (TypeError, ValueError):
        raise Http404 from None
    plan = plans_of(user, org).filter(year=number).first()
    if plan is None:
        raise Http404
    if write and not can_change_organization(user, org):
        raise PermissionDenied
    return plan


def may_change_plan(user: AnyUser, org: Organization) -> bool:
    """Create the plan, add actions anywhere: key users and coordinators."""
    return can_change_organization(user, org)


def may_add_actions(user: AnyUser, org: Organization) -> bool:
    """Key users and coordinators; unit admins for their subtree."""
    return may_change_plan(user, org) or (
        role_in(user, org) == Membership.Role.UNIT_ADMIN and unit_scope(user, org) is not None
    )


def require_adding_actions(user: AnyUser, org: Organization) -> None:
    _require_member(user, org)
    if not may_add_actions(user, org):
        raise PermissionDenied


def actions_visible_to(user: AnyUser, plan: ActionPlan) -> QuerySet[PlannedAction]:
    """The plan's actions the user may read (unit admins: their subtree's)."""
    _require_member(user, plan.organization)
    return scoped(
        user, plan.actions.all(), org_field=ORG_FIELD, unit_field=UNIT_FIELD
    ).select_related("unit", "owner_user")


def changeable_action_ids(user: AnyUser, plan: ActionPlan) -> set[int]:
    """The ids of the plan's actions the user may change (for the page's buttons)."""
    return set(
        scoped(
            user, plan.actions.all(), write=True, org_field=ORG_FIELD, unit_field=UNIT_FIELD
        ).values_list("pk", flat=True)
    )


def get_action_for_user(
    user: AnyUser, org: Organization, action_id: int | str, *, write: bool = False
) -> PlannedAction:
    """One action of the organization's plans: 404 if the user may not see it, 403 if they may
    not change it."""
    _require_member(user, org)
    queryset = PlannedAction.objects.filter(plan__organization=org).select_related(
        "plan__measurement__instrument", "plan__organization", "unit", "owner_user"
    )
    return get_scoped(
        user, queryset, action_id, write=write, org_field=ORG_FIELD, unit_field=UNIT_FIELD
    )


def units_for_actions(user: AnyUser, org: Organization) -> QuerySet[Unit]:
    """The units the user may give an action: all for key users, their subtree for unit
    admins."""
    return units_visible_to(user, org).order_by("path")


def unit_required(user: AnyUser, org: Organization) -> bool:
    """A unit admin's action must name a unit of their subtree."""
    return not may_change_plan(user, org)


def member_users(user: AnyUser, org: Organization) -> QuerySet[User]:
    """The organization's members, to name one as an action's owner."""
    _require_member(user, org)
    return User.objects.filter(memberships__organization=org).order_by("name", "email").distinct()
