"""Peer benchmarks: computed from the stored organization results after measurements close.

`compute_benchmarks(year)` replaces the year's benchmarks. `refresh_due_benchmarks()` (the periodic
job in jobs.py) recomputes every year whose stored results are newer than its benchmarks, so a
measurement that closes shows up in the peer figures within minutes. Only organizations whose own
figure passes the anonymity threshold are counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mognad.orgs.models import Organization
from mognad.results.disclosure.door import threshold, unnamed_threshold
from mognad.results.disclosure.organizations import released_groups
from mognad.results.models import Benchmark, MeasurementResult, MeasurementScore, PeerGroup
from mognad.surveys.models import Measurement

# Peer group → the organization field that defines it.
PEER_FIELDS: dict[str, str] = {
    PeerGroup.KIND: "kind",
    PeerGroup.SIZE_CLASS: "size_class",
    PeerGroup.COUNTY: "county",
    PeerGroup.MUNICIPALITY_GROUP: "municipality_group",
}
# Nodes benchmarked (items too: the bars per statement compare with peers).
NODES = ("overall", "dimension", "category", "capability", "item")


@dataclass(frozen=True)
class OrganizationScoreRow:
    instrument_id: int
    organization_id: int
    peers: dict[str, str]
    node: str
    node_id: str
    score: float
    named: bool = False


def organization_scores(year: int) -> list[OrganizationScoreRow]:
    """Every shown organization-level score of the year's closed measurements (one query)."""
    k = threshold()
    rows = MeasurementScore.objects.filter(
        result__group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        result__measurement__year=year,
        result__measurement__state=Measurement.State.CLOSED,
        result__respondents__gte=k,
        n__gte=k,
        score__isnull=False,
        node__in=NODES,
    ).values_list(
        "result__measurement__instrument_id",
        "result__measurement__organization_id",
        "result__measurement__organization__kind",
        "result__measurement__organization__size_class",
        "result__measurement__organization__county",
        "result__measurement__organization__municipality_group",
        "node",
        "node_id",
        "score",
        "result__measurement__organization__named_in_comparisons",
    )
    return [
        OrganizationScoreRow(
            instrument_id=row[0],
            organization_id=row[1],
            peers=dict(zip(PEER_FIELDS, row[2:6], strict=True)),
            node=row[6],
            node_id=row[7],
            score=float(row[8] or 0.0),
            named=bool(row[9]),
        )
        for row in rows
    ]


def compute_benchmarks(year: int) -> int:
    """Replace the year's benchmarks; returns how many were stored.

    Only peer groups the disclosure-control door releases are stored: per node, the peer groups of
    all organizations, kind, size class, county and municipality group are decided together
    (disclosure/organizations.py), so no peer group of at least `MIN_PEERS` organizations can be
    combined with the others to single out an unnamed organization.
    """
    groups: dict[tuple[int, str, str, str, str], list[float]] = defaultdict(list)
    members: dict[tuple[int, str, str], dict[tuple[str, str], set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )
    unnamed: set[int] = set()
    for row in organization_scores(year):
        of_node = (row.instrument_id, row.node, row.node_id)
        if not row.named:
            unnamed.add(row.organization_id)
        for peer_group, value in ((PeerGroup.ALL.value, ""), *row.peers.items()):
            if peer_group == PeerGroup.ALL or value:
                groups[(row.instrument_id, peer_group, value, row.node, row.node_id)].append(
                    row.score
                )
                members[of_node][(peer_group, value)].add(row.organization_id)
    # Most nodes have the same organizations in the same peer groups: decided once per layout.
    decided: dict[frozenset[tuple[tuple[str, str], frozenset[int]]], frozenset[Any]] = {}
    shown = {}
    for of_node, peers in members.items():
        layout = frozenset((key, frozenset(orgs)) for key, orgs in peers.items())
        if layout not in decided:
            decided[layout] = released_groups(
                dict(layout),
                frozenset(unnamed),
                unnamed_threshold(),
                minimum=Benchmark.MIN_PEERS,
                protected=(PeerGroup.ALL.value, ""),
            )
        shown[of_node] = decided[layout]
    groups = {
        key: scores
        for key, scores in groups.items()
        if (key[1], key[2]) in shown[(key[0], key[3], key[4])]
    }
    now = timezone.now()
    benchmarks = []
    for (instrument_id, peer_group, value, node, node_id), scores in groups.items():
        values = np.asarray(scores, dtype=np.float64)
        p10, p25, median, p75, p90 = np.percentile(values, [10, 25, 50, 75, 90])
        benchmarks.append(
            Benchmark(
                year=year,
                instrument_id=instrument_id,
                peer_group=peer_group,
                peer_value=value,
                node=node,
                node_id=node_id,
                count=len(values),
                mean=float(values.mean()),
                p10=float(p10),
                p25=float(p25),
                median=float(median),
                p75=float(p75),
                p90=float(p90),
                computed_at=now,
            )
        )
    with transaction.atomic():
        Benchmark.objects.filter(year=year).delete()
        Benchmark.objects.bulk_create(benchmarks, batch_size=2000)
    return len(benchmarks)


def due_years() -> list[int]:
    """Years whose stored organization results are newer than their benchmarks (or have none)."""
    results = dict(
        MeasurementResult.objects.filter(
            group_kind=MeasurementResult.GroupKind.ORGANIZATION,
            measurement__state=Measurement.State.CLOSED,
        )
        .values_list("measurement__year")
        .annotate(latest=Max("computed_at"))
        .values_list("measurement__year", "latest")
    )
    computed = dict(
        Benchmark.objects.values_list("year")
        .annotate(latest=Max("computed_at"))
        .values_list("year", "latest")
    )
    # Results may also have disappeared (an organization offboarded): benchmarks without results.
    stale = {year for year in computed if year not in results}
    stale |= {year for year, latest in results.items() if computed.get(year) is None}
    stale |= {
        year
        for year, latest in results.items()
        if computed.get(year) is not None and latest > computed[year]
    }
    return sorted(stale)


def refresh_due_benchmarks() -> list[int]:
    """Recompute the benchmarks of every year that needs it; returns those years."""
    years = due_years()
    for year in years:
        compute_benchmarks(year)
    return years


def peer_value(org: Organization, peer_group: str) -> str:
    """The value of `org` that defines its peer group ("" for all organizations)."""
    if peer_group == PeerGroup.ALL:
        return ""
    return str(getattr(org, PEER_FIELDS[peer_group]) or "")
