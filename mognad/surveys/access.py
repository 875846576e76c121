"""The door to measurements and respondents, built only on `mognad.orgs.access.scoped`/`get_scoped`.

It lives here rather than in orgs/access.py because orgs may not import surveys (imports flow one
way); the rules themselves are those of orgs/access.py: 404 for "missing" and "not yours", 403 for a
member who may read but not change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from mognad.orgs.access import AnyUser, get_scoped, scoped, unit_scope
from mognad.orgs.models import Organization, Unit, User
from mognad.platform.models import OutboxMessage
from mognad.surveys.models import Measurement, Respondent


def measurements_for_user(user: AnyUser, org: Organization) -> QuerySet[Measurement]:
    return scoped(user, Measurement.objects.filter(organization=org)).select_related("instrument")


def get_measurement_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Measurement:
    """A measurement the user may see; write=True demands a key user (or coordinator)."""
    return get_scoped(
        user,
        Measurement.objects.select_related("organization", "instrument"),
        pk,
        write=write,
    )


def respondents_for_user(
    user: AnyUser, measurement: Measurement, *, write: bool = False
) -> QuerySet[Respondent]:
    """The measurement's respondents in the user's part of the organization."""
    return scoped(
        user,
        Respondent.objects.filter(measurement=measurement),
        org_field="measurement__organization",
        unit_field="unit",
        write=write,
    )


def get_respondent_for_user(
    user: AnyUser, measurement: Measurement, pk: Any, *, write: bool = False
) -> Respondent:
    return get_scoped(
        user,
        Respondent.objects.filter(measurement=measurement).select_related("measurement"),
        pk,
        org_field="measurement__organization",
        unit_field="unit",
        write=write,
    )


def can_manage_respondents(user: AnyUser, measurement: Measurement) -> bool:
    """Key users, coordinators and unit admins may; viewers may not."""
    from mognad.orgs.access import role_in

    return role_in(user, measurement.organization) in ("coordinator", "key_user", "unit_admin")


def can_see_respondents(user: AnyUser, measurement: Measurement) -> bool:
    """Who may read the list of respondents (their addresses): those who manage them. Viewers read
    results and response rates, never addresses (docs/privacy.md, "Who sees whom")."""
    return can_manage_respondents(user, measurement)


def shows_personal_status(measurement: Measurement) -> bool:
    """Whether anyone may see, person by person, who has answered: only in identified
    measurements. In anonymous ones only response rates (by unit and role) are shown."""
    return not measurement.anonymous


def manageable_units(user: AnyUser, org: Organization) -> QuerySet[Unit] | None:
    """None when the user manages the whole organization, else the units of their subtree."""
    scope = unit_scope(user, org)
    if scope is None:
        return None
    return Unit.objects.filter(organization=org, path__startswith=scope.path)


def acting_user(request: HttpRequest) -> User:
    """The logged-in user behind a request (views are wrapped in login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def outbox_for_user(user: AnyUser) -> QuerySet[OutboxMessage]:
    """The emails a user may read on the outbox page: every email for a national coordinator; in
    debug mode (development) also those of the organizations where the user is a key user.
    Anyone else: 404, as for a page that does not exist."""
    from django.conf import settings

    from mognad.orgs.access import is_coordinator, memberships_of
    from mognad.orgs.models import Membership

    readable = _without_personal_status(OutboxMessage.objects.all())
    if is_coordinator(user):
        return readable
    key_user_of = [
        org_id
        for org_id, membership in memberships_of(user).items()
        if membership.role == Membership.Role.KEY_USER
    ]
    if settings.DEBUG and key_user_of:
        return readable.filter(organization_id__in=key_user_of)
    raise Http404


def _without_personal_status(messages: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    """Leave out the emails of open anonymous measurements that go only to people who have not
    completed – reminders, and the new invitations of a reopened measurement – so that nobody
    reads who has answered from the outbox (docs/privacy.md, "Who sees whom"). Closing deletes
    the survey emails of an anonymous measurement altogether."""
    anonymous = Measurement.objects.filter(anonymous=True, state=Measurement.State.OPEN)
    ids = "|".join(str(pk) for pk in anonymous.values_list("pk", flat=True))
    if not ids:
        return messages
    pattern = rf"^surveys:({ids}):(reminder:|invitation:[0-9]+:([2-9]|[0-9][0-9]+)$)"
    return messages.exclude(dedupe_key__regex=pattern)


def can_read_outbox(user: AnyUser) -> bool:
    try:
        outbox_for_user(user)
    except Http404:
        return False
    return True
