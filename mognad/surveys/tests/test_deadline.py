"""The last day to answer ("svara senast", issue 13): set in the settings, shown in the invitation,
the reminders, the introduction and the thanks page; reminders scheduled relative to it; and the
worker closes the measurement at the end of that day, or at the end of 31 December without one."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mognad.platform.mail import render_email
from mognad.platform.models import OutboxMessage
from mognad.surveys import actions, deadlines, emails, jobs
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")  # the settings' TIME_ZONE: "the end of the day" is local
SETTINGS = {
    "invitation_mode": "email",
    "anonymous": "on",
    "language": "sv",
    "reminder_days": "",
    "answer_by": "2026-03-31",
    "reminder_days_before": "2, 7",
    "intro_sv": "",
    "intro_en": "",
}


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.fixture
def draft(ankeby):
    measurement = make_measurement(ankeby, reminder_days="")
    for name in ("sara", "ulf", "eero"):
        make_respondent(measurement, f"{name}@ankeby.se", language="en" if name == "eero" else "sv")
    return measurement


@pytest.fixture
def with_deadline(alice_client, draft):
    saved = alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS)
    assert saved.status_code == 302
    draft.refresh_from_db()
    return draft


def test_the_key_user_sets_the_last_day_and_reminders_before_it(with_deadline):
    assert with_deadline.answer_by == dt.date(2026, 3, 31)
    assert with_deadline.reminder_days_before == "2,7"


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ("2027-01-15", "Sista svarsdagen måste ligga under 2026, mätningens år."),
        ("2026-03-01", "Sista svarsdagen kan inte ligga bakåt i tiden."),
    ],
)
def test_a_last_day_outside_the_year_or_in_the_past_is_refused(alice_client, draft, day, error):
    page = alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS | {"answer_by": day})
    assert page.status_code == 400 and error in _text(page)
    draft.refresh_from_db()
    assert draft.answer_by is None


def test_the_invitation_reminder_and_intro_say_answer_by_in_each_language(with_deadline):
    opened = actions.open_measurement(with_deadline, by=None)
    sv = OutboxMessage.objects.get(to="sara@ankeby.se")
    en = OutboxMessage.objects.get(to="eero@ankeby.se")
    assert (
        "Svara senast 31 mars 2026." in sv.body_text
        and "Svara senast 31 mars 2026." in sv.body_html
    )
    assert "Please answer by 31 March 2026." in en.body_text
    context = emails.email_context(opened, link="https://x/r/abc/", language="en")
    _subject, text, html = render_email("reminder", context, "sv")
    assert "Svara senast 31 mars 2026." in text and "Svara senast 31 mars 2026." in html


def test_the_intro_and_the_thanks_page_say_when(client, with_deadline):
    actions.open_measurement(with_deadline, by=None)
    link = f"/r/{token_of(with_deadline.respondents.get(email='sara@ankeby.se'))}/"
    assert "Svara senast 31 mars 2026." in _text(client.get(link))
    client.post(link)
    client.post(f"{link}summary/", {"submit": "1"})
    thanks = _text(client.get(f"{link}thanks/"))
    assert "Enkäten stängs när 31 mars 2026 är slut." in thanks
    assert "presenterar dem i organisationen" in thanks


def test_reminders_go_out_the_given_days_before_the_last_day(with_deadline, alice_client):
    actions.open_measurement(with_deadline, by=None)
    assert with_deadline.reminder_dates() == []  # the stale copy has not opened
    with_deadline.refresh_from_db()
    assert with_deadline.reminder_dates() == [dt.date(2026, 3, 24), dt.date(2026, 3, 29)]
    detail = _text(alice_client.get(f"/measurements/{with_deadline.pk}/"))
    assert "2,7 dagar före sista svarsdagen. Nästa: 24 mars 2026" in detail
    sent = {
        day: deadlines.send_scheduled_reminders(dt.date(2026, 3, day))
        for day in (23, 24, 25, 28, 29, 30, 31)
    }
    assert sent == {23: 0, 24: 3, 25: 0, 28: 0, 29: 3, 30: 0, 31: 0}


def test_the_worker_closes_at_the_end_of_the_last_day(with_deadline):
    actions.open_measurement(with_deadline, by=None)
    with time_machine.travel(dt.datetime(2026, 3, 31, 23, 58, tzinfo=STOCKHOLM), tick=False):
        jobs.close_at_deadline()
    with_deadline.refresh_from_db()
    assert with_deadline.is_open()
    with time_machine.travel(dt.datetime(2026, 4, 1, 0, 2, tzinfo=STOCKHOLM), tick=False):
        jobs.close_at_deadline()
    with_deadline.refresh_from_db()
    assert with_deadline.is_closed() and with_deadline.scoring_due
    assert not with_deadline.respondents.exclude(nonce=None).exists()


def test_without_a_last_day_it_closes_when_the_year_ends(draft):
    actions.open_measurement(draft, by=None)
    assert deadlines.close_past_deadline(dt.date(2026, 12, 31)) == []
    (closed,) = deadlines.close_past_deadline(dt.date(2027, 1, 1))
    assert closed.pk == draft.pk and closed.is_closed()


def test_a_measurement_closed_by_hand_meanwhile_is_left_alone(draft):
    actions.open_measurement(draft, by=None)
    actions.close_measurement(draft, by=None)
    assert deadlines.close_past_deadline(dt.date(2027, 1, 1)) == []
