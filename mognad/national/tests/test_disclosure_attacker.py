"""The attacker as a test, on the national side: every figure over organizations that the open
data, the national page (its means, breakdowns, change and trend) and a key user's
all-organizations tab give away says nothing about fewer than k unnamed organizations.

Hypothesis generates a sector of a few organizations over two years (kind, county, size class,
municipality group, named or not, measured in one year or both, some with a category too
uncertain to show). The attacker knows every organization, its attributes and which of its
figures were released (more than anyone outside does), and every named organization's own
figures (they are public). Every mean it reads is a sum over a known set of organizations' scores,
a change over a panel a sum of differences, a chained trend the naive mean plus those sums. The
variables are the unnamed organizations' scores (one per organization, year and node); a set of
fewer than k unnamed organizations is exposed when a combination of the rows is supported on
their variables alone, i.e. when deleting their columns lowers the rank.

A longer run: `MOGNAD_ATTACKER_EXAMPLES=60 make test PYTEST_ARGS=<this file>`.
"""

from __future__ import annotations

import csv
import os
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mognad.national import pages, queries
from mognad.national.queries import OVERALL
from mognad.national.release import ATTRIBUTES, series_shown
from mognad.national.tests.factories import Group, measured, organization
from mognad.results.benchmarks import compute_benchmarks
from mognad.results.disclosure.door import unnamed_threshold
from mognad.results.models import Benchmark, MeasurementScore
from mognad.test import make_member, make_user

EXAMPLES = int(os.environ.get("MOGNAD_ATTACKER_EXAMPLES", "6"))
# MOGNAD_ATTACKER_EXPLAIN=1: a failure names the fewest figures that expose (slow to shrink).
EXPLAIN = os.environ.get("MOGNAD_ATTACKER_EXPLAIN") == "1"
YEARS = (2025, 2026)
# The all-organizations tab is asked for these nodes (each with every single filter).
TAB_NODES = {OVERALL, ("dimension", "legacy"), ("category", "technology")}

sector = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["municipality", "region"]),
            "county": st.sampled_from(["Alän", "Blän"]),
            "size_class": st.sampled_from(["S", "M"]),
            "municipality_group": st.sampled_from(["", "A2", "B4"]),
            "named": st.booleans(),
            "years": st.sampled_from([(2025,), (2026,), (2025, 2026), (2025, 2026)]),
            "technology_hidden": st.booleans(),
            "value": st.integers(min_value=2, max_value=5),
        }
    ),
    min_size=3,
    max_size=9,
)

Variable = tuple[int, int, tuple[str, str]]  # organization, year, node


class System:
    """The attacker's rows: each a set of variables with coefficients (+1 or −1)."""

    def __init__(self, known: set[Variable]) -> None:
        self.known = known
        self.rows: list[dict[Variable, float]] = []
        self.sources: list[str] = []

    def add(self, source: str, plus: set[Variable], minus: set[Variable] = frozenset()) -> None:
        row = {v: 1.0 for v in plus - self.known}
        row.update({v: -1.0 for v in minus - self.known})
        if row:
            self.rows.append(row)
            self.sources.append(source)

    def exposed(self, k: int) -> tuple[set[int], list[str]] | None:
        """A set of fewer than k unnamed organizations whose scores some combination isolates,
        with a smallest list of the figures that do it (for the failure message)."""
        chosen = _isolated(self.rows, k)
        if chosen is None or not EXPLAIN:
            return chosen and (chosen, self.sources)
        needed = list(range(len(self.rows)))
        for r in reversed(range(len(self.rows))):
            fewer = [i for i in needed if i != r]
            if _isolated([self.rows[i] for i in fewer], k) is not None:
                needed = fewer
        return chosen, [self.sources[i] for i in needed]


