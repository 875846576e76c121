"""Who takes part in the synthetic public sector: organizations, units and the years they measure.

Everything here is decided from the seed alone (and the registry entries offered), so the same seed
gives the same population. The latent traits drawn here (maturity, category profile, unit effects)
feed the answer model in `answers.py`; the calibration is described in docs/performance.md
("Demo data generator") and checked by mognad/demo/tests/test_calibration.py.

Scale: the latent traits are in scale points around the middle of the six-point scale (3.5, which is
50 % of optimal preconditions); 0.05 scale points is one percentage point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from mognad.demo.names import invented_names, organization_number
from mognad.orgs.models import Organization, Unit

MUNICIPALITY = Organization.Kind.MUNICIPALITY.value
REGION = Organization.Kind.REGION.value
AGENCY = Organization.Kind.AGENCY.value
COMPANY = Organization.Kind.COMPANY.value

# Random streams: each purpose draws from its own stream, so adding a draw in one place does not
# change the numbers drawn anywhere else.
STREAM_POPULATION = 1
STREAM_ORGANIZATION = 2
STREAM_ITEMS = 3
STREAM_MEASUREMENT = 4

# Share of the population by kind when the registry has enough municipalities and regions; the rest
# are invented agencies and municipal companies (60/40).
MUNICIPALITY_SHARE = 0.62
REGION_SHARE = 0.06
AGENCY_SHARE_OF_REST = 0.6

# Cumulative share of the population that has started measuring by the first … last year: the
# sample grows from a few early adopters to most organizations.
FIRST_YEAR_SHARE = 0.10
LAST_YEAR_SHARE = 0.90
# Once started, an organization measures a given year with this probability, and leaves for good
# after a measured year with the second.
MEASURE_AGAIN = 0.9
DROP_OUT = 0.03

# The latent organization maturity: spread between organizations, and shifts by kind and size.
MATURITY_SD = 0.22
KIND_EFFECT = {MUNICIPALITY: 0.0, REGION: 0.05, AGENCY: 0.12, COMPANY: 0.05}
SIZE_EFFECT = {"XS": -0.10, "S": -0.04, "M": 0.0, "L": 0.04, "XL": 0.08}
# An organization's own deviation per category (its profile) around its maturity.
PROFILE_SD = 0.2
# Early adopters are the more mature: the order of joining is maturity plus this much noise.
JOIN_NOISE_SD = 0.25

# Sectors differ more inside one organization than organizations differ from each other: the
# sector effects span about ±0.5 scale points (±10 percentage points); organizations' SD is 0.22.
SECTOR_EFFECT = {
    Unit.UnitType.SOCIAL_SERVICES.value: -0.55,
    Unit.UnitType.EDUCATION.value: -0.45,
    Unit.UnitType.HEALTH_CARE.value: -0.25,
    Unit.UnitType.OTHER.value: -0.05,
    Unit.UnitType.SERVICE.value: 0.30,
    Unit.UnitType.MANAGEMENT.value: 0.35,
    Unit.UnitType.URBAN_PLANNING.value: 0.40,
    Unit.UnitType.IT.value: 0.40,
}
UNIT_SD = 0.12
SUBUNIT_SD = 0.10
# How many respondents a unit of each type gets, relative to the others.
SECTOR_WEIGHT = {
    Unit.UnitType.SOCIAL_SERVICES.value: 1.6,
    Unit.UnitType.EDUCATION.value: 1.5,
    Unit.UnitType.HEALTH_CARE.value: 2.0,
    Unit.UnitType.OTHER.value: 1.0,
    Unit.UnitType.SERVICE.value: 0.9,
    Unit.UnitType.MANAGEMENT.value: 1.0,
    Unit.UnitType.URBAN_PLANNING.value: 0.9,
    Unit.UnitType.IT.value: 0.6,
}
# A unit with sub-units keeps this share of its respondents; the sub-units share the rest.
PARENT_KEEPS = 0.3

# Respondents asked per organization by size class (uniform between the bounds).
RESPONDENTS = {"XS": (20, 45), "S": (35, 90), "M": (60, 160), "L": (100, 230), "XL": (180, 300)}

SIZE_ORDER = ("XS", "S", "M", "L", "XL")

# Unit templates: (name, unit type, smallest size class that has it, sub-units).
_Template = tuple[str, str, str, tuple[tuple[str, str], ...]]
_U = Unit.UnitType
UNIT_TEMPLATES: dict[str, tuple[_Template, ...]] = {
    MUNICIPALITY: (
        ("Kommunledningsförvaltningen", _U.MANAGEMENT, "XS", (("IT-avdelningen", _U.IT),)),
        (
            "Socialförvaltningen",
            _U.SOCIAL_SERVICES,
            "XS",
            (
                ("Äldreomsorg", _U.SOCIAL_SERVICES),
                ("Individ- och familjeomsorg", _U.SOCIAL_SERVICES),
            ),
        ),
        (
            "Utbildningsförvaltningen",
            _U.EDUCATION,
            "XS",
            (("Grundskola", _U.EDUCATION), ("Gymnasieskola", _U.EDUCATION)),
        ),
        ("Samhällsbyggnadsförvaltningen", _U.URBAN_PLANNING, "XS", ()),
        ("Serviceförvaltningen", _U.SERVICE, "S", ()),
        ("Kultur- och fritidsförvaltningen", _U.OTHER, "M", ()),
        (
            "Vård- och omsorgsförvaltningen",
            _U.SOCIAL_SERVICES,
            "L",
            (("Hemtjänst", _U.SOCIAL_SERVICES),),
        ),
    ),
    REGION: (
        (
            "Regionledningskontoret",
            _U.MANAGEMENT,
            "XS",
            (("Regional digitalisering och IT", _U.IT),),
        ),
        (
            "Hälso- och sjukvårdsförvaltningen",
            _U.HEALTH_CARE,
            "XS",
            (("Primärvård", _U.HEALTH_CARE), ("Specialistvård", _U.HEALTH_CARE)),
        ),
        ("Regionservice", _U.SERVICE, "XS", ()),
        ("Kultur- och utbildningsförvaltningen", _U.EDUCATION, "XS", ()),
        ("Samhällsplanering och kollektivtrafik", _U.URBAN_PLANNING, "XS", ()),
        ("Folktandvården", _U.HEALTH_CARE, "M", ()),
    ),
    AGENCY: (
        ("Ledningsstaben", _U.MANAGEMENT, "XS", ()),
        ("IT-avdelningen", _U.IT, "XS", ()),
        (
            "Verksamhetsavdelningen",
            _U.OTHER,
            "XS",
            (("Handläggning", _U.OTHER), ("Tillsyn", _U.OTHER)),
        ),
        ("Verksamhetsstöd", _U.SERVICE, "XS", ()),
        ("Kommunikation och kundservice", _U.SERVICE, "M", ()),
    ),
    COMPANY: (
        ("Ledning", _U.MANAGEMENT, "XS", ()),
        ("Drift och underhåll", _U.OTHER, "XS", ()),
        ("Kundservice", _U.SERVICE, "XS", ()),
        ("IT", _U.IT, "S", ()),
    ),
}
# Sub-units appear from this size class up.
SUBUNITS_FROM = "M"

# Municipalities whose size is known to be large (employees, roughly).
LARGE_MUNICIPALITIES = {
    "Stockholm": 45000,
    "Göteborg": 42000,
    "Malmö": 26000,
    "Uppsala": 15000,
    "Linköping": 11000,
    "Örebro": 11000,
    "Västerås": 10000,
    "Helsingborg": 9500,
    "Norrköping": 9500,
    "Jönköping": 9500,
    "Umeå": 8500,
    "Lund": 8500,
}
LARGE_REGIONS = {"01": 45000, "14": 55000, "12": 38000}
BIG_CITY_COUNTIES = {"01", "12", "14"}


@dataclass(frozen=True)
class RegistryEntry:
    """A municipality or region of the built-in registry that the generator may fill."""

    kind: str
    code: str
    name: str
    county: str
    county_code: str


@dataclass(frozen=True)
class UnitPlan:
    key: int  # position in the organization's unit list; parents come before their sub-units
    name: str
    unit_type: str
    parent: int | None
    weight: float  # share of the organization's respondents asked in this unit (not its subtree)
    effect: float  # latent effect in scale points (sector effect plus the unit's own)


@dataclass(frozen=True)
class OrganizationPlan:
    index: int
    kind: str
    name: str
    # Set for municipalities and regions of the registry: the existing row to fill.
    registry_code: str | None
    code: str  # the official code (registry) or an invented organization number
    county: str
    county_code: str
    employees: int
    size_class: str
    municipality_group: str
    named_in_comparisons: bool
    research_consent: bool
    maturity: float
    profile: tuple[float, ...]  # per category of the instrument, in instrument order
    response_propensity: float
    respondents: int  # how many are asked in a typical year
    units: tuple[UnitPlan, ...]
    years: tuple[int, ...]  # the years it measures


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    """A random generator for one purpose (stream) of one seed, independent of all the others."""
    return np.random.default_rng([seed, *stream])


def _counts(count: int, municipalities: int, regions: int) -> tuple[int, int, int, int]:
    n_mun = min(municipalities, round(MUNICIPALITY_SHARE * count))
    n_reg = min(regions, round(REGION_SHARE * count))
    rest = count - n_mun - n_reg
    n_agency = round(AGENCY_SHARE_OF_REST * rest)
    return n_mun, n_reg, n_agency, rest - n_agency


def _employees(rng: np.random.Generator, kind: str, name: str, code: str) -> int:
    if kind == MUNICIPALITY and name in LARGE_MUNICIPALITIES:
        return LARGE_MUNICIPALITIES[name]
    if kind == REGION and code in LARGE_REGIONS:
        return LARGE_REGIONS[code]
    median, sigma, low, high = {
        MUNICIPALITY: (1300, 0.8, 250, 20000),
        REGION: (8000, 0.5, 2500, 30000),
        AGENCY: (500, 1.1, 30, 25000),
        COMPANY: (120, 0.9, 15, 3000),
    }[kind]
    return int(np.clip(rng.lognormal(np.log(median), sigma), low, high))


def _municipality_group(
    rng: np.random.Generator, kind: str, name: str, county_code: str, size: str
) -> str:
    """SKR's municipality group, assigned by size and place (the real list is loaded separately)."""
    if kind != MUNICIPALITY:
        return ""
    if name in ("Stockholm", "Göteborg", "Malmö"):
        return "A1"
    if size in ("L", "XL"):
        return "A3"
    if size == "M":
        return "A2" if county_code in BIG_CITY_COUNTIES else str(rng.choice(["B4", "B5", "B6"]))
    if county_code in BIG_CITY_COUNTIES and rng.random() < 0.5:
        return str(rng.choice(["A2", "B4"]))
    return str(rng.choice(["C7", "C8", "C9", "B5"], p=[0.35, 0.3, 0.15, 0.2]))


