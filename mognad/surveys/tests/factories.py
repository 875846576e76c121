"""Small builders for the surveys tests."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from mognad.instrument.actions import publish_instrument
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.scale import DONT_KNOW
from mognad.orgs.models import Organization, Unit
from mognad.platform.models import OutboxMessage
from mognad.results.compute import compute_and_store
from mognad.results.due import score_due_measurements
from mognad.surveys import actions, tokens
from mognad.surveys.models import Answer, Measurement, Respondent, Response

STANDARD = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
LINK_RE = re.compile(r"/r/([A-Za-z0-9_-]{43})/")
# Measurements belong to a calendar year: the surveys tests run on this day (measurements of 2026).
SPRING_2026 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


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


def open_with_three_respondents(
    measurement: Measurement, *, social_services: Unit, elder_care: Unit, education: Unit
) -> Measurement:
    """Sara (manager, social services), Eero (staff, elder care, English) and Ulf (IT, education)
    are added and the measurement opened (which invites them)."""
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    make_respondent(measurement, "eero@ankeby.se", unit=elder_care, role="staff", language="en")
    make_respondent(measurement, "ulf@ankeby.se", unit=education, role="it")
    return actions.open_measurement(measurement, by=None)


def close_and_score(measurement: Measurement) -> Measurement:
    """Close the measurement as its key user does and score it as the worker's job does."""
    measurement = actions.close_measurement(measurement, by=None)
    assert measurement.pk in score_due_measurements(), "the closed measurement was not scored"
    measurement.refresh_from_db()
    return measurement


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


@dataclass(frozen=True)
class AnswerGroup:
    """`count` respondents in `unit` with `role`: all answering `value` to every statement, or
    answers drawn around `level` (seeded); "Vet ej" with probability `dont_know`, and always on the
    statements whose id starts with one of `unknown` (e.g. "tek.")."""

    count: int
    value: int | None = None
    level: float | None = None
    unit: Unit | None = None
    role: str = "staff"
    dont_know: float = 0.0
    unknown: tuple[str, ...] = ()


def closed_measurement(
    org: Organization,
    groups: list[AnswerGroup],
    *,
    year: int = 2026,
    seed: int = 0,
    invited: int | None = None,
    **fields: Any,
) -> Measurement:
    """A closed measurement of `org` in `year` with the groups' answers, results stored."""
    # Publishing parses the YAML file; once per test is enough.
    instrument = InstrumentVersion.objects.filter(slug="standard").first() or standard_instrument()
    measurement = Measurement.objects.create(
        organization=org, year=year, instrument=instrument, **fields
    )
    items = list(measurement.instrument.items.order_by("position"))
    rng = np.random.default_rng(seed)
    responses, answers = [], []
    for group in groups:
        for _ in range(group.count):
            response = Response(
                measurement=measurement,
                unit=group.unit,
                role=group.role,
                state=Response.State.SUBMITTED,
            )
            responses.append(response)
            if group.value is not None:
                values = np.full(len(items), group.value)
            else:
                level = 3.5 if group.level is None else group.level
                values = np.clip(np.rint(rng.normal(level, 0.9, len(items))), 1, 6)
            unknown = rng.random(len(items)) < group.dont_know
            unknown |= np.array([i.item_id.startswith(group.unknown) for i in items], dtype=bool)
            for item, value, dont_know in zip(items, values, unknown, strict=True):
                answers.append(
                    Answer(
                        response=response,
                        item=item,
                        value=DONT_KNOW if dont_know else int(value),
                    )
                )
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    for n in range(invited or 0):
        Respondent.objects.create(
            measurement=measurement,
            email=f"person{n}@{org.slug}.example",
            role="staff",
            status=Respondent.Status.INVITED,
        )
    measurement.state = Measurement.State.CLOSED
    measurement.save()
    compute_and_store(measurement)
    return measurement
