"""Builders for the data-lifecycle tests (retention, offboarding, data-subject requests)."""

from __future__ import annotations

from django.utils import timezone

from mognad.instrument.models import InstrumentItem
from mognad.orgs.models import Organization, Unit
from mognad.platform.mail import deliver_outbox
from mognad.results.models import MeasurementResult
from mognad.surveys import actions, answering
from mognad.surveys.models import Measurement, Respondent, Response
from mognad.surveys.tests.factories import make_measurement, make_respondent


def answer(measurement: Measurement, respondent: Respondent, value: int = 4) -> Response:
    """The respondent answers two statements and submits (as the answering pages do)."""
    items = list(InstrumentItem.objects.filter(version=measurement.instrument)[:2])
    response = answering.start_response(
        measurement, key=f"test-key-{respondent.pk}", respondent=respondent, channel="email"
    )
    answering.save_answers(response, {item.pk: value for item in items})
    answering.submit_response(response, respondent=respondent)
    return response


def answered_measurement(
    org: Organization,
    units: list[Unit],
    *,
    anonymous: bool = True,
    emails: tuple[str, ...] = ("sara@ankeby.se", "eero@ankeby.se", "ulf@ankeby.se"),
    close: bool = True,
) -> Measurement:
    """Invited by email; all but the last respondent answer; closed (unless close=False).

    The invitations are delivered, so the outbox holds sent survey emails to every respondent, and
    one stored result stands in for the computed ones.
    """
    measurement = make_measurement(org, anonymous=anonymous)
    roles = ["manager", "staff", "it", "staff"]
    respondents = [
        make_respondent(measurement, email, unit=units[i % len(units)], role=roles[i % len(roles)])
        for i, email in enumerate(emails)
    ]
    measurement = actions.open_measurement(measurement, by=None)
    deliver_outbox()
    for respondent in respondents[:-1]:
        answer(measurement, respondent)
    MeasurementResult.objects.create(
        measurement=measurement,
        group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        respondents=len(respondents) - 1,
        invited=len(respondents),
        payload={},
        computed_at=timezone.now(),
    )
    if close:
        measurement = actions.close_measurement(measurement, by=None)
    return measurement


def counts(measurement: Measurement) -> list[tuple[str, str | None, str, str]]:
    """What response rates are made of: status, unit, role and language of every respondent row."""
    return sorted(
        (r.status, r.unit.name if r.unit else None, r.role, r.language)
        for r in Respondent.objects.filter(measurement=measurement).select_related("unit")
    )