def _units(rng: np.random.Generator, kind: str, size: str) -> tuple[UnitPlan, ...]:
    rank = SIZE_ORDER.index(size)
    units: list[UnitPlan] = []
    for name, unit_type, smallest, children in UNIT_TEMPLATES[kind]:
        if rank < SIZE_ORDER.index(smallest):
            continue
        effect = SECTOR_EFFECT[unit_type] + float(rng.normal(0.0, UNIT_SD))
        weight = SECTOR_WEIGHT[unit_type] * float(rng.uniform(0.7, 1.3))
        subunits = children if rank >= SIZE_ORDER.index(SUBUNITS_FROM) else ()
        # A small organization's IT lives inside its management unit: it has no sub-unit for it.
        parent_key = len(units)
        units.append(
            UnitPlan(
                key=parent_key,
                name=name,
                unit_type=unit_type,
                parent=None,
                weight=weight * (PARENT_KEEPS if subunits else 1.0),
                effect=effect,
            )
        )
        for child_name, child_type in subunits:
            units.append(
                UnitPlan(
                    key=len(units),
                    name=child_name,
                    unit_type=child_type,
                    parent=parent_key,
                    weight=weight * (1 - PARENT_KEEPS) / len(subunits),
                    effect=effect
                    + (SECTOR_EFFECT[child_type] - SECTOR_EFFECT[unit_type])
                    + float(rng.normal(0.0, SUBUNIT_SD)),
                )
            )
    total = sum(u.weight for u in units)
    return tuple(
        UnitPlan(u.key, u.name, u.unit_type, u.parent, u.weight / total, u.effect) for u in units
    )


