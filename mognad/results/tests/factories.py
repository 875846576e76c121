"""Builders for the results tests: closed measurements with real answers, scored and stored by the
same code as a real close (`mognad.results.compute.compute_and_store`)."""

from __future__ import annotations

from dataclasses import dataclass

from mognad.orgs.models import Organization, Unit
from mognad.surveys.models import Measurement
from mognad.surveys.tests import factories as surveys_factories
from mognad.surveys.tests.factories import AnswerGroup


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
    """A closed measurement with the groups' answers (5 % "Vet ej"), results stored."""
    return surveys_factories.closed_measurement(
        org,
        [
            AnswerGroup(g.count, level=g.level, unit=g.unit, role=g.role, dont_know=0.05)
            for g in groups
        ],
        year=year,
        seed=seed,
    )


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
