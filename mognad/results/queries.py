"""Reading stored results and benchmarks. Every function is a fixed number of queries.

Callers pass an organization they already got through `mognad.orgs.access`; nothing here checks
who is asking, and nothing here decides what may be shown (the door, `disclosure/`, did that
when the results were stored).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from mognad.orgs.models import Organization
from mognad.results.disclosure.door import threshold
from mognad.results.models import Benchmark, MeasurementResult, MeasurementScore
from mognad.surveys.models import Measurement


def closed_measurements(org: Organization) -> list[Measurement]:
    """The organization's closed measurements that have stored results, oldest year first."""
    has_results = MeasurementResult.objects.filter(
        measurement=OuterRef("pk"), group_kind=MeasurementResult.GroupKind.ORGANIZATION
    )
    return list(
        Measurement.objects.filter(organization=org, state=Measurement.State.CLOSED)
        .filter(Exists(has_results))
        .select_related("instrument")
        .order_by("year", "id")
    )


def pick_year(measurements: list[Measurement], year: int | None) -> Measurement | None:
    """The measurement of `year` (the latest one when None); None if there is none."""
    if not measurements:
        return None
    if year is None:
        return measurements[-1]
    found = [m for m in measurements if m.year == year]
    return found[-1] if found else None


def results_of(measurement: Measurement) -> list[MeasurementResult]:
    """Every stored group of one measurement (one query)."""
    return list(MeasurementResult.objects.filter(measurement=measurement).select_related("unit"))


def results_of_many(
    measurements: list[Measurement], *, organization_only: bool
) -> list[MeasurementResult]:
    """Stored groups of several measurements in one query (only the organization's, if asked)."""
    rows = MeasurementResult.objects.filter(measurement__in=measurements).select_related("unit")
    if organization_only:
        rows = rows.filter(group_kind=MeasurementResult.GroupKind.ORGANIZATION)
    return list(rows)


def benchmarks(
    measurement: Measurement, peer_group: str, peer_value: str
) -> dict[tuple[str, str], Benchmark]:
    """The shown benchmarks of the measurement's year and instrument for one peer group."""
    rows = Benchmark.objects.filter(
        year=measurement.year,
        instrument_id=measurement.instrument_id,
        peer_group=peer_group,
        peer_value=peer_value,
        count__gte=Benchmark.MIN_PEERS,
    )
    return {(b.node, b.node_id): b for b in rows}


def dimension_benchmarks(
    measurement: Measurement, groups: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Benchmark]]:
    """The shown benchmarks of the dimensions for several peer groups (peer group, value) of the
    measurement's year and instrument, in one query: {(peer group, value): {dimension id: …}}."""
    wanted = Q(pk__in=[])
    for peer_group, peer_value in groups:
        wanted |= Q(peer_group=peer_group, peer_value=peer_value)
    rows = Benchmark.objects.filter(
        wanted,
        year=measurement.year,
        instrument_id=measurement.instrument_id,
        node="dimension",
        count__gte=Benchmark.MIN_PEERS,
    )
    found: dict[tuple[str, str], dict[str, Benchmark]] = {group: {} for group in groups}
    for row in rows:
        found.setdefault((row.peer_group, row.peer_value), {})[row.node_id] = row
    return found


@dataclass(frozen=True)
class PeerScore:
    organization_id: int
    name: str
    named: bool
    score: float
    low: float | None
    high: float | None
    # The organization's kind, size class, county and municipality group (the peer groups).
    peers: tuple[tuple[str, str], ...] = ()


PEER_FIELDS = ("kind", "size_class", "county", "municipality_group")


def peer_scores(
    measurement: Measurement, node: str, node_id: str, filters: dict[str, str] | None = None
) -> list[PeerScore]:
    """Every organization's shown score for one node in the measurement's year and instrument,
    with the fields that define its peer groups.

    `filters` maps organization fields (kind, size_class, county, municipality_group) to values.
    Organizations under the anonymity threshold are left out. One query.
    """
    filters = filters or {}
    k = threshold()
    rows = MeasurementScore.objects.filter(
        result__group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        result__measurement__year=measurement.year,
        result__measurement__instrument_id=measurement.instrument_id,
        result__measurement__state=Measurement.State.CLOSED,
        result__respondents__gte=k,
        n__gte=k,
        score__isnull=False,
        node=node,
        node_id=node_id,
        **{f"result__measurement__organization__{field}": v for field, v in filters.items()},
    ).values_list(
        "result__measurement__organization_id",
        "result__measurement__organization__name",
        "result__measurement__organization__named_in_comparisons",
        "score",
        "ci_low",
        "ci_high",
        *(f"result__measurement__organization__{field}" for field in PEER_FIELDS),
    )
    return [
        PeerScore(
            organization_id=org_id,
            name=name,
            named=named,
            score=float(score or 0.0),
            low=low,
            high=high,
            peers=tuple(zip(PEER_FIELDS, (str(v or "") for v in fields), strict=True)),
        )
        for org_id, name, named, score, low, high, *fields in rows
    ]


def filter_choices() -> dict[str, list[str]]:
    """The counties and municipality groups that organizations have (for the filters)."""
    rows = Organization.objects.values_list("county", "municipality_group").distinct()
    counties = sorted({c for c, _ in rows if c})
    groups = sorted({g for _, g in rows if g})
    return {"county": counties, "municipality_group": groups}


def find_organization(code_or_slug: str) -> Organization | None:
    """An organization by its official code or its slug (for the command line)."""
    org = Organization.objects.filter(slug=code_or_slug).first()
    if org is None and code_or_slug:
        org = Organization.objects.filter(code=code_or_slug).order_by("id").first()
    return org