def _isolated(rows: list[dict[Variable, float]], k: int) -> set[int] | None:
    variables = sorted({v for row in rows for v in row})
    if not variables:
        return None
    column = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(rows), len(variables)))
    for r, row in enumerate(rows):
        for v, coefficient in row.items():
            matrix[r, column[v]] = coefficient
    full = np.linalg.matrix_rank(matrix)
    organizations = sorted({v[0] for v in variables})
    for size in range(1, min(k - 1, len(organizations)) + 1):
        for chosen in combinations(organizations, size):
            keep = [i for i, v in enumerate(variables) if v[0] not in chosen]
            if np.linalg.matrix_rank(matrix[:, keep]) < full:
                return set(chosen)
    return None


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _open_data(year: int, folder: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    out = folder / str(year)
    out.mkdir()
    call_command("export", "opendata", "--year", str(year), "--out", str(out))
    return _read(out / "national.csv"), _read(out / "organizations.csv")


def _node(row: dict[str, str]) -> tuple[str, str]:
    return (row["node"], row["node_id"]) if row["node"] != "overall" else OVERALL


def collect(folder: Path, known: set[Variable]) -> System:
    """Everything the public (open data, the national page's figures) gives, as rows."""
    system = System(known)
    released: dict[int, dict[int, set[tuple[str, str]]]] = {}
    attributes: dict[int, dict[str, str]] = {}
    for year in YEARS:
        data = queries.year_data(year, units=False)
        released[year] = {o.organization_id: set(o.scores) for o in data.organizations}
        for o in data.organizations:
            attributes[o.organization_id] = {a: f(o) for a, f in ATTRIBUTES.items()}
        if not data.organizations:
            continue
        national, named = _open_data(year, folder)
        for row in named:  # a named organization's own figures are public: known
            assert row["organization"]
        for row in national:
            if row["mean"] == "" or row["breakdown"] == "unit_type":
                continue
            node = _node(row)
            members = {o for o, nodes in released[year].items() if node in nodes}
            if row["breakdown"] != "all":
                members = {o for o in members if attributes[o][row["breakdown"]] == row["group"]}
            assert int(row["organizations"]) == len(members), row
            system.add(
                f"open data {year} {row['breakdown']}={row['group']} {node}",
                _vars(members, year, node),
            )
    page = pages.load(YEARS[1])
    if page.change is not None:
        before, after = released[YEARS[0]], released[YEARS[1]]
        for node, change in page.change.nodes.items():
            both = {
                o for o in before.keys() & after.keys() if node in before[o] and node in after[o]
            }
            if change.panel_before is not None:
                system.add(f"panel {YEARS[0]} {node}", _vars(both, YEARS[0], node))
            if change.panel_after is not None:
                system.add(f"panel {YEARS[1]} {node}", _vars(both, YEARS[1], node))
            for year, mean, side in (
                (YEARS[0], change.naive_before, before),
                (YEARS[1], change.naive_after, after),
            ):
                if mean is not None:
                    everyone = {o for o, nodes in side.items() if node in nodes}
                    system.add(f"naive {year} {node}", _vars(everyone, year, node))
        overall_before = {o for o, nodes in before.items() if OVERALL in nodes}
        overall_after = {o for o, nodes in after.items() if OVERALL in nodes}
        if page.change.joined_mean is not None:
            system.add("joined", _vars(overall_after - overall_before, YEARS[1], OVERALL))
        if page.change.left_mean is not None:
            system.add("left", _vars(overall_before - overall_after, YEARS[0], OVERALL))
    previous: set[int] | None = None
    _naive, steps = series_shown(
        {y: queries.year_data(y, units=False).organizations for y in YEARS}
    )
    chained = {p.year: p.chained for p in page.series}
    for point in page.series:
        scores = {o for o, nodes in released.get(point.year, {}).items() if OVERALL in nodes}
        if point.naive.mean is not None and scores:
            system.add(f"trend naive {point.year}", _vars(set(scores), point.year, OVERALL))
        before = chained.get(point.year - 1)
        restarted = point.year not in steps and point.chained == point.naive.mean
        if previous is not None and point.chained is not None and before is not None:
            panel = previous & scores if not restarted else set()
            system.add(
                f"trend chained {point.year}",
                _vars(panel, point.year, OVERALL),
                _vars(panel, point.year - 1, OVERALL),
            )
        previous = scores
    return system


def _every_released_figure(year: int) -> dict[int, set[tuple[str, str]]]:
    """Organization → every node with a released organization-level figure in the year."""
    found: dict[int, set[tuple[str, str]]] = {}
    rows = MeasurementScore.objects.filter(
        result__group_kind="organization",
        result__measurement__year=year,
        score__isnull=False,
    ).values_list("result__measurement__organization_id", "node", "node_id")
    for organization_id, node, node_id in rows:
        key = (node, node_id) if node != "overall" else OVERALL
        found.setdefault(organization_id, set()).add(key)
    return found


def _vars(organizations: set[int], year: int, node: tuple[str, str]) -> set[Variable]:
    return {(o, year, node) for o in organizations}


def _known(named: set[int]) -> set[Variable]:
    """Every released figure of a named organization, statements too: it agreed to be named
    with its figures (the open data and the all-organizations tab publish them)."""
    known: set[Variable] = set()
    for year in YEARS:
        for organization_id, nodes in _every_released_figure(year).items():
            if organization_id in named:
                known |= {(organization_id, year, node) for node in nodes}
    return known


def build(sector_: list[dict]) -> tuple[set[int], list]:
    orgs = []
    for i, spec in enumerate(sector_):
        org = organization(
            f"Kommun {i}",
            kind=spec["kind"],
            county=spec["county"],
            size_class=spec["size_class"],
            municipality_group=spec["municipality_group"],
            named=spec["named"],
        )
        for year in spec["years"]:
            groups = [Group(5, value=spec["value"])]
            if spec["technology_hidden"]:
                groups = [Group(3, value=spec["value"]), Group(2, value=4, unknown=("tek.",))]
            measured(org, groups, year=year, seed=i)
        orgs.append(org)
    return {o.pk for o in orgs if o.named_in_comparisons}, orgs


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate] if EXPLAIN else list(Phase),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sector_=sector)
def test_no_public_national_figure_singles_out_fewer_than_k_unnamed_organizations(
    sector_, tmp_path_factory
):
    named, orgs = build(sector_)
    try:
        system = collect(tmp_path_factory.mktemp("opendata"), _known(named))
        found = system.exposed(unnamed_threshold())
        assert found is None, f"organizations {found[0]} exposed by {found[1]}"
        viewer = next((o for o in orgs if o.pk not in named), None)
        if viewer is not None:
            _the_key_users_tab_adds_nothing(viewer, system, named)
    finally:
        for org in orgs:
            org.measurements.all().delete()
            org.delete()


