"""What the survey emails say: the context of the invitation and reminder templates, with the key
user's own words, sender name, reply-to address and contact person (issue 13)."""

from __future__ import annotations

from typing import Any

from mognad.surveys.models import Measurement

# The emails' own words, previewed in both languages (issue 13).
EMAIL_FIELDS = (
    "sender_name",
    "reply_to",
    "contact_person",
    "invitation_text_sv",
    "invitation_text_en",
    "reminder_text_sv",
    "reminder_text_en",
)


def email_context(measurement: Measurement, *, link: str, language: str) -> dict[str, Any]:
    definition = measurement.instrument.definition()
    return {
        "measurement": measurement,
        "organization": measurement.organization,
        "link": link,
        "intro": measurement.intro(language),
        "items": len(definition.items),
        "minutes": max(5, round(len(definition.items) * 0.3)),
        "anonymous": measurement.anonymous,
        "answer_by": measurement.answer_by,
        "contact_person": measurement.contact_person,
        "invitation_text": measurement.email_text("invitation", language),
        "reminder_text": measurement.email_text("reminder", language),
    }
