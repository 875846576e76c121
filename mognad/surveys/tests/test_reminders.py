"""Reminders by hand and on schedule reach only those who have not completed; links are scrubbed."""

import datetime as dt

import time_machine

from mognad.platform.mail import deliver_outbox
from mognad.platform.models import OutboxMessage
from mognad.surveys import actions, deadlines
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent

# The steps that mail people or end links are confirmed (views/steps.py).
CONFIRM = {"confirm": "1"}


def _open(ankeby, **fields):
    measurement = make_measurement(ankeby, **fields)
    for name in ("a", "b", "c"):
        make_respondent(measurement, f"{name}@ankeby.se")
    return actions.open_measurement(measurement, by=None)


def test_scheduled_reminders_go_once_per_reminder_day_to_those_not_completed(ankeby):
    measurement = _open(ankeby, reminder_days="7,14")
    measurement.respondents.filter(email="a@ankeby.se").update(status=Respondent.Status.COMPLETED)
    today = dt.date(2026, 3, 2)
    assert deadlines.send_scheduled_reminders(today) == 0
    assert deadlines.send_scheduled_reminders(today + dt.timedelta(days=7)) == 2
    assert deadlines.send_scheduled_reminders(today + dt.timedelta(days=8)) == 0
    assert deadlines.send_scheduled_reminders(today + dt.timedelta(days=30)) == 2
    reminded = OutboxMessage.objects.filter(dedupe_key__contains=":reminder:")
    assert (
        sorted(reminded.values_list("to", flat=True)) == ["b@ankeby.se"] * 2 + ["c@ankeby.se"] * 2
    )


def test_no_reminders_without_reminder_days_or_after_closing(ankeby):
    quiet = _open(ankeby, reminder_days="")
    assert deadlines.send_scheduled_reminders(dt.date(2026, 12, 1)) == 0
    actions.close_measurement(quiet, by=None)
    assert deadlines.send_scheduled_reminders(dt.date(2026, 12, 1)) == 0


def test_the_key_user_sends_a_reminder_by_hand(alice_client, ankeby):
    measurement = _open(ankeby)
    assert alice_client.post(f"/measurements/{measurement.pk}/remind/", CONFIRM).status_code == 302
    assert OutboxMessage.objects.filter(dedupe_key__contains=":reminder:").count() == 3


def test_reminders_are_refused_before_opening(alice_client, ankeby):
    draft = make_measurement(ankeby)
    page = alice_client.post(f"/measurements/{draft.pk}/remind/", CONFIRM, follow=True)
    assert "öppen" in page.content.decode()
    assert not OutboxMessage.objects.exists()


def test_only_key_users_send_reminders(bob_client, charlie_client, client, ankeby):
    measurement = _open(ankeby)
    assert bob_client.post(f"/measurements/{measurement.pk}/remind/", CONFIRM).status_code == 403
    assert (
        charlie_client.post(f"/measurements/{measurement.pk}/remind/", CONFIRM).status_code == 404
    )
    assert client.post(f"/measurements/{measurement.pk}/remind/", CONFIRM).status_code == 302
    assert not OutboxMessage.objects.filter(dedupe_key__contains=":reminder:").exists()


def test_sent_invitations_lose_their_link_in_the_outbox(ankeby):
    _open(ankeby)
    deliver_outbox()
    assert actions.scrub_sent_links() == 3
    for message in OutboxMessage.objects.all():
        assert "/r/-/" in message.body_text and "/r/-/" in message.body_html
    assert actions.scrub_sent_links() == 0


def test_a_unit_window_keeps_links_closed_outside_it(client, ankeby, social_services, elder_care):
    from mognad.surveys.tests.factories import token_of

    measurement = make_measurement(ankeby)
    person = make_respondent(measurement, "p@ankeby.se", unit=elder_care)
    measurement = actions.open_measurement(measurement, by=None)
    actions.set_unit_window(
        measurement,
        unit=social_services,
        opens_on=dt.date(2026, 4, 1),
        closes_on=dt.date(2026, 4, 30),
        by=None,
    )
    link = f"/r/{token_of(person)}/"
    assert client.get(link).status_code == 404
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)):
        assert client.get(link).status_code == 200
