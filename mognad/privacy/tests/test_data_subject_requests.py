"""find_subject, its JSON export and erase_subject: everything about one email address."""

import json

import pytest

from mognad import test
from mognad.orgs.actions import invite_admin
from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent, Invitation, Membership
from mognad.platform.actions import ActionError
from mognad.platform.models import OutboxMessage
from mognad.privacy.erasure import subject_reference
from mognad.privacy.subjects import erase_subject, find_subject
from mognad.privacy.tests.builders import answered_measurement, counts
from mognad.surveys import actions
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Answer, Respondent, Response
from mognad.surveys.tests.factories import make_measurement, make_respondent

SARA = "sara@ankeby.se"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def anonymous(bebyholm):
    """Bebyholm 2026, anonymous and closed: Sara answers there too."""
    return answered_measurement(
        bebyholm, list(bebyholm.units.all()), emails=(SARA, "bo@bebyholm.se", "ann@bebyholm.se")
    )


@pytest.fixture
def sara_admin(ankeby, bebyholm, alice):
    """Sara is also a viewer in Ankeby, invited to Bebyholm, and changed her password once."""
    sara = test.make_user(SARA, name="Sara Svensson")
    test.make_member(sara, ankeby, Membership.Role.VIEWER)
    nadia = test.make_user("nadia2@mognad.example", coordinator=True)
    invite_admin(bebyholm, by=nadia, email=SARA, role="viewer")
    audit("account.password_changed", by=sara, target=SARA)
    audit("member.invited", by=sara, organization=ankeby, target="other@ankeby.se")
    return sara


def test_a_key_user_finds_only_what_their_own_organization_stores(
    ankeby, identified, anonymous, sara_admin
):
    record = find_subject("  Sara@Ankeby.se ", organization=ankeby)
    assert record.email == SARA
    assert [r.measurement for r in record.respondents] == [identified]
    assert record.account == sara_admin
    assert [m.organization for m in record.memberships] == [ankeby]
    assert record.invitations == []  # the invitation is Bebyholm's
    assert {e.action for e in record.audit_events} == {"member.invited"}
    assert len(record.emails) == 1 and record.emails[0].organization == ankeby
    assert record.answer_count() == 2


def test_the_coordinator_finds_everything_in_every_organization(
    ankeby, identified, anonymous, sara_admin
):
    record = find_subject(SARA, organization=None)
    assert {r.measurement for r in record.respondents} == {identified, anonymous}
    assert len(record.invitations) == 1
    assert {e.action for e in record.audit_events} == {"member.invited", "account.password_changed"}
    # The identified measurement's invitation and the administrator invitation: closing the
    # anonymous measurement deleted its survey emails.
    assert len(record.emails) == 2


def test_an_account_of_another_organization_is_not_shown_to_a_key_user(bebyholm, ankeby):
    test.make_member(test.make_user("kim@bebyholm.se"), bebyholm)
    assert find_subject("kim@bebyholm.se", organization=ankeby).is_empty()
    assert find_subject("kim@bebyholm.se", organization=None).account is not None


def test_the_export_holds_the_persons_data_and_nobody_elses(
    ankeby, identified, anonymous, sara_admin
):
    exported = json.loads(json.dumps(find_subject(SARA, organization=None).as_json()))
    by_org = {row["organization"]: row for row in exported["respondents"]}
    ankeby_row, bebyholm_row = by_org["Ankeby kommun"], by_org["Bebyholm kommun"]
    assert ankeby_row["anonymous"] is False and ankeby_row["status"] == "completed"
    assert [a["answer"] for a in ankeby_row["answers"]] == [4, 4]
    assert bebyholm_row["anonymous"] is True and bebyholm_row["answers"] is None
    assert exported["account"]["name"] == "Sara Svensson"
    assert exported["account"]["two_factor_authentication"] is False
    text = json.dumps(exported)
    assert "other@ankeby.se" not in text and "(another person)" in text
    assert sara_admin.password not in text and "totp" not in text
    assert "/r/" not in text  # no answering link, even from emails still waiting


def test_erasing_in_an_identified_measurement_unlinks_the_answers_and_keeps_them(
    ankeby, identified, alice
):
    rows_before = counts(identified)
    report = erase_subject(SARA, organization=ankeby, by=alice)
    assert report.respondents_erased == 1 and report.answers_unlinked == 1
    sara_row = identified.respondents.get(email__startswith=ERASED_PREFIX)
    assert sara_row.status == "completed" and not hasattr(sara_row, "response")
    assert counts(identified) == rows_before
    assert Answer.objects.filter(response__measurement=identified).count() == 4
    assert Response.objects.filter(measurement=identified, respondent__isnull=False).count() == 1
    assert not Respondent.objects.filter(email=SARA).exists()


