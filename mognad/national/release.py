"""What national figures over organizations may show together (disclosure/organizations.py).

The overall score's breakdown groups (kind, size class, county, municipality group) are decided
together with the national total, once per year, and a change's fixed panel is shown only beside
what each of its years already shows. Named organizations count as known (their figures are
public); the cell rule protects the unnamed ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise

from mognad.national.queries import OVERALL, NodeKey, OrganizationYear, YearData
from mognad.results.disclosure.door import unnamed_threshold
from mognad.results.disclosure.organizations import extend, released_groups
from mognad.results.models import Benchmark

# Fewer organizations than this in a group: no figure (a group of one or two would name them).
MIN_ORGANIZATIONS = Benchmark.MIN_PEERS

ALL: tuple[str, str] = ("all", "")
# The attributes national breakdowns (and the peer benchmarks) group organizations by.
ATTRIBUTES: dict[str, Callable[[OrganizationYear], str]] = {
    "kind": lambda o: o.kind,
    "size_class": lambda o: o.size_class,
    "county": lambda o: o.county,
    "municipality_group": lambda o: o.municipality_group,
}


def unnamed_of(organizations: Iterable[OrganizationYear]) -> frozenset[int]:
    return frozenset(o.organization_id for o in organizations if not o.named)


def overall_groups(
    organizations: Sequence[OrganizationYear],
) -> dict[tuple[str, str], frozenset[int]]:
    """The national total and every breakdown group of organizations with an overall score."""
    scored = [o for o in organizations if OVERALL in o.scores]
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for org in scored:
        groups[ALL].add(org.organization_id)
        for name, attribute in ATTRIBUTES.items():
            if attribute(org):
                groups[(name, attribute(org))].add(org.organization_id)
    return {key: frozenset(members) for key, members in groups.items()}


def overall_release(organizations: Sequence[OrganizationYear]) -> frozenset[tuple[str, str]]:
    """The breakdown groups of the overall score shown together (disclosure/organizations.py):
    at least `MIN_ORGANIZATIONS` organizations each, and every cell of unnamed organizations over
    all of them 0 or at least `unnamed_threshold()`."""
    return released_groups(
        overall_groups(organizations),
        unnamed_of(organizations),
        unnamed_threshold(),
        minimum=MIN_ORGANIZATIONS,
        protected=ALL,
    )


PANEL: tuple[str, str] = ("panel", "")


def panel_shown(
    year: Sequence[OrganizationYear], panel: frozenset[int], node: NodeKey
) -> tuple[bool, bool]:
    """Whether, in one year, the panel's figure for `node` may be shown beside what that year
    already shows (its national mean, and for the overall score its breakdown groups), and
    whether the national mean of the node is shown at all."""
    unnamed = unnamed_of(year)
    k = unnamed_threshold()
    contributors = frozenset(o.organization_id for o in year if node in o.scores)
    mean_shown = not 0 < len(contributors & unnamed) < k
    if node == OVERALL:
        groups = overall_groups(year)
        # The national mean is shown whenever its unnamed organizations are 0 or ≥ k, also in a
        # year too small for breakdowns (overall_release asks MIN_ORGANIZATIONS of every group).
        fixed = overall_release(year) | ({ALL} if mean_shown else frozenset())
    else:
        groups = {ALL: contributors}
        fixed = frozenset({ALL}) if mean_shown else frozenset()
    groups = {**groups, ALL: contributors, PANEL: panel & contributors}
    return bool(extend(groups, fixed, [PANEL], unnamed, k)), mean_shown


Groups = dict[tuple[str, str], frozenset[int]]
LEFT: tuple[str, str] = ("left", "")
JOINED: tuple[str, str] = ("joined", "")


def _scored(organizations: Sequence[OrganizationYear]) -> frozenset[int]:
    return frozenset(o.organization_id for o in organizations if OVERALL in o.scores)


def change_groups(before: YearData, after: YearData) -> dict[int, Groups]:
    """The groups of organizations the change of the overall score shows in each of its two
    years: the fixed panel (only where both years can show it), and beside it the mean of the
    organizations that left (in the base year) and that joined (in the year), each only if it
    keeps the cell rule with everything else that year shows."""
    shown: dict[int, Groups] = {before.year: {}, after.year: {}}
    a, b = _scored(before.organizations), _scored(after.organizations)
    panel = a & b
    if not panel or not all(
        panel_shown(year.organizations, panel, OVERALL)[0] for year in (before, after)
    ):
        return shown
    for year, key, members in ((before, LEFT, a - panel), (after, JOINED, b - panel)):
        shown[year.year][PANEL] = panel
        if members and _beside(year.organizations, shown[year.year], key, members):
            shown[year.year][key] = members
    return shown


def _beside(
    organizations: Sequence[OrganizationYear],
    extra: Groups,
    key: tuple[str, str],
    members: frozenset[int],
) -> bool:
    """Whether `members` may be shown as `key` beside the year's release and the `extra` groups."""
    unnamed = unnamed_of(organizations)
    k = unnamed_threshold()
    groups = overall_groups(organizations)
    mean_shown = not 0 < len(groups.get(ALL, frozenset()) & unnamed) < k
    fixed = overall_release(organizations) | ({ALL} if mean_shown else frozenset()) | set(extra)
    return bool(extend({**groups, **extra, key: members}, frozenset(fixed), [key], unnamed, k))


def series_shown(
    years: Mapping[int, Sequence[OrganizationYear]],
    extra: Mapping[int, Groups] | None = None,
) -> tuple[frozenset[int], frozenset[int]]:
    """What the trend of the overall score may show: the years whose national mean is shown, and
    the chain steps (named by their later year) whose panel change is shown.

    A step's panel – the organizations with an overall score in both of its years – stands beside
    everything each of the two years shows: its breakdowns, its national mean and the steps
    already accepted on either side (a year's scores enter the step before it and the step after
    it) and the `extra` groups shown that year elsewhere (the change's panel, left and joined:
    `change_groups`). Each year's rows involve only that year's scores, so a step safe in both
    of its years is safe in the whole trend.
    """
    extra = extra or {}
    k = unnamed_threshold()
    ordered = sorted(years)
    naive: set[int] = set()
    groups: dict[int, dict[tuple[str, str], frozenset[int]]] = {}
    fixed: dict[int, frozenset[tuple[str, str]]] = {}
    for year in ordered:
        groups[year] = {**overall_groups(years[year]), **extra.get(year, {})}
        contributors = groups[year].get(ALL, frozenset())
        shown = not 0 < len(contributors & unnamed_of(years[year])) < k
        if shown and contributors:
            naive.add(year)
        fixed[year] = (
            overall_release(years[year])
            | ({ALL} if shown else frozenset())
            | frozenset(extra.get(year, {}))
        )
    steps: set[int] = set()
    for before, after in pairwise(ordered):
        panel = groups[before].get(ALL, frozenset()) & groups[after].get(ALL, frozenset())
        if not panel:
            continue
        key = ("step", str(after))
        accepted = all(
            extend({**groups[y], key: panel}, fixed[y], [key], unnamed_of(years[y]), k)
            for y in (before, after)
        )
        if accepted:
            steps.add(after)
            for y in (before, after):
                groups[y] = {**groups[y], key: panel}
                fixed[y] = fixed[y] | {key}
    return frozenset(naive), frozenset(steps)
