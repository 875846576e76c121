"""National figures: pure functions over the loaded organization results (`queries.YearData`).

Method (also in the report's method section and docs):

- **National mean**: every organization counts once. The national figure for a node is the mean of
  the organizations' own scores for that node, over the organizations whose figure is shown (at
  least k respondents), with a 95 % **t interval over organizations** (mean ± t × SD / √n). The
  interval describes how precisely the participating organizations' average is known, treating
  them as a sample of organizations; respondents' own uncertainty is inside each organization's
  score.
- **Groups** (organization type, size class, county, municipality group, unit type): the same mean
  over the group, through the disclosure-control door (release.py): at least `MIN_ORGANIZATIONS`
  organizations, and all breakdowns together never single out an unnamed organization.
- **Unit types**: the shown overall score of every sector unit (a unit whose nearest ancestor with
  results has another type), averaged over units.
- **Spread within versus between organizations** (per category): the pooled within-organization
  variance of respondents' category scores (from each organization's stored SD), and the
  between-organization variance of the organizations' scores minus the part expected from sampling
  noise (method of moments); the share between is σ²_between / (σ²_between + σ²_within).
- **Change**: the fixed panel (organizations shown in both years): the mean of paired differences,
  with a t interval and the paired t test; next to it the naive change (mean of all organizations
  of one year minus the other's, Welch interval and test).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from mognad.national.queries import (
    OVERALL,
    NodeKey,
    OrganizationYear,
    UnitYear,
    YearData,
)
from mognad.national.release import (
    ATTRIBUTES,
    JOINED,
    LEFT,
    MIN_ORGANIZATIONS,
    Groups,
    change_groups,
    overall_release,
    panel_shown,
    series_shown,
)
from mognad.national.stats import Difference, Mean, Share, mean_interval, paired, welch, wilson
from mognad.results.disclosure.door import unnamed_threshold
from mognad.results.disclosure.organizations import released_groups
from mognad.results.wording import percent, signed

SIZE_ORDER = ("XS", "S", "M", "L", "XL")


@dataclass(frozen=True)
class GroupRow:
    """One group of a breakdown: how many organizations, and its mean if shown."""

    key: str
    organizations: int
    mean: Mean | None  # None when hidden (too few organizations, or derivable)
    units: int = 0


@dataclass(frozen=True)
class SpreadRow:
    category_id: str
    organizations: int
    within_sd: float | None
    between_sd: float | None
    share_between: float | None


@dataclass(frozen=True)
class SectorSpread:
    """Spread of sector units' scores inside organizations versus between organizations."""

    organizations: int  # organizations with at least two shown sector units
    within_sd: float | None
    between_sd: float | None


@dataclass(frozen=True)
class ItemDontKnow:
    item_id: str
    dont_know: int
    seen: int

    @property
    def share(self) -> float:
        return self.dont_know / self.seen if self.seen else 0.0


@dataclass(frozen=True)
class DataQuality:
    invited: int
    responded: int  # respondents of measurements that track invitations
    response_rate: float | None
    median_response_rate: float | None
    low_response_rate: int  # organizations flagged
    dont_know: int
    seen: int
    top_dont_know: list[ItemDontKnow]
    straight_lining_organizations: int
    straight_lining_respondents: int
    instruments: dict[str, int]

    @property
    def dont_know_share(self) -> float | None:
        return self.dont_know / self.seen if self.seen else None


@dataclass(frozen=True)
class NationalFigures:
    year: int
    organizations: int
    respondents: int
    hidden: int
    nodes: dict[NodeKey, Mean]
    types: dict[str, Share]
    uncertain_types: int
    by_kind: list[GroupRow]
    by_size_class: list[GroupRow]
    by_county: list[GroupRow]
    by_municipality_group: list[GroupRow]
    by_unit_type: list[GroupRow]
    spread: list[SpreadRow]
    sector_spread: SectorSpread
    quality: DataQuality

    @property
    def overall(self) -> Mean:
        return self.nodes.get(OVERALL) or mean_interval([])


