"""The all-organizations tab (Allas resultat): where the organization stands among all others."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.instrument.schema import Instrument
from mognad.results import charts, queries
from mognad.results.figures import ORGANIZATION, Figure, NodeKey
from mognad.results.models import Benchmark
from mognad.results.pages.base import Page
from mognad.results.queries import PeerScore
from mognad.results.wording import node_names, whole
from mognad.scoring.engine import differs_from_peers

BAND = 5  # points per band of the distribution
ENOUGH = Benchmark.MIN_PEERS  # organizations needed before anything is compared


@dataclass(frozen=True)
class NamedScore:
    name: str
    score: float
    own: bool


@dataclass(frozen=True)
class AllOrganizations:
    node: NodeKey
    node_name: str
    count: int
    enough: bool  # at least ENOUGH organizations match the filters
    own: Figure | None
    mean: float | None
    percentile: int | None  # share of the others below the own score (ties count half), in whole %
    gap: int | None  # own − average, in whole points as the two figures are shown
    differs: bool | None  # the average outside the own 95 % interval (docs/scoring.md §3)
    bins: tuple[charts.Bin, ...]  # the bands with at least one organization
    named: tuple[NamedScore, ...]  # organizations that chose to be named, and the own
    anonymous_count: int
    chart: charts.Spec | None
    summary: str


def node_choices(instrument: Instrument, lang: str) -> list[tuple[str, str]]:
    choices = [("overall", _("Overall maturity"))]
    choices += [(f"dimension:{d.id}", d.name.get(lang)) for d in instrument.dimensions]
    choices += [(f"category:{c.id}", c.name.get(lang)) for c in instrument.categories]
    choices += [(f"capability:{c.id}", "– " + c.name.get(lang)) for c in instrument.capabilities]
    return choices


def parse_node(value: str) -> NodeKey:
    kind, _sep, node_id = value.partition(":")
    return (kind, node_id)


def released_peers(page: Page, node: NodeKey, filters: dict[str, str]) -> list[PeerScore] | None:
    """The organizations of the chosen peer group, or None when the door does not release it.

    One peer group at a time (all organizations, or one kind, size class, county or municipality
    group), and only one the peer benchmarks release for this node (`benchmarks.py` decides all of
    a node's peer groups together through disclosure/organizations.py, as the national figures
    do): the tab adds no group of organizations that the benchmarks and the national figures do
    not already show, so nothing can be subtracted across them. Combining filters would let two
    views be subtracted, so a combination is refused.
    """
    if len(filters) > 1:
        return None
    peer_group, value = next(iter(filters.items()), ("all", ""))
    if node not in queries.benchmarks(page.measurement, peer_group, value):
        return None
    everyone = queries.peer_scores(page.measurement, node[0], node[1])
    return [p for p in everyone if peer_group == "all" or (peer_group, value) in p.peers]


def build(page: Page, node: NodeKey, filters: dict[str, str]) -> AllOrganizations:
    found = released_peers(page, node, filters)
    peers = found if found is not None else []
    own = page.figures.figure(ORGANIZATION, node)
    node_name = node_names(page.instrument, page.lang).get(node, node[1])
    enough = found is not None and len(peers) >= ENOUGH
    bins = _bins(peers) if enough else ()
    percentile = _percentile(page, peers, own) if enough else None
    named = _named(page, peers) if enough else ()
    # Unrounded, like every figure of a view model: it is rounded once where it is written out.
    mean = sum(p.score for p in peers) / len(peers) if enough else None
    interval = (own.low, own.high) if own and own.low is not None and own.high is not None else None
    return AllOrganizations(
        node=node,
        node_name=node_name,
        count=len(peers),
        enough=enough,
        own=own,
        mean=mean,
        percentile=percentile,
        gap=whole(own.score) - whole(mean) if own and mean is not None else None,
        differs=differs_from_peers(interval, mean),
        bins=tuple(b for b in bins if b.count),
        named=named,
        anonymous_count=len(peers) - len(named) if enough else 0,
        chart=_chart(page, node_name, bins, own) if enough else None,
        summary=(
            _summary(page, node_name, len(peers), own, percentile, mean)
            if found is not None
            else _(
                "This comparison is not shown: choose at most one filter, and a group in which "
                "organizations that are not named cannot be singled out by comparing it with "
                "the others."
            )
        ),
    )


def _bins(peers: list[PeerScore]) -> tuple[charts.Bin, ...]:
    bands = 100 // BAND
    counts = [0] * bands
    for p in peers:
        counts[min(int(p.score // BAND), bands - 1)] += 1
    return tuple(
        charts.Bin(start, start + BAND, count)
        for start, count in zip(range(0, 100, BAND), counts, strict=True)
    )


def _percentile(page: Page, peers: list[PeerScore], own: Figure | None) -> int | None:
    if own is None:
        return None
    others = [p.score for p in peers if p.organization_id != page.organization.pk]
    if not others:
        return None
    below = sum(1 for s in others if s < own.score)
    ties = sum(1 for s in others if s == own.score)
    return whole(100 * (below + ties / 2) / len(others))


def _named(page: Page, peers: list[PeerScore]) -> tuple[NamedScore, ...]:
    own_id = page.organization.pk
    found = [
        NamedScore(p.name, p.score, p.organization_id == own_id)
        for p in peers
        if p.named or p.organization_id == own_id
    ]
    return tuple(sorted(found, key=lambda r: -r.score))


def _chart(
    page: Page, node_name: str, bins: tuple[charts.Bin, ...], own: Figure | None
) -> charts.Spec:
    return charts.peer_histogram(
        title=_("%(node)s: all organizations") % {"node": node_name},
        description=_("How many organizations scored in each band; the line is yours."),
        bins=bins,
        own=own.score if own else None,
        own_label=page.organization.name,
        x_title=_("Percent of optimal preconditions"),
        y_title=_("Organizations"),
    )


def _summary(
    page: Page,
    node_name: str,
    count: int,
    own: Figure | None,
    percentile: int | None,
    mean: float | None,
) -> str:
    if count < ENOUGH:
        return _("Fewer than 5 organizations match the filters, so no comparison is shown.")
    if own is not None and percentile is not None:
        return _(
            "%(name)s has %(score)s %% on %(node)s, higher than %(percentile)s %% of the "
            "%(count)s organizations compared (their average is %(mean)s %%)."
        ) % {
            "name": page.organization.name,
            "score": whole(own.score),
            "node": node_name,
            "percentile": percentile,
            "count": count,
            "mean": whole(mean or 0),
        }
    return _("%(count)s organizations are compared; the average is %(mean)s %%.") % {
        "count": count,
        "mean": whole(mean or 0),
    }
