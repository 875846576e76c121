"""offboard_organization: all of an organization's personal data goes; answers at its choice."""

import pytest
from django.contrib.auth import authenticate

from mognad import test
from mognad.orgs.actions import invite_admin
from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent, Invitation, Membership, User
from mognad.platform.actions import ActionError
from mognad.platform.mail import enqueue_email
from mognad.platform.models import OutboxMessage
from mognad.privacy.erasure import REFERENCE_PREFIX, subject_reference
from mognad.privacy.offboarding import offboard_organization
from mognad.privacy.tests.builders import answered_measurement, counts
from mognad.results.models import MeasurementResult
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Answer, Measurement, Respondent, Response

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def ankeby_data(ankeby, alice, bob, nadia, social_services, education):
    """Ankeby with an identified, closed measurement, a pending invitation and a member who also
    administers Bebyholm."""
    measurement = answered_measurement(ankeby, [social_services, education], anonymous=False)
    invite_admin(ankeby, by=alice, email="new@ankeby.se", role="viewer")
    return measurement


@pytest.fixture
def shared_member(ankeby, bebyholm):
    """Maja is a viewer in Ankeby and a key user in Bebyholm."""
    user = test.make_user("maja@example.se", name="Maja Mäkinen")
    test.make_member(user, ankeby, Membership.Role.VIEWER)
    test.make_member(user, bebyholm, Membership.Role.KEY_USER)
    return user


@pytest.fixture
def bebyholm_data(bebyholm, charlie):
    # Open: closing an anonymous measurement deletes its survey emails already.
    measurement = answered_measurement(
        bebyholm, list(bebyholm.units.all()), emails=("a@bebyholm.se", "b@bebyholm.se"), close=False
    )
    return measurement


def _personal_text(org):
    """Every text column the organization's audit log holds."""
    events = AuditEvent.objects.filter(organization=org)
    return [str(v) for e in events for v in (e.actor_email, e.target, e.details)]


def test_it_deletes_every_personal_trace_and_keeps_answers_and_results_when_asked(
    ankeby, ankeby_data, alice, bob, nadia, shared_member, bebyholm_data
):
    rows_before = counts(ankeby_data)
    ankeby.email_exceptions = "konsult@byra.se"
    ankeby.save()
    done = offboard_organization(ankeby, delete_answers=False, by=nadia)
    ankeby.refresh_from_db()
    assert (ankeby.email_exceptions, ankeby.email_domains) == ("", "ankeby.se")
    assert done.respondents == 3 and done.invitations == 1 and len(done.members) == 3
    # Respondents: no address, no link; the counts and the answers stay.
    assert all(r.email.startswith(ERASED_PREFIX) for r in ankeby_data.respondents.all())
    assert counts(ankeby_data) == rows_before
    assert not Response.objects.filter(measurement=ankeby_data, respondent__isnull=False)
    assert Answer.objects.filter(response__measurement=ankeby_data).count() == 4
    assert MeasurementResult.objects.filter(measurement=ankeby_data).count() == 1
    # Administrators, invitations and emails.
    assert not Membership.objects.filter(organization=ankeby).exists()
    assert not Invitation.objects.filter(organization=ankeby).exists()
    assert not OutboxMessage.objects.filter(organization=ankeby).exists()
    assert not any("@" in text for text in _personal_text(ankeby))
    # Another organization is untouched.
    assert Respondent.objects.filter(email="a@bebyholm.se").exists()
    assert OutboxMessage.objects.filter(organization__slug="bebyholm-kommun").count() == 2


def test_it_deletes_the_answers_and_results_too_when_the_organization_chooses_so(
    ankeby, ankeby_data, nadia, bebyholm_data
):
    done = offboard_organization(ankeby, delete_answers=True, by=nadia)
    assert done.measurements == 1
    assert not Measurement.objects.filter(organization=ankeby).exists()
    assert not Response.objects.filter(measurement__organization=ankeby).exists()
    assert not MeasurementResult.objects.filter(measurement__organization=ankeby).exists()
    assert Answer.objects.filter(response__measurement=bebyholm_data).count() == 2
    event = AuditEvent.objects.get(action="organization.offboarded")
    assert event.details["answers_deleted"] is True and event.details["responses"] == 2


def test_members_of_no_other_organization_are_deactivated_and_anonymized(
    ankeby, ankeby_data, alice, bob, nadia, shared_member
):
    audit("account.password_changed", by=alice, target=alice.email)
    offboard_organization(ankeby, delete_answers=False, by=nadia)
    alice.refresh_from_db()
    assert not alice.is_active and alice.name == "" and alice.email.endswith("@erased.invalid")
    assert alice.totp_secret == "" and not alice.has_usable_password()
    assert authenticate(username="alice@ankeby.se", password=test.PASSWORD) is None
    assert not User.objects.filter(email__in=["alice@ankeby.se", "bob@ankeby.se"]).exists()
    account_event = AuditEvent.objects.get(action="account.password_changed")
    assert account_event.actor_email == account_event.target == subject_reference("alice@ankeby.se")
    # Maja keeps her account and her Bebyholm role; the coordinator is not touched.
    shared_member.refresh_from_db()
    assert shared_member.is_active and shared_member.email == "maja@example.se"
    assert shared_member.memberships.get().organization.name == "Bebyholm kommun"
    nadia.refresh_from_db()
    assert nadia.is_active and nadia.email == "nadia@mognad.example"


def test_the_audit_event_records_the_offboarding_without_personal_data(ankeby, ankeby_data, alice):
    offboard_organization(ankeby, delete_answers=False, by=alice)
    event = AuditEvent.objects.get(action="organization.offboarded")
    assert event.organization == ankeby and event.target == "Ankeby kommun"
    assert event.actor_email == subject_reference("alice@ankeby.se")
    assert event.actor_email.startswith(REFERENCE_PREFIX)
    assert event.details == {
        "answers_deleted": False,
        "measurements": 1,
        "respondents": 3,
        "responses": 0,
        "members": 2,
        "accounts_anonymized": 2,
        "invitations": 1,
        "emails": 4,  # three survey invitations and one administrator invitation
    }


def test_it_is_refused_while_a_measurement_is_open_and_changes_nothing(
    ankeby, alice, nadia, social_services
):
    measurement = answered_measurement(ankeby, [social_services], close=False)
    emails = sorted(measurement.respondents.values_list("email", flat=True))
    with pytest.raises(ActionError, match="Close the open measurement"):
        offboard_organization(ankeby, delete_answers=True, by=nadia)
    assert sorted(measurement.respondents.values_list("email", flat=True)) == emails
    assert Membership.objects.filter(organization=ankeby).count() == 1
    assert not AuditEvent.objects.filter(action="organization.offboarded").exists()


def test_emails_to_the_organization_waiting_in_the_outbox_are_not_sent(ankeby, alice, nadia):
    enqueue_email(
        to="alice@ankeby.se",
        template="admin-invitation",
        context={
            "organization_name": "Ankeby kommun",
            "inviter_name": "Nadia",
            "role_label": "x",
            "accept_url": "http://testserver/",
            "expires_at": ankeby.created_at,
        },
        language="sv",
        dedupe_key="pending-to-ankeby",
        organization=ankeby,
    )
    offboard_organization(ankeby, delete_answers=False, by=nadia)
    assert not OutboxMessage.objects.filter(dedupe_key="pending-to-ankeby").exists()