def node_means(organizations: Sequence[OrganizationYear]) -> dict[NodeKey, Mean]:
    """The national mean with its t interval for every node any organization has a score for.

    A node whose organizations include 1 or 2 (fewer than `unnamed_threshold()`) unnamed ones gets
    no mean: the named ones' own figures are public, so the rest would be theirs."""
    values: dict[NodeKey, list[float]] = defaultdict(list)
    unnamed: dict[NodeKey, int] = defaultdict(int)
    for org in organizations:
        for node, value in org.scores.items():
            values[node].append(value)
            unnamed[node] += not org.named
    k = unnamed_threshold()
    return {
        node: mean_interval(found) for node, found in values.items() if not 0 < unnamed[node] < k
    }


def breakdown(
    rows: Iterable[tuple[str, int, float]],
    order: Sequence[str] = (),
    *,
    shown: Collection[str] | None = None,
    minimum: int = MIN_ORGANIZATIONS,
    units: dict[str, int] | None = None,
) -> list[GroupRow]:
    """Groups of (key, member id, overall score) rows: counts, and means where the door allows.

    `shown`: the keys the caller's disclosure decision released. Without it, every member counts
    as one to protect: a group needs `minimum` members and the cell rule over the total and the
    groups (so a hidden group cannot be worked out by subtracting the shown ones).
    """
    scores: dict[str, list[float]] = defaultdict(list)
    members: dict[str, set[int]] = defaultdict(set)
    for key, member, value in rows:
        scores[key].append(value)
        members[key].add(member)
    if shown is None:
        groups = {(1, key): frozenset(found) for key, found in members.items()}
        everyone = frozenset().union(*groups.values()) if groups else frozenset()
        groups[(0, "")] = everyone
        released = released_groups(groups, everyone, minimum, minimum=minimum, protected=(0, ""))
        shown = {key for kind, key in released if kind == 1}
    rank = {key: n for n, key in enumerate(order)}
    keys = sorted(scores, key=lambda key: (rank.get(key, len(rank)), key == "", key))
    return [
        GroupRow(
            key=key,
            organizations=len(scores[key]),
            mean=mean_interval(scores[key]) if key in shown else None,
            units=(units or {}).get(key, 0),
        )
        for key in keys
    ]


def _by(
    organizations: Sequence[OrganizationYear],
    attribute: str,
    released: frozenset[tuple[str, str]],
    order: Sequence[str] = (),
) -> list[GroupRow]:
    value = ATTRIBUTES[attribute]
    return breakdown(
        (
            (value(o), o.organization_id, o.scores[OVERALL])
            for o in organizations
            if OVERALL in o.scores
        ),
        order,
        shown={key for name, key in released if name == attribute},
    )


def unit_type_breakdown(units: Sequence[UnitYear], order: Sequence[str] = ()) -> list[GroupRow]:
    """Mean overall score of sector units by unit type; a type needs units of enough organizations.

    A type is shown only if its units come from at least `MIN_ORGANIZATIONS` organizations (so no
    single organization's units dominate), and passes the same subtraction check over unit counts.
    """
    sectors = [u for u in units if not u.inside_same_type]
    organizations: dict[str, set[int]] = defaultdict(set)
    for unit in sectors:
        organizations[unit.unit_type].add(unit.organization_id)
    rows = breakdown(((u.unit_type, index, u.score) for index, u in enumerate(sectors)), order)
    return [
        GroupRow(
            key=row.key,
            organizations=len(organizations[row.key]),
            mean=row.mean if len(organizations[row.key]) >= MIN_ORGANIZATIONS else None,
            units=row.organizations,
        )
        for row in rows
    ]