def _the_key_users_tab_adds_nothing(viewer, system: System, named: set[int]) -> None:
    """A key user of an unnamed organization also knows its own figures and reads, per year,
    the stored peer benchmarks and the all-organizations tab (every node, each single filter)."""
    user = make_user(f"nyckel-{viewer.pk}@example.se")
    make_member(user, viewer)
    own = _known({viewer.pk})
    persona = System(system.known | own)
    persona.rows = [{v: c for v, c in row.items() if v not in own} for row in system.rows]
    persona.sources = list(system.sources)
    client = Client()
    client.force_login(user)
    for year in YEARS:
        data = queries.year_data(year, units=False)
        released = {o.organization_id: o for o in data.organizations}
        if viewer.pk not in released:
            continue
        compute_benchmarks(year)
        every = _every_released_figure(year)  # statements too, which year_data leaves out
        for b in Benchmark.objects.filter(year=year):
            node = (b.node, b.node_id) if b.node != "overall" else OVERALL
            members = {
                o
                for o, org in released.items()
                if node in every.get(o, ())
                and (b.peer_group == "all" or ATTRIBUTES[b.peer_group](org) == b.peer_value)
            }
            assert b.count == len(members), (b.peer_group, b.peer_value, node, members)
            persona.add(
                f"benchmark {year} {b.peer_group}={b.peer_value} {node}", _vars(members, year, node)
            )
        choices = [("", "")] + [
            (attribute, value)
            for attribute, value_of in ATTRIBUTES.items()
            for value in sorted({value_of(o) for o in released.values()} - {""})
        ]
        for node in sorted(set(released[viewer.pk].scores) & TAB_NODES):
            code = "overall" if node == OVERALL else f"{node[0]}:{node[1]}"
            for attribute, value in choices:
                query = {"year": year, "node": code, **({attribute: value} if attribute else {})}
                response = client.get(f"/orgs/{viewer.slug}/results/all/", query)
                assert response.status_code == 200, (query, response.status_code)
                tab = response.context["view"]
                if tab.mean is None:
                    continue
                members = {
                    o
                    for o, org in released.items()
                    if node in org.scores and (not attribute or ATTRIBUTES[attribute](org) == value)
                }
                assert tab.count == len(members), (query, tab.count, members)
                persona.add(f"tab {year} {attribute}={value} {node}", _vars(members, year, node))
    # The key user knows its own organization's figures: in a national mean over exactly k
    # unnamed organizations it learns the sum of the other k − 1 (documented in docs/privacy.md,
    # "What disclosure control cannot stop"). What it must never get is fewer than that.
    found = persona.exposed(unnamed_threshold() - 1)
    user.delete()
    assert found is None, f"organizations {found[0]} exposed to a key user by {found[1]}"
