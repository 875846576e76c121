"""Tenant isolation (orgs/access.py): who gets what, as a table of persona × object → outcome."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mognad.orgs import access
from mognad.orgs.models import AuditEvent, Invitation, Membership, Organization, Unit

pytestmark = pytest.mark.django_db

OK, NOT_FOUND, FORBIDDEN = "ok", "404", "403"


def _outcome(call):
    try:
        call()
    except Http404:
        return NOT_FOUND
    except PermissionDenied:
        return FORBIDDEN
    return OK


@pytest.fixture
def people(alice, bob, ulla, victor, charlie, nadia):
    return {
        "alice": alice,
        "bob": bob,
        "ulla": ulla,
        "victor": victor,
        "charlie": charlie,
        "nadia": nadia,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("alice", OK, OK),
        ("bob", OK, FORBIDDEN),
        ("ulla", OK, FORBIDDEN),
        ("victor", OK, FORBIDDEN),
        ("charlie", NOT_FOUND, NOT_FOUND),
        ("nadia", OK, OK),
        ("anonymous", NOT_FOUND, NOT_FOUND),
    ],
)
def test_get_org_for_user(people, ankeby, persona, read, write):
    user = people[persona]
    assert _outcome(lambda: access.get_org_for_user(user, ankeby.slug)) == read
    assert _outcome(lambda: access.get_org_for_user(user, ankeby.slug, write=True)) == write


def test_a_coordinator_sees_every_organization_including_the_registry(people, ankeby, bebyholm):
    assert access.organizations_for_user(people["nadia"]).count() == Organization.objects.count()


def test_a_missing_organization_is_the_same_404_as_someone_elses(people):
    assert _outcome(lambda: access.get_org_for_user(people["nadia"], "no-such-org")) == NOT_FOUND


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("alice", ["ankeby-kommun"]),
        ("bob", ["ankeby-kommun"]),
        ("victor", ["ankeby-kommun"]),
        ("charlie", ["bebyholm-kommun"]),
        ("anonymous", []),
    ],
)
def test_organizations_for_user(people, persona, visible):
    slugs = list(access.organizations_for_user(people[persona]).values_list("slug", flat=True))
    assert slugs == visible


@pytest.mark.parametrize(
    ("persona", "units"),
    [
        (
            "alice",
            [
                "Kommunledningsförvaltningen",
                "Socialförvaltningen",
                "Äldreomsorg",
                "Utbildningsförvaltningen",
            ],
        ),
        ("bob", ["Socialförvaltningen", "Äldreomsorg"]),
        ("ulla", ["Utbildningsförvaltningen"]),
        (
            "victor",
            [
                "Kommunledningsförvaltningen",
                "Socialförvaltningen",
                "Äldreomsorg",
                "Utbildningsförvaltningen",
            ],
        ),
    ],
)
def test_units_visible_to(people, ankeby, persona, units):
    visible = access.units_visible_to(people[persona], ankeby).order_by("pk")
    assert [unit.name for unit in visible] == units


def test_unit_scope_is_none_for_the_whole_organization_and_the_unit_for_a_unit_admin(
    people, ankeby, social_services
):
    assert access.unit_scope(people["alice"], ankeby) is None
    assert access.unit_scope(people["victor"], ankeby) is None
    assert access.unit_scope(people["nadia"], ankeby) is None
    assert access.unit_scope(people["bob"], ankeby) == social_services
    assert _outcome(lambda: access.unit_scope(people["charlie"], ankeby)) == NOT_FOUND


@pytest.mark.parametrize(
    ("persona", "unit_name", "read", "write"),
    [
        ("alice", "Äldreomsorg", OK, OK),
        ("bob", "Socialförvaltningen", OK, OK),
        ("bob", "Äldreomsorg", OK, OK),
        ("bob", "Utbildningsförvaltningen", NOT_FOUND, NOT_FOUND),
        ("bob", "Kommunledningsförvaltningen", NOT_FOUND, NOT_FOUND),
        ("ulla", "Äldreomsorg", NOT_FOUND, NOT_FOUND),
        ("victor", "Äldreomsorg", OK, FORBIDDEN),
        ("nadia", "Äldreomsorg", OK, OK),
    ],
)
def test_get_unit_for_user(people, ankeby, persona, unit_name, read, write):
    user = people[persona]
    unit_id = ankeby.units.get(name=unit_name).pk
    assert _outcome(lambda: access.get_unit_for_user(user, ankeby, unit_id)) == read
    assert _outcome(lambda: access.get_unit_for_user(user, ankeby, unit_id, write=True)) == write


def test_a_unit_of_another_organization_or_a_malformed_id_is_404(people, ankeby, bebyholm):
    other = bebyholm.units.first().pk
    assert _outcome(lambda: access.get_unit_for_user(people["alice"], ankeby, other)) == NOT_FOUND
    assert _outcome(lambda: access.get_unit_for_user(people["alice"], ankeby, "x")) == NOT_FOUND


def test_require_coordinator(people):
    assert _outcome(lambda: access.require_coordinator(people["nadia"])) == OK
    for name in ("alice", "bob", "victor", "charlie", "anonymous"):
        assert _outcome(lambda name=name: access.require_coordinator(people[name])) == NOT_FOUND


@pytest.fixture
def invitations(ankeby, bebyholm, alice):
    """One invitation per unit of both organizations: a model with an organization and a unit."""
    made = {}
    for org in (ankeby, bebyholm):
        for unit in org.units.all():
            made[(org.slug, unit.name)] = Invitation.objects.create(
                organization=org,
                email=f"{unit.pk}@example.se",
                role=Membership.Role.UNIT_ADMIN,
                unit=unit,
                token_hash=f"{unit.pk:064d}",
                expires_at="2099-01-01T00:00:00Z",
            )
    return made


@pytest.mark.parametrize(
    ("persona", "org_slug", "unit_name", "read", "write"),
    [
        ("alice", "ankeby-kommun", "Äldreomsorg", OK, OK),
        ("alice", "bebyholm-kommun", "Socialförvaltningen", NOT_FOUND, NOT_FOUND),
        ("bob", "ankeby-kommun", "Äldreomsorg", OK, OK),
        ("bob", "ankeby-kommun", "Utbildningsförvaltningen", NOT_FOUND, NOT_FOUND),
        ("victor", "ankeby-kommun", "Äldreomsorg", OK, FORBIDDEN),
        ("charlie", "ankeby-kommun", "Äldreomsorg", NOT_FOUND, NOT_FOUND),
        ("charlie", "bebyholm-kommun", "Socialförvaltningen", OK, OK),
        ("nadia", "bebyholm-kommun", "Socialförvaltningen", OK, OK),
        ("anonymous", "ankeby-kommun", "Äldreomsorg", NOT_FOUND, NOT_FOUND),
    ],
)
def test_get_scoped_with_a_unit_field(
    people, invitations, persona, org_slug, unit_name, read, write
):
    user = people[persona]
    pk = invitations[(org_slug, unit_name)].pk
    queryset = Invitation.objects.all()
    assert _outcome(lambda: access.get_scoped(user, queryset, pk, unit_field="unit")) == read
    assert (
        _outcome(lambda: access.get_scoped(user, queryset, pk, unit_field="unit", write=True))
        == write
    )


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("alice", OK, OK),
        ("bob", OK, FORBIDDEN),
        ("victor", OK, FORBIDDEN),
        ("charlie", NOT_FOUND, NOT_FOUND),
        ("nadia", OK, OK),
    ],
)
def test_get_scoped_without_a_unit_field_lets_unit_admins_read_but_not_change(
    people, ankeby, persona, read, write
):
    event = AuditEvent.objects.create(organization=ankeby, action="test")
    queryset = AuditEvent.objects.all()
    user = people[persona]
    assert _outcome(lambda: access.get_scoped(user, queryset, event.pk)) == read
    assert _outcome(lambda: access.get_scoped(user, queryset, event.pk, write=True)) == write


def test_scoped_follows_a_longer_organization_path(people, ankeby, bebyholm):
    # Units reach their organization through "organization"; a related model would pass e.g.
    # org_field="unit__organization".
    memberships = Membership.objects.all()
    names = {
        m.user.email
        for m in access.scoped(people["charlie"], memberships, org_field="unit__organization")
    }
    assert names == set()
    mine = access.scoped(people["alice"], memberships, org_field="organization")
    assert {m.organization.slug for m in mine} == {"ankeby-kommun"}


def test_get_scoped_with_a_malformed_primary_key_is_404(people):
    outcome = _outcome(lambda: access.get_scoped(people["alice"], AuditEvent.objects.all(), "x"))
    assert outcome == NOT_FOUND


def test_memberships_are_loaded_once_per_user_object(people, ankeby, django_assert_num_queries):
    alice = people["alice"]
    access.forget_memberships(alice)
    with django_assert_num_queries(1):
        access.role_in(alice, ankeby)
        access.unit_scope(alice, ankeby)
        access.can_change_organization(alice, ankeby)


def test_an_inactive_user_sees_nothing(people, ankeby):
    alice = people["alice"]
    alice.is_active = False
    assert _outcome(lambda: access.get_org_for_user(alice, ankeby.slug)) == NOT_FOUND


def test_units_of_a_unit_admin_follow_a_move(people, ankeby, social_services, education):
    # Moving Äldreomsorg under Utbildningsförvaltningen takes it out of bob's subtree.
    elder = Unit.objects.get(name="Äldreomsorg")
    elder.parent = education
    elder.save()
    assert [u.name for u in access.units_visible_to(people["bob"], ankeby)] == [
        "Socialförvaltningen"
    ]