def type_shares(
    organizations: Sequence[OrganizationYear], type_ids: Sequence[str] = ()
) -> tuple[dict[str, Share], int]:
    """Each type's share of organizations (Wilson intervals); how many placements are uncertain.
    Every type of `type_ids` (the instrument's types, in its order) has a share, also one no
    organization has; a type found that the instrument does not list (an older version's)
    follows."""
    typed = [o for o in organizations if o.quadrant]
    counts = Counter(str(o.quadrant) for o in typed)
    keys = [*type_ids, *sorted(set(counts) - set(type_ids))]
    shares = {key: wilson(counts.get(key, 0), len(typed)) for key in keys}
    return shares, sum(1 for o in typed if o.quadrant_uncertain)


def spread(
    organizations: Sequence[OrganizationYear], category_ids: Sequence[str]
) -> list[SpreadRow]:
    """Within- and between-organization variance components per category (see the module doc)."""
    rows = []
    for category_id in category_ids:
        node = ("category", category_id)
        found = [
            (o.scores[node], *o.consensus[category_id])
            for o in organizations
            if node in o.scores and category_id in o.consensus and o.consensus[category_id][1] >= 2
        ]
        if len(found) < 2:
            rows.append(SpreadRow(category_id, len(found), None, None, None))
            continue
        scores = np.array([f[0] for f in found])
        sds = np.array([f[1] for f in found])
        ns = np.array([f[2] for f in found], dtype=np.float64)
        within = float(((ns - 1) * sds**2).sum() / (ns - 1).sum())
        noise = float((within / ns).mean())
        between = max(0.0, float(scores.var(ddof=1)) - noise)
        total = between + within
        rows.append(
            SpreadRow(
                category_id,
                len(found),
                within**0.5,
                between**0.5,
                between / total if total > 0 else None,
            )
        )
    return rows


def sector_spread(
    units: Sequence[UnitYear], organizations: Sequence[OrganizationYear]
) -> SectorSpread:
    """Pooled SD of sector units around their organization's mean; the SD between organizations."""
    by_org: dict[int, list[float]] = defaultdict(list)
    for unit in units:
        if not unit.inside_same_type:
            by_org[unit.organization_id].append(unit.score)
    groups = [np.array(scores) for scores in by_org.values() if len(scores) >= 2]
    within = None
    if groups:
        squares = sum(float(((g - g.mean()) ** 2).sum()) for g in groups)
        freedom = sum(len(g) - 1 for g in groups)
        within = (squares / freedom) ** 0.5
    overall = [o.scores[OVERALL] for o in organizations if OVERALL in o.scores]
    between = float(np.std(overall, ddof=1)) if len(overall) >= 2 else None
    return SectorSpread(len(groups), within, between)


def data_quality(organizations: Sequence[OrganizationYear]) -> DataQuality:
    tracked = [o for o in organizations if o.invited]
    invited = sum(o.invited or 0 for o in tracked)
    responded = sum(o.respondents for o in tracked)
    rates = [o.respondents / o.invited for o in tracked if o.invited]
    items: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for org in organizations:
        for item_id, (dont_know, n) in org.items.items():
            items[item_id][0] += dont_know
            items[item_id][1] += dont_know + n
    ranked = sorted(
        (ItemDontKnow(item_id, dk, seen) for item_id, (dk, seen) in items.items() if seen),
        key=lambda item: (-item.share, item.item_id),
    )
    straight = [o for o in organizations if o.straight_lining]
    return DataQuality(
        invited=invited,
        responded=responded,
        response_rate=responded / invited if invited else None,
        median_response_rate=float(np.median(rates)) if rates else None,
        low_response_rate=sum(1 for o in organizations if o.low_response_rate),
        dont_know=sum(dk for dk, _ in items.values()),
        seen=sum(seen for _, seen in items.values()),
        top_dont_know=ranked[:5],
        straight_lining_organizations=len(straight),
        straight_lining_respondents=sum(o.straight_lining for o in straight),
        instruments=dict(sorted(Counter(o.instrument for o in organizations).items())),
    )


