"""Steps that e-mail people or end links are confirmed with their recipient counts (issue 13).

Open, reopen, close, invite and remind show a confirmation page first (GET, or a POST without
`confirm`) that says whom the step reaches; only `confirm=1` acts. The respondent list says
"invited" only once the invitation has gone (the outbox decides), and the import preview says
how many invitations saving sends.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from mognad.platform.mail import deliver_outbox
from mognad.platform.models import OutboxMessage
from mognad.surveys import actions
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import SPRING_2026, make_respondent
from mognad.tests.hostile import assert_nothing_written, row_counts

CONFIRM = {"confirm": "1"}
IGNORE = ("platform.RateLimitCounter",)


def _text(page) -> str:
    """The page's visible text, tags removed and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


def _people(measurement, count, *, prefix="p"):
    return [make_respondent(measurement, f"{prefix}{n}@ankeby.se") for n in range(count)]


@pytest.fixture
def draft(measurement):
    _people(measurement, 4)
    return measurement


@pytest.fixture
def opened(draft):
    return actions.open_measurement(draft, by=None)


@pytest.mark.parametrize("method", ["get", "post"])
def test_opening_asks_first_and_says_how_many_get_an_invitation(alice_client, draft, method):
    before = row_counts()
    page = getattr(alice_client, method)(f"/measurements/{draft.pk}/open/")
    assert page.status_code == 200
    assert "4 personer får en inbjudan via e-post nu." in _text(page)
    assert 'name="confirm" value="1"' in page.content.decode()
    assert_nothing_written(before, ignore=(*IGNORE, "sessions.Session"))
    draft.refresh_from_db()
    assert draft.is_draft()


def test_confirming_opens_and_invites(alice_client, draft):
    done = alice_client.post(f"/measurements/{draft.pk}/open/", CONFIRM)
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.is_open()
    assert OutboxMessage.objects.filter(dedupe_key__contains=":invitation:").count() == 4


def test_closing_asks_first_and_counts_the_links_that_die(alice_client, opened):
    Respondent.objects.filter(email="p0@ankeby.se").update(status=Respondent.Status.COMPLETED)
    Respondent.objects.filter(email="p1@ankeby.se").update(status=Respondent.Status.STARTED)
    page = alice_client.post(f"/measurements/{opened.pk}/close/")
    text = _text(page)
    assert "3 inbjudna personer har inte svarat klart" in text
    assert "1 av dem har börjat utan att skicka in." in text
    assert "1 färdigt svar" in text
    opened.refresh_from_db()
    assert opened.is_open() and opened.respondents.exclude(nonce=None).count() == 4
    alice_client.post(f"/measurements/{opened.pk}/close/", CONFIRM)
    opened.refresh_from_db()
    assert opened.is_closed() and not opened.respondents.exclude(nonce=None).exists()


def test_reopening_asks_first_and_counts_the_new_invitations(alice_client, opened):
    Respondent.objects.filter(email="p0@ankeby.se").update(status=Respondent.Status.COMPLETED)
    actions.close_measurement(opened, by=None)
    sent_before = OutboxMessage.objects.count()
    page = alice_client.get(f"/measurements/{opened.pk}/open/")
    text = _text(page)
    assert "Öppna mätningen igen?" in text
    assert "3 personer får en inbjudan via e-post nu." in text
    assert OutboxMessage.objects.count() == sent_before
    alice_client.post(f"/measurements/{opened.pk}/open/", CONFIRM)
    assert OutboxMessage.objects.count() == sent_before + 3


def test_a_reminder_asks_first_and_warns_about_fresh_invitations(alice_client, opened):
    page = alice_client.get(f"/measurements/{opened.pk}/remind/")
    text = _text(page)
    assert "4 personer som inte har svarat klart får en påminnelse via e-post nu." in text
    assert "4 av dem fick inbjudan för mindre än ett dygn sedan." in text
    assert "Ingen påminnelse har gått ut än." in text
    assert not OutboxMessage.objects.filter(dedupe_key__contains=":reminder:").exists()
    with time_machine.travel(SPRING_2026 + dt.timedelta(days=3), tick=False):
        later = _text(alice_client.get(f"/measurements/{opened.pk}/remind/"))
    assert "fick inbjudan för mindre än ett dygn sedan" not in later


