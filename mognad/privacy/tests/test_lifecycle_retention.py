"""The respondent retention job: addresses go RESPONDENT_RETENTION_DAYS after a measurement closes.

Time is frozen (conftest: 2 March 2026, 09:00 UTC, when the measurements close) and moved forward.
"""

import datetime as dt

import pytest
from django.utils import timezone

from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent
from mognad.platform import schedule
from mognad.platform.mail import enqueue_email
from mognad.platform.models import OutboxMessage
from mognad.privacy import jobs
from mognad.privacy.erasure import subject_reference
from mognad.privacy.retention import apply_respondent_retention
from mognad.privacy.tests.builders import answered_measurement, counts
from mognad.results.models import MeasurementResult
from mognad.surveys import actions, queries
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Answer, Measurement, Respondent, Response
from mognad.surveys.tests.factories import make_measurement, make_respondent

CLOSED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def units(social_services, elder_care, education):
    return [social_services, elder_care, education]


@pytest.fixture
def anonymous(ankeby, units):
    return answered_measurement(ankeby, units, anonymous=True)


@pytest.fixture
def identified(bebyholm):
    """Another organization's identified measurement, closed at the same moment."""
    return answered_measurement(
        bebyholm,
        list(bebyholm.units.all()),
        anonymous=False,
        emails=("sara@bebyholm.se", "eero@bebyholm.se", "ulf@bebyholm.se"),
    )


def _travel(time_machine, days, seconds=0, *, since=max):
    """Move to `days` (and `seconds`) after the latest closing so far (`since=min`: the earliest;
    the clock ticks while the fixtures build, so measurements close a little apart)."""
    closed = since(Measurement.objects.exclude(closed_at=None).values_list("closed_at", flat=True))
    time_machine.move_to(closed + dt.timedelta(days=days, seconds=seconds), tick=False)


def _emails(measurement):
    return sorted(
        Respondent.objects.filter(measurement=measurement).values_list("email", flat=True)
    )


def test_before_the_deadline_nothing_changes(anonymous, identified, time_machine):
    _travel(time_machine, 90, -1, since=min)
    before_emails = _emails(anonymous), _emails(identified)
    report = apply_respondent_retention()
    assert report.measurements == 0
    assert (_emails(anonymous), _emails(identified)) == before_emails
    assert Response.objects.filter(measurement=identified, respondent__isnull=False).count() == 2
    # Closing deleted the anonymous measurement's survey emails; the identified one's stay.
    assert OutboxMessage.objects.filter(dedupe_key__startswith="surveys:").count() == 3
    assert not AuditEvent.objects.filter(action="measurement.retention").exists()


def test_after_the_deadline_exactly_the_email_addresses_go(anonymous, time_machine):
    rows_before = counts(anonymous)
    answers_before = Answer.objects.filter(response__measurement=anonymous).count()
    _travel(time_machine, 90)
    report = apply_respondent_retention()
    assert report.measurements == 1 and report.forgotten.respondents == 3
    rows = list(Respondent.objects.filter(measurement=anonymous))
    assert sorted(r.email for r in rows) == sorted(f"{ERASED_PREFIX}{r.pk}" for r in rows)
    assert counts(anonymous) == rows_before  # status, unit, role and language stay
    assert Answer.objects.filter(response__measurement=anonymous).count() == answers_before == 4
    assert MeasurementResult.objects.filter(measurement=anonymous).count() == 1


def test_the_response_rate_of_a_closed_measurement_is_still_shown_afterwards(
    anonymous, time_machine
):
    def rates():
        found = queries.response_rates(
            anonymous, anonymous.respondents.all(), label="All", no_unit="-"
        )
        return found.total, found.by_unit, found.by_role

    before = rates()
    _travel(time_machine, 91)
    apply_respondent_retention()
    assert rates() == before
    assert before[0].completed == 2 and before[0].invited == 3


def test_in_identified_measurements_the_link_between_answers_and_people_goes(
    identified, time_machine
):
    linked = Response.objects.filter(measurement=identified, respondent__isnull=False)
    assert linked.count() == 2
    _travel(time_machine, 90)
    report = apply_respondent_retention()
    assert report.forgotten.unlinked == 2
    assert not linked.exists()
    assert Response.objects.filter(measurement=identified, state="submitted").count() == 2
    assert Answer.objects.filter(response__measurement=identified).count() == 4