def national(
    data: YearData,
    category_ids: Sequence[str],
    unit_types: Sequence[str] = (),
    type_ids: Sequence[str] = (),
) -> NationalFigures:
    """The year's national figures; `type_ids` are the instrument's organization types in its
    order (`Instrument.types`)."""
    orgs = data.organizations
    types, uncertain = type_shares(orgs, type_ids)
    released = overall_release(orgs)
    return NationalFigures(
        year=data.year,
        organizations=len(orgs),
        respondents=sum(o.respondents for o in orgs),
        hidden=data.hidden,
        nodes=node_means(orgs),
        types=types,
        uncertain_types=uncertain,
        by_kind=_by(orgs, "kind", released, ("municipality", "region", "agency", "company")),
        by_size_class=_by(orgs, "size_class", released, SIZE_ORDER),
        by_county=_by(orgs, "county", released),
        by_municipality_group=_by(orgs, "municipality_group", released),
        by_unit_type=unit_type_breakdown(data.units, unit_types),
        spread=spread(orgs, category_ids),
        sector_spread=sector_spread(data.units, orgs),
        quality=data_quality(orgs),
    )


# --- Change between two years -------------------------------------------------------------------


@dataclass(frozen=True)
class NodeChange:
    node: NodeKey
    panel: Difference
    panel_before: float | None
    panel_after: float | None
    naive: Difference
    naive_before: float | None
    naive_after: float | None


@dataclass(frozen=True)
class Change:
    base_year: int
    year: int
    panel: int  # organizations shown in both years
    joined: int  # shown this year, not the base year
    left: int  # shown the base year, not this year
    joined_mean: float | None
    left_mean: float | None
    nodes: dict[NodeKey, NodeChange]
    # (type in the base year, type this year) → organizations of the panel.
    flows: dict[tuple[str, str], int]

    @property
    def overall(self) -> NodeChange | None:
        return self.nodes.get(OVERALL)

    def flow_matrix(self, type_ids: Sequence[str]) -> list[tuple[str, list[int], int]]:
        """Rows (from-type, counts per to-type, row total), both in the order of `type_ids` (the
        instrument's types)."""
        rows = []
        for source in type_ids:
            counts = [self.flows.get((source, target), 0) for target in type_ids]
            rows.append((source, counts, sum(counts)))
        return rows

    @property
    def moved(self) -> int:
        return sum(n for (a, b), n in self.flows.items() if a != b)

    @property
    def typed(self) -> int:
        return sum(self.flows.values())


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if len(values) else None


def change(before: YearData, after: YearData, nodes: Sequence[NodeKey]) -> Change:
    """The fixed-panel and the naive change from the base year (`before`) to the year (`after`):
    the panel's only where both years may show it (`release.panel_shown`), the naive change only
    where both years' national means are shown, the means of the organizations that joined and
    left only where they keep the cell rule beside the rest (`release.change_groups`)."""
    a = {o.organization_id: o for o in before.organizations}
    b = {o.organization_id: o for o in after.organizations}
    result: dict[NodeKey, NodeChange] = {}
    for node in nodes:
        both = sorted(i for i in a.keys() & b.keys() if node in a[i].scores and node in b[i].scores)
        panel_before, mean_before = panel_shown(before.organizations, frozenset(both), node)
        panel_after, mean_after = panel_shown(after.organizations, frozenset(both), node)
        if not (panel_before and panel_after):
            both = []
        first = [a[i].scores[node] for i in both]
        second = [b[i].scores[node] for i in both]
        naive = mean_before and mean_after
        all_before = [o.scores[node] for o in a.values() if node in o.scores] if naive else []
        all_after = [o.scores[node] for o in b.values() if node in o.scores] if naive else []
        result[node] = NodeChange(
            node=node,
            panel=paired(first, second),
            panel_before=_mean(first),
            panel_after=_mean(second),
            naive=welch(all_before, all_after),
            naive_before=_mean(all_before),
            naive_after=_mean(all_after),
        )
    shown_a = {i for i, o in a.items() if OVERALL in o.scores}
    shown_b = {i for i, o in b.items() if OVERALL in o.scores}
    flows: Counter[tuple[str, str]] = Counter()
    for i in sorted(a.keys() & b.keys()):
        from_type, to_type = a[i].quadrant, b[i].quadrant
        if from_type and to_type:
            flows[(from_type, to_type)] += 1
    shown = change_groups(before, after)
    joined = sorted(shown[after.year].get(JOINED, ()))
    left = sorted(shown[before.year].get(LEFT, ()))
    return Change(
        base_year=before.year,
        year=after.year,
        panel=len(shown_a & shown_b),
        joined=len(shown_b - shown_a),
        left=len(shown_a - shown_b),
        joined_mean=_mean([b[i].scores[OVERALL] for i in joined]),
        left_mean=_mean([a[i].scores[OVERALL] for i in left]),
        nodes=result,
        flows=dict(flows),
    )


