"""Builders for the results tests: closed measurements with real answers, scored and stored by the
same code as a real close (`mognad.surveys.compute.compute_and_store`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mognad.orgs.models import Organization, Unit
from mognad.surveys.compute import compute_and_store
from mognad.surveys.models import Answer, Measurement, Response
from mognad.surveys.tests.factories import make_measurement


@dataclass(frozen=True)
class Answers:
    """`count` respondents in `unit` with `role`, answering around `level` (1..6)."""

    count: int
    unit: Unit | None = None
    role: str = "staff"
    level: float = 3.5


def closed_measurement(
    org: Organization, groups: list[Answers], *, year: int = 2026, seed: int = 0
) -> Measurement:
    measurement = make_measurement(org, year=year)
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
            values = np.clip(np.rint(rng.normal(group.level, 0.9, len(items))), 1, 6)
            dont_know = rng.random(len(items)) < 0.05
            for item, value, unknown in zip(items, values, dont_know, strict=True):
                answers.append(
                    Answer(
                        response=response,
                        item=item,
                        value=Answer.DONT_KNOW if unknown else int(value),
                    )
                )
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    measurement.state = Measurement.State.CLOSED
    measurement.save()
    compute_and_store(measurement)
    return measurement


def peer_organizations(
    count: int,
    *,
    year: int = 2026,
    named: int = 0,
    respondents: int = 6,
    kind: str = "municipality",
) -> list[Organization]:
    """`count` other organizations with a closed measurement; the first `named` are named."""
    orgs = []
    for i in range(count):
        org = Organization.objects.create(
            name=f"Peer {i + 1} kommun",
            slug=f"peer-{i + 1}-{year}-{kind}",
            kind=kind,
            county="Testlän",
            size_class="M",
            named_in_comparisons=i < named,
        )
        closed_measurement(
            org, [Answers(respondents, level=2.5 + 0.4 * i)], year=year, seed=100 + i
        )
        orgs.append(org)
    return orgs
