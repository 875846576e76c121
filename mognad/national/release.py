"""What national figures over organizations may show together (disclosure/organizations.py).

The overall score's breakdown groups (kind, size class, county, municipality group) are decided
together with the national total, once per year, and a change's fixed panel is shown only beside
what each of its years already shows. Named organizations count as known (their figures are
public); the cell rule protects the unnamed ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from mognad.national.queries import OVERALL, NodeKey, OrganizationYear
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
        fixed = overall_release(year)
    else:
        groups = {ALL: contributors}
        fixed = frozenset({ALL}) if mean_shown else frozenset()
    groups = {**groups, ALL: contributors, PANEL: panel & contributors}
    return bool(extend(groups, fixed, [PANEL], unnamed, k)), mean_shown
