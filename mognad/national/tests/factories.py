"""Builders for the national tests: organizations with closed measurements, scored and stored by the
same code as a real close (`mognad.results.compute.compute_and_store`).

`Group(count, value=3)` gives `count` respondents who all answer 3 to every statement, so every
score of that group is exactly (3 − 1) / 5 × 100 = 40 %; `Group(count, level=3.4)` draws answers
around a level instead (seeded), for spread and variety.
"""

from __future__ import annotations

from mognad.orgs.models import Organization, Unit
from mognad.surveys.tests.factories import AnswerGroup as Group
from mognad.surveys.tests.factories import closed_measurement as measured
from mognad.test import make_org, make_unit

__all__ = ["Group", "build_two_years", "measured", "organization", "unit_of"]


def organization(
    name: str,
    *,
    kind: str = "municipality",
    county: str = "Testlän",
    size_class: str = "M",
    municipality_group: str = "",
    named: bool = False,
    research: bool = False,
    sectors: tuple[str, ...] = (),
) -> Organization:
    org = make_org(
        name,
        kind=kind,
        county=county,
        size_class=size_class,
        municipality_group=municipality_group,
        named_in_comparisons=named,
        research_consent=research,
    )
    for sector in sectors:
        make_unit(org, sector.replace("_", " ").title(), sector)
    return org


def unit_of(org: Organization, unit_type: str) -> Unit:
    return org.units.get(unit_type=unit_type)


def build_two_years() -> list[Organization]:
    """Six municipalities measured in 2025 and 2026 (two agreed to be named), two newcomers in
    2026, sector units of social services and education, and one organization that has not started.
    """
    orgs = []
    for i in range(8):
        org = organization(
            f"Kommun {i}",
            county="Alän" if i % 2 else "Blän",
            size_class="S" if i < 4 else "M",
            named=i in (0, 1),
            research=i < 6,
            sectors=("social_services", "education"),
        )
        social, school = unit_of(org, "social_services"), unit_of(org, "education")
        if i < 6:
            measured(
                org,
                [
                    Group(6, level=2.8 + 0.1 * i, unit=social, role="staff", dont_know=0.05),
                    Group(6, level=3.2 + 0.1 * i, unit=school, role="manager"),
                ],
                year=2025,
                seed=i,
                invited=14,
            )
        measured(
            org,
            [
                Group(6, level=3.0 + 0.1 * i, unit=social, role="staff", dont_know=0.05),
                Group(6, level=3.6 + 0.1 * i, unit=school, role="manager"),
                Group(2, level=4.0, role="it"),
            ],
            year=2026,
            seed=100 + i,
            invited=16,
        )
        orgs.append(org)
    organization("Sovande kommun", county="Alän")
    return orgs
