"""Who the generated public sector is: real registry names plus invented agencies and companies."""

from __future__ import annotations

import re
from collections import Counter

from mognad.demo.generate import MAX_ORGANIZATIONS
from mognad.demo.population import RESPONDENTS, RegistryEntry, plan_population
from mognad.orgs.models import Unit
from mognad.orgs.registry import ORG_NUMBER, registry_rows

YEARS = list(range(2019, 2027))


def registry() -> list[RegistryEntry]:
    return [
        RegistryEntry(r["kind"], r["code"], r["name"], r["county"], r["county_code"])
        for r in registry_rows()
    ]


def test_a_thousand_organizations_are_the_whole_registry_plus_invented_agencies_and_companies():
    plans = plan_population(count=1000, years=YEARS, seed=1, registry=registry(), categories=6)
    kinds = Counter(plan.kind for plan in plans)
    assert kinds["municipality"] == 290 and kinds["region"] == 21
    assert kinds["agency"] > kinds["company"] > 0
    assert sum(kinds.values()) == 1000
    registry_names = {r["name"] for r in registry_rows()}
    for plan in plans:
        if plan.kind in ("municipality", "region"):
            assert plan.registry_code is not None and plan.name in registry_names
        else:
            assert plan.registry_code is None and ORG_NUMBER.match(plan.code)
            assert plan.name not in registry_names
    assert len({plan.name for plan in plans}) == 1000


def test_a_small_population_is_mostly_municipalities_drawn_from_the_registry():
    plans = plan_population(count=40, years=YEARS, seed=1, registry=registry(), categories=6)
    kinds = Counter(plan.kind for plan in plans)
    assert kinds["municipality"] == 25 and kinds["region"] == 2
    assert kinds["agency"] + kinds["company"] == 13


def test_the_largest_population_allowed_still_has_unique_names_and_codes():
    plans = plan_population(
        count=MAX_ORGANIZATIONS, years=[2026], seed=1, registry=registry(), categories=6
    )
    assert len({plan.name for plan in plans}) == MAX_ORGANIZATIONS
    assert len({(plan.kind, plan.code) for plan in plans}) == MAX_ORGANIZATIONS


def test_invented_codes_avoid_codes_already_taken():
    first = plan_population(count=60, years=YEARS, seed=1, registry=registry(), categories=6)
    taken = {(p.kind, p.code) for p in first if p.registry_code is None}
    again = plan_population(
        count=60, years=YEARS, seed=1, registry=registry(), categories=6, taken_codes=taken
    )
    assert not taken & {(p.kind, p.code) for p in again if p.registry_code is None}


def test_every_organization_has_typed_units_a_size_and_a_sample_by_size():
    plans = plan_population(count=200, years=YEARS, seed=2, registry=registry(), categories=6)
    unit_types = set(Unit.UnitType.values)
    for plan in plans:
        assert plan.units and {u.unit_type for u in plan.units} <= unit_types
        assert abs(sum(u.weight for u in plan.units) - 1) < 1e-9
        assert all(u.parent is None or u.parent < u.key for u in plan.units)
        low, high = RESPONDENTS[plan.size_class]
        assert 20 <= low <= plan.respondents <= high <= 300
        if plan.kind == "municipality":
            assert re.fullmatch(r"[ABC][1-9]", plan.municipality_group)
    types = Counter(u.unit_type for plan in plans for u in plan.units)
    assert types["social_services"] and types["education"] and types["health_care"]


def test_some_organizations_consent_to_be_named_and_to_research_but_not_all():
    plans = plan_population(count=200, years=YEARS, seed=2, registry=registry(), categories=6)
    named = sum(plan.named_in_comparisons for plan in plans) / len(plans)
    research = sum(plan.research_consent for plan in plans) / len(plans)
    assert 0.2 < named < 0.5 and 0.5 < research < 0.8


def test_the_same_seed_plans_the_same_population_and_another_seed_another():
    one = plan_population(count=80, years=YEARS, seed=3, registry=registry(), categories=6)
    assert one == plan_population(count=80, years=YEARS, seed=3, registry=registry(), categories=6)
    other = plan_population(count=80, years=YEARS, seed=4, registry=registry(), categories=6)
    assert [p.maturity for p in one] != [p.maturity for p in other]
