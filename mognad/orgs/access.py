"""Tenant isolation: the one door to every organization's data.

Every view that shows or changes tenant data gets it through these functions (or through functions
appended below by other apps, built on `scoped`/`get_scoped`). "Missing" and "not yours" are the
same answer, `Http404`; a member who may read but not change gets `PermissionDenied` (403).

Roles:
- national coordinator (`user.is_coordinator`): everything, read and write;
- key user: their organization, read and write;
- unit admin: their organization's objects read-only at the organization level, and read/write of
  what belongs to their unit and its subtree (respondents, units' results);
- viewer: their whole organization, read-only.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from mognad.orgs.models import Membership, Organization, Unit, User

M = TypeVar("M", bound=Model)
AnyUser = AbstractBaseUser | AnonymousUser

_CACHE = "_mognad_memberships"


def _user(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def memberships_of(user: AnyUser) -> dict[int, Membership]:
    """The user's memberships by organization id, loaded once per user object (i.e. per request)."""
    person = _user(user)
    if person is None:
        return {}
    cached: dict[int, Membership] | None = getattr(person, _CACHE, None)
    if cached is None:
        cached = {
            m.organization_id: m
            for m in Membership.objects.filter(user=person).select_related("unit")
        }
        setattr(person, _CACHE, cached)
    return cached


def forget_memberships(user: AnyUser) -> None:
    """Drop the per-request cache (after a membership of this user changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_coordinator(user: AnyUser) -> bool:
    person = _user(user)
    return person is not None and person.is_coordinator


def membership_in(user: AnyUser, org: Organization) -> Membership | None:
    return memberships_of(user).get(org.pk)


def role_in(user: AnyUser, org: Organization) -> str | None:
    """ "coordinator", a Membership.Role value, or None for an outsider."""
    if is_coordinator(user):
        return "coordinator"
    membership = membership_in(user, org)
    return membership.role if membership else None


def can_change_organization(user: AnyUser, org: Organization) -> bool:
    return role_in(user, org) in ("coordinator", Membership.Role.KEY_USER)


def require_coordinator(user: AnyUser) -> None:
    if not is_coordinator(user):
        raise Http404


def organizations_for_user(user: AnyUser) -> QuerySet[Organization]:
    if is_coordinator(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=list(memberships_of(user)))


def get_org_for_user(user: AnyUser, slug: str, *, write: bool = False) -> Organization:
    """The organization, if the user may see it; write=True also demands key user or coordinator."""
    org = organizations_for_user(user).filter(slug=slug).first()
    if org is None:
        raise Http404
    if write and not can_change_organization(user, org):
        raise PermissionDenied
    return org


def unit_scope(user: AnyUser, org: Organization) -> Unit | None:
    """The unit whose subtree limits the user in this organization; None for the whole of it."""
    role = role_in(user, org)
    if role is None:
        raise Http404
    membership = membership_in(user, org)
    if role == Membership.Role.UNIT_ADMIN and membership is not None:
        return membership.unit
    return None


def units_visible_to(user: AnyUser, org: Organization) -> QuerySet[Unit]:
    scope = unit_scope(user, org)
    units = Unit.objects.filter(organization=org)
    if scope is not None:
        units = units.filter(path__startswith=scope.path)
    return units


def get_unit_for_user(
    user: AnyUser, org: Organization, unit_id: int | str, *, write: bool = False
) -> Unit:
    """A unit the user can see. write=True: may change what belongs to the unit.

    Key users and coordinators may change any unit's things, unit admins those in their subtree,
    viewers nothing. (Changing the unit tree itself is an organization-level change:
    use get_org_for_user(..., write=True) for that.)
    """
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = units_visible_to(user, org).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if write and role_in(user, org) == Membership.Role.VIEWER:
        raise PermissionDenied
    return unit


def _read_filter(user: AnyUser, org_field: str, unit_field: str | None) -> Q | None:
    """None: no restriction (coordinator); otherwise a Q (possibly matching nothing)."""
    if is_coordinator(user):
        return None
    condition = Q(pk__in=[])
    for org_id, membership in memberships_of(user).items():
        if membership.role == Membership.Role.UNIT_ADMIN and unit_field and membership.unit:
            condition |= Q(
                **{org_field: org_id, f"{unit_field}__path__startswith": membership.unit.path}
            )
        else:
            condition |= Q(**{org_field: org_id})
    return condition


def _write_filter(user: AnyUser, org_field: str, unit_field: str | None) -> Q | None:
    if is_coordinator(user):
        return None
    condition = Q(pk__in=[])
    for org_id, membership in memberships_of(user).items():
        if membership.role == Membership.Role.KEY_USER:
            condition |= Q(**{org_field: org_id})
        elif membership.role == Membership.Role.UNIT_ADMIN and unit_field and membership.unit:
            condition |= Q(
                **{org_field: org_id, f"{unit_field}__path__startswith": membership.unit.path}
            )
    return condition


def scoped(
    user: AnyUser,
    queryset: QuerySet[M],
    *,
    org_field: str = "organization",
    unit_field: str | None = None,
    write: bool = False,
) -> QuerySet[M]:
    """The part of `queryset` the user may read (or, with write=True, change).

    `org_field` is the lookup path from the model to its Organization ("measurement__organization"),
    `unit_field` the path to its Unit if it has one ("unit"): unit admins then see only objects of
    their subtree. Without a unit_field, unit admins may read but not change the objects.
    """
    condition = (_write_filter if write else _read_filter)(user, org_field, unit_field)
    return queryset if condition is None else queryset.filter(condition)


def get_scoped(
    user: AnyUser,
    queryset: QuerySet[M],
    pk: Any,
    *,
    org_field: str = "organization",
    unit_field: str | None = None,
    write: bool = False,
) -> M:
    """One object by primary key: 404 if the user may not see it, 403 if they may not change it."""
    try:
        obj = (
            scoped(user, queryset, org_field=org_field, unit_field=unit_field).filter(pk=pk).first()
        )
    except (ValueError, TypeError, ValidationError):
        raise Http404 from None
    if obj is None:
        raise Http404
    if (
        write
        and not scoped(user, queryset, org_field=org_field, unit_field=unit_field, write=True)
        .filter(pk=obj.pk)
        .exists()
    ):
        raise PermissionDenied
    return obj


def members_of(user: AnyUser, org: Organization) -> QuerySet[Membership]:
    """The organization's memberships, for anyone who may see the organization."""
    if role_in(user, org) is None:
        raise Http404
    return (
        Membership.objects.filter(organization=org)
        .select_related("user", "unit")
        .order_by("role", "user__email")
    )


def get_member_for_user(
    user: AnyUser, org: Organization, membership_id: int | str, *, write: bool = False
) -> Membership:
    """One membership of the organization; write=True (to remove it) needs a key user."""
    try:
        pk = int(membership_id)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = members_of(user, org).filter(pk=pk).first()
    if membership is None:
        raise Http404
    if write and not can_change_organization(user, org):
        raise PermissionDenied
    return membership


def roles_invitable_by(user: User, org: Organization) -> list[str]:
    """Coordinators invite any role (key users above all); key users unit admins and viewers."""
    if user.is_coordinator:
        return [Membership.Role.KEY_USER, Membership.Role.UNIT_ADMIN, Membership.Role.VIEWER]
    membership = Membership.objects.filter(user=user, organization=org).first()
    if membership and membership.role == Membership.Role.KEY_USER:
        return [Membership.Role.UNIT_ADMIN, Membership.Role.VIEWER]
    return []