def test_erasing_in_an_anonymous_measurement_keeps_the_answers_which_were_never_linkable(
    bebyholm, anonymous, charlie
):
    answers_before = sorted(
        Answer.objects.filter(response__measurement=anonymous).values_list("id", "value")
    )
    report = erase_subject(SARA, organization=bebyholm, by=charlie)
    assert report.respondents_erased == 1 and report.answers_unlinked == 0
    assert (
        sorted(Answer.objects.filter(response__measurement=anonymous).values_list("id", "value"))
        == answers_before
    )
    assert not OutboxMessage.objects.filter(to=SARA).exists()


def test_erasing_in_a_measurement_still_open_deletes_the_row_and_its_link(
    ankeby, social_services, alice
):
    measurement = answered_measurement(ankeby, [social_services], close=False)
    waiting = measurement.respondents.get(email="ulf@ankeby.se")
    assert waiting.token_hash
    report = erase_subject("ulf@ankeby.se", organization=ankeby, by=alice)
    assert report.respondents_deleted == 1
    assert not Respondent.objects.filter(pk=waiting.pk).exists()
    assert actions.send_reminders(measurement, by=None) == 0  # nobody left to remind


def test_erasing_an_administrator_removes_the_membership_and_an_account_left_alone(
    ankeby, bebyholm, identified, sara_admin, alice
):
    report = erase_subject(SARA, organization=ankeby, by=alice)
    assert report.memberships == 1 and report.account_anonymized
    sara_admin.refresh_from_db()
    assert (
        not sara_admin.is_active and sara_admin.name == "" and "@erased.invalid" in sara_admin.email
    )
    assert not Membership.objects.filter(user=sara_admin).exists()
    by_her = AuditEvent.objects.filter(actor=sara_admin)
    assert by_her.count() == 2
    assert {e.actor_email for e in by_her} == {subject_reference(SARA)}
    assert not AuditEvent.objects.filter(target__iexact=SARA).exists()
    # Bebyholm's invitation to her is Bebyholm's to erase.
    assert Invitation.objects.filter(organization=bebyholm, email=SARA).exists()


def test_an_account_with_another_organization_stays(ankeby, bebyholm, sara_admin, alice):
    test.make_member(sara_admin, bebyholm, Membership.Role.VIEWER)
    report = erase_subject(SARA, organization=ankeby, by=alice)
    assert report.memberships == 1 and not report.account_anonymized
    sara_admin.refresh_from_db()
    assert sara_admin.is_active and sara_admin.email == SARA


def test_the_erasure_is_audited_without_the_address(ankeby, identified, alice):
    erase_subject(SARA, organization=ankeby, by=alice)
    event = AuditEvent.objects.get(action="data_subject.erased")
    assert event.target == subject_reference(SARA) and event.organization == ankeby
    assert "@" not in json.dumps(event.details) + event.target
    assert event.details["respondents_erased"] == 1


def test_the_coordinator_erases_in_every_organization(identified, anonymous, sara_admin, nadia):
    report = erase_subject(SARA, organization=None, by=nadia)
    assert report.respondents_erased == 2 and report.invitations == 1
    assert report.account_anonymized
    assert find_subject(SARA, organization=None).is_empty()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("alice@ankeby.se", "You cannot erase your own data here"),
        ("nobody@ankeby.se", "Nothing is stored about this email address."),
    ],
)
def test_it_refuses_and_changes_nothing(ankeby, identified, alice, email, message):
    with pytest.raises(ActionError, match=message):
        erase_subject(email, organization=ankeby, by=alice)
    assert not AuditEvent.objects.filter(action="data_subject.erased").exists()
    assert Membership.objects.filter(user=alice).exists()


def test_a_coordinators_account_is_not_erased_from_the_platform(nadia, identified):
    coordinator = test.make_user("coord@mognad.example", coordinator=True)
    make_respondent(make_measurement(identified.organization, year=2027), coordinator.email)
    with pytest.raises(ActionError, match="national coordinator"):
        erase_subject(coordinator.email, organization=None, by=nadia)
    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert Respondent.objects.filter(email="coord@mognad.example").exists()