def test_the_time_of_the_last_reminder_is_shown_once_it_went_out(alice_client, opened):
    alice_client.post(f"/measurements/{opened.pk}/remind/", CONFIRM)
    detail = _text(alice_client.get(f"/measurements/{opened.pk}/"))
    assert "Ingen påminnelse har gått ut än. 4 påminnelser väntar i utkorgen." in detail
    with time_machine.travel(dt.datetime(2026, 3, 4, 14, 5, tzinfo=dt.UTC), tick=False):
        assert deliver_outbox().sent == 8
    detail = _text(alice_client.get(f"/measurements/{opened.pk}/"))
    # 14:05 UTC is 15:05 in Stockholm.
    assert "Den senaste påminnelsen gick ut 4 mars 2026, 15:05." in detail
    assert "väntar i utkorgen" not in detail


def test_inviting_by_hand_asks_first_with_the_count(alice_client, opened):
    _people(opened, 2, prefix="new")
    assert "2 personer som inte har bjudits in" in _text(
        alice_client.get(f"/measurements/{opened.pk}/invite/")
    )
    alice_client.post(f"/measurements/{opened.pk}/invite/", CONFIRM)
    assert OutboxMessage.objects.filter(to__startswith="new").count() == 2


@pytest.mark.parametrize("step", ["close", "remind", "invite"])
def test_a_step_not_possible_now_says_why_without_a_confirmation(alice_client, draft, step):
    page = alice_client.get(f"/measurements/{draft.pk}/{step}/", follow=True)
    assert page.redirect_chain == [(f"/measurements/{draft.pk}/", 303)]
    assert "öppen" in _text(page)


@pytest.mark.parametrize("step", ["open", "close", "remind", "invite"])
def test_only_key_users_reach_a_confirmation(bob_client, charlie_client, client, opened, step):
    url = f"/measurements/{opened.pk}/{step}/"
    assert bob_client.get(url).status_code == 403
    assert charlie_client.get(url).status_code == 404
    assert client.get(url).status_code == 302
    assert charlie_client.post(url, CONFIRM).status_code == 404
    opened.refresh_from_db()
    assert opened.is_open()


def test_imported_people_are_not_invited_before_their_mail_has_gone(alice_client, opened):
    _people(opened, 1, prefix="queued")
    actions.send_invitations(opened, by=None)
    listing = _text(alice_client.get(f"/measurements/{opened.pk}/respondents/"))
    assert listing.count("Inbjudan väntar på att skickas") == 5
    deliver_outbox()
    listing = _text(alice_client.get(f"/measurements/{opened.pk}/respondents/"))
    # Anonymous: the list says whether the invitation went, never who has answered.
    assert "väntar på att skickas" not in listing and listing.count("Inbjudan skickad") == 5


def test_a_failed_invitation_is_shown_as_not_sent(alice_client, opened):
    OutboxMessage.objects.filter(to="p2@ankeby.se").update(status=OutboxMessage.Status.FAILED)
    deliver_outbox()
    listing = _text(alice_client.get(f"/measurements/{opened.pk}/respondents/"))
    assert listing.count("Inbjudan kunde inte skickas än") == 1
    assert listing.count("Inbjudan skickad") == 3


def _import(client, measurement, emails):
    data = ("email;role\n" + "".join(f"{email};chef\n" for email in emails)).encode()
    url = f"/measurements/{measurement.pk}/respondents/import/"
    return client.post(url, {"file": SimpleUploadedFile("people.csv", data)})


def test_the_import_preview_says_saving_sends_invitations_while_open(alice_client, opened):
    _people(opened, 1, prefix="waiting")  # not invited yet: saving invites them too
    before = row_counts()
    preview = _import(alice_client, opened, ["ny1@ankeby.se", "ny2@ankeby.se", "p0@ankeby.se"])
    text = _text(preview)
    assert "importen skickar 3 inbjudningar via e-post direkt" in text
    assert "Importera och skicka 3 inbjudningar" in text
    assert_nothing_written(before, ignore=IGNORE)


def test_the_import_preview_of_a_draft_promises_no_mail(alice_client, draft):
    text = _text(_import(alice_client, draft, ["ny1@ankeby.se"]))
    assert "Ingen bjuds in innan mätningen öppnas." in text
    assert "inbjudningar" not in text


def test_a_measurement_with_released_results_offers_no_reopening(alice_client, opened):
    from django.utils import timezone

    actions.close_measurement(opened, by=None)
    opened.refresh_from_db()
    opened.results_released_at = timezone.now()
    opened.save()
    sent_before = OutboxMessage.objects.count()
    assert "Öppna mätningen igen" not in _text(alice_client.get(f"/measurements/{opened.pk}/"))
    page = alice_client.get(f"/measurements/{opened.pk}/open/", follow=True)
    assert page.redirect_chain == [(f"/measurements/{opened.pk}/", 303)]
    assert "Mätningens resultat har redan lämnats ut, så den kan inte öppnas igen" in _text(page)
    assert OutboxMessage.objects.count() == sent_before