def test_the_survey_emails_and_the_addresses_in_the_audit_log_go_too(
    ankeby, units, time_machine, alice
):
    # Identified: an anonymous measurement's survey emails go already at closing.
    closed = answered_measurement(ankeby, units, anonymous=False)
    actions.add_respondent(
        make_measurement(ankeby, year=2027),
        email="kim@ankeby.se",
        unit=None,
        role="it",
        language="sv",
        by=alice,
    )
    other = enqueue_email(
        to="someone@ankeby.se",
        template="admin-invitation",
        context={
            "organization_name": "Ankeby",
            "inviter_name": "A",
            "role_label": "x",
            "accept_url": "http://testserver/",
            "expires_at": CLOSED_AT,
        },
        language="sv",
        dedupe_key="admin-invitation:99",
    )
    audit(
        "respondent.add",
        by=alice,
        organization=ankeby,
        target="sara@ankeby.se",
        measurement="Ankeby kommun 2026",
    )
    _travel(time_machine, 100)
    report = apply_respondent_retention()
    assert report.forgotten.emails == 3
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"surveys:{closed.pk}:")
    assert OutboxMessage.objects.filter(pk=other.pk).exists()
    targets = set(
        AuditEvent.objects.filter(action="respondent.add").values_list("target", flat=True)
    )
    # The 2026 measurement's address is replaced; the 2027 one (still a draft) keeps its own.
    assert targets == {subject_reference("sara@ankeby.se"), "kim@ankeby.se"}
    event = AuditEvent.objects.get(action="measurement.retention")
    assert event.actor is None and event.organization == ankeby
    assert event.details == {"respondents": 3, "unlinked": 2, "emails": 3, "audit_events": 1}
    assert "@" not in str(event.details) + event.target


def test_open_and_recently_closed_measurements_are_left_alone(
    ankeby, bebyholm, units, time_machine
):
    answered_measurement(ankeby, units, close=False)
    recent = answered_measurement(bebyholm, [None], emails=("a@bebyholm.se", "b@bebyholm.se"))
    _travel(time_machine, 120)
    recent.closed_at = timezone.now() - dt.timedelta(days=60)  # closed after the others
    recent.save(update_fields=["closed_at"])
    assert apply_respondent_retention().measurements == 0
    assert not Respondent.objects.filter(email__startswith=ERASED_PREFIX).exists()


def test_a_second_run_changes_nothing_and_logs_nothing(anonymous, time_machine):
    _travel(time_machine, 95)
    apply_respondent_retention()
    emails = _emails(anonymous)
    assert apply_respondent_retention().measurements == 0
    assert _emails(anonymous) == emails
    assert AuditEvent.objects.filter(action="measurement.retention").count() == 1


def test_the_retention_period_follows_the_setting_to_the_second(anonymous, settings, time_machine):
    settings.RESPONDENT_RETENTION_DAYS = 10
    deadline = anonymous.closed_at + dt.timedelta(days=10)
    time_machine.move_to(deadline - dt.timedelta(seconds=1), tick=False)
    assert apply_respondent_retention().measurements == 0
    time_machine.move_to(deadline, tick=False)
    assert apply_respondent_retention().measurements == 1


def test_it_is_a_daily_job_of_the_worker(anonymous, time_machine):
    job = next(job for job in schedule.jobs() if job.name == "privacy.respondent_retention")
    assert job.seconds == 24 * 3600 and job.func is jobs.respondent_retention
    _travel(time_machine, 90)
    assert "privacy.respondent_retention" in schedule.run_due_jobs()
    assert all(email.startswith(ERASED_PREFIX) for email in _emails(anonymous))


def test_no_row_keeps_an_address_or_a_link_afterwards(anonymous, time_machine):
    _travel(time_machine, 90)
    apply_respondent_retention()
    for row in Respondent.objects.filter(measurement=anonymous):
        assert row.nonce is None and row.token_hash is None and "@" not in row.email


def test_an_unused_respondent_of_another_organization_is_untouched(
    anonymous, bebyholm, time_machine
):
    other = make_respondent(make_measurement(bebyholm), "x@bebyholm.se")
    _travel(time_machine, 90)
    apply_respondent_retention()
    other.refresh_from_db()
    assert other.email == "x@bebyholm.se"


def test_reopening_after_the_deadline_sends_nothing_to_erased_rows(anonymous, alice, settings):
    # Closed a retention period ago rather than travelling ahead: only a measurement of the current
    # year can be opened again, and the period may reach into next year.
    anonymous.closed_at = timezone.now() - dt.timedelta(days=settings.RESPONDENT_RETENTION_DAYS)
    anonymous.save(update_fields=["closed_at"])
    apply_respondent_retention()
    waiting = Respondent.objects.filter(measurement=anonymous).exclude(
        status=Respondent.Status.COMPLETED
    )
    assert waiting.exists()
    queued_before = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
    reopened = actions.open_measurement(anonymous, by=alice)
    assert actions.send_invitations(reopened, by=alice) == 0
    assert actions.send_reminders(reopened, by=alice) == 0
    assert (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == queued_before
    )
