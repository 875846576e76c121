"""Small builders for the surveys tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings

from mognad.instrument.actions import publish_instrument
from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import Organization, OutboxMessage, Unit
from mognad.surveys import tokens
from mognad.surveys.models import Measurement, Respondent

STANDARD = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
LINK_RE = re.compile(r"/r/([A-Za-z0-9_-]{43})/")


def standard_instrument() -> InstrumentVersion:
    return publish_instrument(STANDARD)


def make_measurement(org: Organization, *, year: int = 2026, **fields: Any) -> Measurement:
    return Measurement.objects.create(
        organization=org, year=year, instrument=standard_instrument(), **fields
    )


def make_respondent(
    measurement: Measurement,
    email: str,
    *,
    unit: Unit | None = None,
    role: str = "staff",
    language: str = "sv",
) -> Respondent:
    return Respondent.objects.create(
        measurement=measurement, email=email, unit=unit, role=role, language=language
    )


def token_of(respondent: Respondent) -> str:
    respondent.refresh_from_db()
    assert respondent.nonce, "the respondent has no link (not invited, or the measurement closed)"
    return tokens.token_for(respondent.nonce)


def link_in(message: OutboxMessage) -> str:
    """The token of the personal link in an email."""
    match = LINK_RE.search(message.body_text)
    assert match, f"no link in {message.body_text!r}"
    assert f"/r/{match.group(1)}/" in message.body_html
    return match.group(1)
