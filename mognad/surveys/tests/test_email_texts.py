"""The emails' own words (issue 13): sender name, reply-to address, contact person and the key
user's invitation and reminder texts in both languages, previewed as respondents will get them."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from mognad.platform.mail import deliver_outbox
from mognad.platform.models import OutboxMessage
from mognad.surveys import actions
from mognad.surveys.tests.factories import make_measurement, make_respondent

SETTINGS = {
    "invitation_mode": "email",
    "anonymous": "on",
    "language": "sv",
    "reminder_days": "7",
    "sender_name": "Ankeby kommun, digitaliseringsenheten",
    "reply_to": "digital@ankeby.se",
    "contact_person": "Anna Berg, 010-123 45 67",
    "invitation_text_sv": "Hej från kommundirektören!\n\nDin röst behövs.",
    "invitation_text_en": "Greetings from the chief executive!",
    "reminder_text_sv": "Bara några minuter kvar att ge.",
    "reminder_text_en": "",
}


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.fixture
def draft(ankeby):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "sara@ankeby.se")
    make_respondent(measurement, "eero@ankeby.se", language="en")
    return measurement


@pytest.fixture
def configured(alice_client, draft):
    assert alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS).status_code == 302
    draft.refresh_from_db()
    return draft


def test_invitations_carry_the_own_words_sender_reply_to_and_contact(configured, settings):
    settings.DEFAULT_FROM_EMAIL = "Mognad <noreply@mognad.example>"
    actions.open_measurement(configured, by=None)
    sv = OutboxMessage.objects.get(to="sara@ankeby.se")
    en = OutboxMessage.objects.get(to="eero@ankeby.se")
    assert "Hej från kommundirektören!" in sv.body_text and "Din röst behövs." in sv.body_html
    assert "har valts ut att svara" not in sv.body_text  # the standard paragraph is replaced
    assert "Frågor om enkäten? Kontakta Anna Berg, 010-123 45 67." in sv.body_text
    assert "Greetings from the chief executive!" in en.body_text
    assert "Questions about the survey? Contact Anna Berg, 010-123 45 67." in en.body_text
    assert (sv.sender_name, sv.reply_to) == (
        "Ankeby kommun, digitaliseringsenheten",
        "digital@ankeby.se",
    )
    assert deliver_outbox().sent == 2
    sent = {message.to[0]: message for message in mail.outbox}
    message = sent["sara@ankeby.se"].message()
    assert message["From"] == '"Ankeby kommun, digitaliseringsenheten" <noreply@mognad.example>'
    assert message["Reply-To"] == "digital@ankeby.se"


def test_reminders_use_the_own_text_or_the_standard_one_per_language(configured):
    opened = actions.open_measurement(configured, by=None)
    actions.send_reminders(opened, by=None)
    reminders = {m.to: m for m in OutboxMessage.objects.filter(dedupe_key__contains=":reminder:")}
    assert "Bara några minuter kvar att ge." in reminders["sara@ankeby.se"].body_text
    assert "is still open" in reminders["eero@ankeby.se"].body_text  # no English text: standard


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_preview_shows_sender_reply_to_and_the_text_in_each_language(
    alice_client, configured, language
):
    page = alice_client.get(f"/measurements/{configured.pk}/preview/email/?language={language}")
    text = _text(page)
    assert "Ankeby kommun, digitaliseringsenheten" in text and "digital@ankeby.se" in text
    own = (
        "Hej från kommundirektören!" if language == "sv" else "Greetings from the chief executive!"
    )
    assert own in text
    reminder = _text(
        alice_client.get(
            f"/measurements/{configured.pk}/preview/email/?email=reminder&language={language}"
        )
    )
    assert ("Bara några minuter kvar att ge." in reminder) == (language == "sv")


def test_without_own_words_the_defaults_stay(draft, settings):
    settings.DEFAULT_FROM_EMAIL = "Mognad <noreply@mognad.example>"
    actions.open_measurement(draft, by=None)
    deliver_outbox()
    message = mail.outbox[0].message()
    assert message["From"] == "Mognad <noreply@mognad.example>" and message["Reply-To"] is None
    assert (
        "har valts ut att svara" in mail.outbox[0].body or "chosen to answer" in mail.outbox[0].body
    )


def test_a_bad_reply_to_address_is_refused_and_changes_nothing(alice_client, draft):
    page = alice_client.post(
        f"/measurements/{draft.pk}/settings/", SETTINGS | {"reply_to": "not an address"}
    )
    assert page.status_code == 400 and page.context["form"].errors["reply_to"]
    draft.refresh_from_db()
    assert draft.reply_to == "" and draft.sender_name == ""


def test_a_forged_multi_line_sender_name_cannot_add_headers(draft):
    draft.sender_name = "Ankeby\r\nBcc: everyone@evil.example"
    draft.save()
    actions.open_measurement(draft, by=None)
    assert deliver_outbox().sent == 2
    message = mail.outbox[0].message()
    assert message["Bcc"] is None
    assert (
        "\n" not in message["From"] and "everyone@evil.example" not in mail.outbox[0].recipients()
    )