def _join_years(rng: np.random.Generator, maturity: np.ndarray, years: Sequence[int]) -> np.ndarray:
    """The first year each organization measures: the more mature join earlier."""
    count = len(maturity)
    order = np.argsort(-(maturity + rng.normal(0.0, JOIN_NOISE_SD, size=count)), kind="stable")
    span = max(len(years) - 1, 1)
    shares = [
        FIRST_YEAR_SHARE + (LAST_YEAR_SHARE - FIRST_YEAR_SHARE) * (k / span)
        for k in range(len(years))
    ]
    if len(years) == 1:
        shares = [LAST_YEAR_SHARE]
    joined = np.full(count, -1)
    start = 0
    for k, share in enumerate(shares):
        end = max(start, round(share * count))
        joined[order[start:end]] = k
        start = end
    return joined  # -1: never measures in these years


def _measured_years(rng: np.random.Generator, join: int, years: Sequence[int]) -> tuple[int, ...]:
    if join < 0:
        return ()
    measured = [years[join]]
    for year in years[join + 1 :]:
        if rng.random() < DROP_OUT:
            break
        if rng.random() < MEASURE_AGAIN:
            measured.append(year)
    return tuple(measured)


def plan_population(
    *,
    count: int,
    years: Sequence[int],
    seed: int,
    registry: Sequence[RegistryEntry],
    categories: int,
    taken_codes: set[tuple[str, str]] | None = None,
    respondents_scale: float = 1.0,
) -> list[OrganizationPlan]:
    """`count` organizations: registry municipalities and regions, then invented agencies and
    companies; with their traits, units and the years (of `years`) each one measures.

    `respondents_scale` multiplies how many people each organization asks (benchmarks use it to
    reach a national year of a given size; it draws nothing, so everything else stays the same)."""
    rng = rng_for(seed, STREAM_POPULATION)
    municipalities = sorted((e for e in registry if e.kind == MUNICIPALITY), key=lambda e: e.code)
    regions = sorted((e for e in registry if e.kind == REGION), key=lambda e: e.code)
    n_mun, n_reg, n_agency, n_company = _counts(count, len(municipalities), len(regions))
    chosen: list[RegistryEntry | tuple[str, str]] = []
    for pool, n in ((municipalities, n_mun), (regions, n_reg)):
        picked = sorted(int(i) for i in rng.choice(len(pool), size=n, replace=False)) if n else []
        chosen += [pool[i] for i in picked]
    agency_names, company_names = invented_names(rng, n_agency, n_company)
    counties = sorted({(e.county_code, e.county) for e in registry}) or [("", "")]
    chosen += [(AGENCY, name) for name in agency_names]
    chosen += [(COMPANY, name) for name in company_names]
    taken = set(taken_codes or ())

    plans = []
    for index, entry in enumerate(chosen):
        org_rng = rng_for(seed, STREAM_ORGANIZATION, index)
        if isinstance(entry, RegistryEntry):
            kind, name, code = entry.kind, entry.name, entry.code
            county, county_code, registry_code = entry.county, entry.county_code, entry.code
        else:
            kind, name = entry
            registry_code = None
            code = organization_number(kind, index, taken)
            # Agencies sit mostly in Stockholm; companies anywhere.
            if kind == AGENCY and org_rng.random() < 0.4 and counties[0][0] == "01":
                county_code, county = counties[0]
            else:
                county_code, county = counties[int(org_rng.integers(len(counties)))]
        employees = _employees(org_rng, kind, name, code)
        size = Organization.size_class_for(employees)
        maturity = float(org_rng.normal(0.0, MATURITY_SD)) + KIND_EFFECT[kind] + SIZE_EFFECT[size]
        low, high = RESPONDENTS[size]
        plans.append(
            OrganizationPlan(
                index=index,
                kind=kind,
                name=name,
                registry_code=registry_code,
                code=code,
                county=county,
                county_code=county_code,
                employees=employees,
                size_class=size,
                municipality_group=_municipality_group(org_rng, kind, name, county_code, size),
                named_in_comparisons=bool(org_rng.random() < 0.35),
                research_consent=bool(org_rng.random() < 0.65),
                maturity=maturity,
                profile=tuple(float(x) for x in org_rng.normal(0.0, PROFILE_SD, categories)),
                response_propensity=float(org_rng.normal(0.0, 0.05)),
                respondents=round(int(org_rng.integers(low, high + 1)) * respondents_scale),
                units=_units(org_rng, kind, size),
                years=(),
            )
        )
    joins = _join_years(rng, np.array([p.maturity for p in plans]), years)
    return [
        replace(
            plan,
            years=_measured_years(
                rng_for(seed, STREAM_ORGANIZATION, plan.index, 1), int(join), years
            ),
        )
        for plan, join in zip(plans, joins, strict=True)
    ]