def explain(found: Change) -> str:
    """One sentence on why the panel and the naive change differ (or that they agree)."""
    overall = found.overall
    if overall is None or overall.panel.delta is None or overall.naive.delta is None:
        return _("There are too few organizations with results in both years to compare the years.")
    values = {
        "panel": found.panel,
        "base": found.base_year,
        "year": found.year,
        "panel_change": signed(overall.panel.delta),
        "naive_change": signed(overall.naive.delta),
        "joined": found.joined,
        "left": found.left,
    }
    text = (
        _(
            "The %(panel)s organizations measured in both %(base)s and %(year)s changed by "
            "%(panel_change)s points on average (the fixed panel), while the average of all "
            "organizations of each year changed by %(naive_change)s points (the naive comparison)."
        )
        % values
    )
    if found.joined_mean is None and found.left_mean is None:
        return text + " " + _("The two agree because the same organizations took part both years.")
    reasons = []
    if found.joined_mean is not None:
        reasons.append(
            _("the %(joined)s organizations that joined in %(year)s averaged %(mean)s")
            % {**values, "mean": percent(found.joined_mean)}
        )
    if found.left_mean is not None:
        reasons.append(
            _("the %(left)s that did not measure again had averaged %(mean)s in %(base)s")
            % {**values, "mean": percent(found.left_mean)}
        )
    return (
        text
        + " "
        + _(
            "The naive figure mixes real change with a change of sample: %(reasons)s, against "
            "%(panel_mean)s for the panel in %(base)s."
        )
        % {
            **values,
            "reasons": _(" and ").join(reasons),
            "panel_mean": percent(overall.panel_before),
        }
    )


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    naive: Mean
    # The chained fixed-panel index: the first year's naive mean plus the paired changes since.
    chained: float | None
    panel: int  # organizations in the panel with the previous year


def series(
    years: Mapping[int, Sequence[OrganizationYear]], extra: Mapping[int, Groups] | None = None
) -> list[SeriesPoint]:
    """The naive national mean of every year next to a chain-linked fixed-panel index, as far as
    the door lets them be shown together (`release.series_shown`). The chain starts at the first
    year whose mean is shown, adds each shown step's mean paired change, and starts again at the
    next shown mean after a step that may not be shown."""
    naive_shown, steps_shown = series_shown(years, extra)
    points: list[SeriesPoint] = []
    previous: dict[int, float] | None = None
    chained: float | None = None
    for year in sorted(years):
        scores = {o.organization_id: o.scores[OVERALL] for o in years[year] if OVERALL in o.scores}
        if not scores:
            continue
        naive = mean_interval(list(scores.values()))
        if year not in naive_shown:
            naive = Mean(None, None, None, None, naive.n)
        both = sorted(previous.keys() & scores.keys()) if previous is not None else []
        if chained is not None and year in steps_shown:
            chained += float(np.mean([scores[i] - previous[i] for i in both]))  # type: ignore[index]
        else:
            chained = naive.mean
        points.append(SeriesPoint(year, naive, chained, len(both)))
        previous = scores
    return points