def plan_existing(
    *,
    index: int,
    kind: str,
    name: str,
    employees: int,
    units: Sequence[tuple[str, str, int | None]],
    years: Sequence[int],
    seed: int,
    categories: int,
    maturity: float = 0.0,
) -> OrganizationPlan:
    """A plan for an organization that exists with its own units (name, unit type, index of the
    parent in `units`), measuring every one of `years`. `index` picks its random streams: use one
    that no generated population uses (they count from 0)."""
    rng = rng_for(seed, STREAM_ORGANIZATION, index)
    size = Organization.size_class_for(employees)
    effects: list[float] = []
    weights = []
    for _name, unit_type, parent in units:
        own = float(rng.normal(0.0, UNIT_SD if parent is None else SUBUNIT_SD))
        base = SECTOR_EFFECT[unit_type] if parent is None else effects[parent]
        shift = (
            0.0 if parent is None else SECTOR_EFFECT[unit_type] - SECTOR_EFFECT[units[parent][1]]
        )
        effects.append(base + shift + own)
        weights.append(SECTOR_WEIGHT[unit_type])
    total = sum(weights)
    low, high = RESPONDENTS[size]
    return OrganizationPlan(
        index=index,
        kind=kind,
        name=name,
        registry_code=None,
        code="",
        county="",
        county_code="",
        employees=employees,
        size_class=size,
        municipality_group="",
        named_in_comparisons=True,
        research_consent=True,
        maturity=maturity,
        profile=tuple(float(x) for x in rng.normal(0.0, PROFILE_SD, categories)),
        response_propensity=0.0,
        respondents=int(rng.integers(low, high + 1)),
        units=tuple(
            UnitPlan(key, unit_name, unit_type, parent, weight / total, effect)
            for key, ((unit_name, unit_type, parent), weight, effect) in enumerate(
                zip(units, weights, effects, strict=True)
            )
        ),
        years=tuple(years),
    )
