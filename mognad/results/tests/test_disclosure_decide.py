"""disclosure/measurement.py, attacked with linear algebra on generated organizations.

An attacker who sees every released figure of a measurement knows, for each statement and each
group where it is shown, the sum of the answers of the group's answerers (mean × n), and for each
released group how many responses it has (and how many said "Vet ej", …). A sum over a set T of
people can be worked out exactly when the indicator of T (or any vector supported on T) lies in
the span of the released rows. Such a vector exists iff removing T's columns lowers the rank. The
guarantee: no nonzero vector in the span is supported on fewer than k people — checked over every
set of k − 1 people, independently of how `decide` reasons (cells).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.results.disclosure.cells import _WordCells, complementary, releasable, small_cells
from mognad.results.disclosure.measurement import ORGANIZATION, Candidate, Release, decide


def _rank(matrix: np.ndarray) -> int:
    return int(np.linalg.matrix_rank(matrix)) if matrix.size else 0


def smallest_revealed(rows: np.ndarray, k: int) -> int | None:
    """The size of a set of fewer than k people (columns) whose sum the rows determine, if any."""
    if rows.size == 0:
        return None
    people = rows.shape[1]
    full = _rank(rows)
    for size in range(1, min(k - 1, people) + 1):
        for hidden in combinations(range(people), size):
            rest = np.delete(rows, hidden, axis=1)
            if _rank(rest) < full:
                return size
    return None


@st.composite
def organizations(draw):
    """People placed in a two-level unit tree (or no unit), roles cutting across units (or no
    role), each answering each of three statements or not ("Vet ej")."""
    people = draw(st.integers(min_value=1, max_value=13))
    # Units: 0 and 1 at the top, 2 below 0. A person is in one unit (its subtree groups follow).
    unit = draw(st.lists(st.sampled_from([None, 0, 1, 2]), min_size=people, max_size=people))
    role = draw(st.lists(st.sampled_from([None, "a", "b"]), min_size=people, max_size=people))
    answered = np.array(
        draw(
            st.lists(
                st.lists(st.booleans(), min_size=3, max_size=3), min_size=people, max_size=people
            )
        ),
        dtype=bool,
    )
    k = draw(st.integers(min_value=2, max_value=4))
    units_of = {0: {0, 2}, 1: {1}, 2: {2}}  # a unit's subtree
    candidates = [Candidate(ORGANIZATION, np.ones(people, dtype=bool))]
    for u, subtree in units_of.items():
        mask = np.array([p in subtree for p in unit], dtype=bool)
        if mask.any():
            candidates.append(Candidate(("unit", str(u)), mask))
    for r in ("a", "b"):
        mask = np.array([p == r for p in role], dtype=bool)
        if mask.any():
            candidates.append(Candidate(("role", r), mask))
    return candidates, answered, k


ITEMS = ("s1", "s2", "s3")


def released_rows(candidates, answered, release: Release):
    """Per statement, the attacker's rows (one per group showing it) over the statement's
    answerers; plus the group-count rows over all responses."""
    by_key = {c.key: c for c in candidates}
    blocks = []
    for column, item in enumerate(ITEMS):
        who = answered[:, column]
        rows = [
            by_key[g].members[who].astype(float)
            for g in release.groups
            if item not in release.hidden_in(g)
        ]
        blocks.append(np.array(rows) if rows else np.zeros((0, int(who.sum()))))
    counts = np.array([by_key[g].members.astype(float) for g in release.groups])
    return blocks, counts


@settings(max_examples=150, deadline=None, derandomize=True)
@given(organizations())
def test_no_released_figure_determines_a_sum_over_fewer_than_k_people(organization):
    candidates, answered, k = organization
    release = decide(candidates, answered, ITEMS, k)
    blocks, counts = released_rows(candidates, answered, release)
    assert smallest_revealed(counts, k) is None
    for block in blocks:
        assert smallest_revealed(block, k) is None


@settings(max_examples=80, deadline=None, derandomize=True)
@given(organizations(), st.integers(min_value=0, max_value=3))
def test_a_later_decision_releases_a_subset_of_the_earlier_one(organization, raise_k):
    candidates, answered, k = organization
    first = decide(candidates, answered, ITEMS, k)
    again = decide(candidates, answered, ITEMS, k + raise_k, earlier=first)
    assert set(again.groups) <= set(first.groups)
    for group in again.groups:
        assert first.hidden_in(group) <= again.hidden_in(group)
    # Both releases together reveal nothing more than the first alone.
    blocks_first, counts_first = released_rows(candidates, answered, first)
    blocks_again, counts_again = released_rows(candidates, answered, again)
    for a, b in zip(blocks_first, blocks_again, strict=True):
        together = np.vstack([a, b]) if b.size else a
        assert _rank(together) == _rank(a)
    if counts_again.size:
        assert _rank(np.vstack([counts_first, counts_again])) == _rank(counts_first)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(organizations())
def test_the_whole_organization_is_released_whenever_it_has_k_responses(organization):
    candidates, answered, k = organization
    release = decide(candidates, answered, ITEMS, k)
    people = len(candidates[0].members)
    assert (ORGANIZATION in release.groups) == (people >= k)
    for column, item in enumerate(ITEMS):
        answerers = int(answered[:, column].sum())
        if ORGANIZATION in release.groups and answerers:  # nobody answered: no figure anyway
            shown = item not in release.hidden_in(ORGANIZATION)
            assert shown == (answerers >= k)


def test_a_group_whose_members_changed_since_the_earlier_release_stays_withheld():
    everyone = np.ones(10, dtype=bool)
    unit = np.array([True] * 5 + [False] * 5)
    answered = np.ones((10, 1), dtype=bool)
    candidates = [Candidate(ORGANIZATION, everyone), Candidate(("unit", "1"), unit)]
    first = decide(candidates, answered, ("s1",), 5)
    assert first.groups == (ORGANIZATION, ("unit", "1"))
    moved = np.array([True] * 4 + [False] * 6)  # one member left the unit (the unit was deleted…)
    again = decide(
        [Candidate(ORGANIZATION, everyone), Candidate(("unit", "1"), moved)],
        answered,
        ("s1",),
        5,
        earlier=first,
    )
    assert again.groups == (ORGANIZATION,)
    assert Release.from_dict(first.to_dict()) == first


def test_the_crafted_agency_of_the_issue_releases_nothing_that_gives_skola_away():
    # IT-avdelningen = 5 IT staff; Kommunledning = 2 politicians + 3 top managers; Skola = 4 staff.
    unit = ["it"] * 5 + ["ledning"] * 5 + ["skola"] * 4
    role = ["it"] * 5 + ["politician"] * 2 + ["top"] * 3 + ["staff"] * 4
    people = len(unit)
    candidates = [Candidate(ORGANIZATION, np.ones(people, dtype=bool))]
    candidates += [
        Candidate(("unit", u), np.array([x == u for x in unit])) for u in ("it", "ledning", "skola")
    ]
    candidates += [
        Candidate(("role", r), np.array([x == r for x in role]))
        for r in ("it", "politician", "top", "staff")
    ]
    answered = np.ones((people, 1), dtype=bool)
    release = decide(candidates, answered, ("s1",), 5)
    by_key = {c.key: c for c in candidates}
    rows = np.array([by_key[g].members.astype(float) for g in release.groups])
    assert smallest_revealed(rows, 5) is None
    # (14·organization − 5·Kommunledning − 5·IT role)/4 needs all three: not all are released.
    shown = set(release.groups)
    assert not {ORGANIZATION, ("unit", "ledning"), ("role", "it")} <= shown
    assert ORGANIZATION in shown


def test_complementary_keeps_the_protected_group_and_drops_the_smallest_first():
    members = np.array(
        [[1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [1, 0, 0]], dtype=bool
    )
    # Column 1 (3 people) and column 2 (2 people); k = 3: column 2 is too small on its own, and
    # with column 1 kept the three outside it would be a cell of 3 (kept: fine).
    kept = complementary(members, [2, 1, 0], 3, protected=0)
    assert kept == (1, 0)
    assert releasable(members, kept, 3)
    assert not releasable(members, (2, 1, 0), 3)


def _cells_by_hand(members: np.ndarray, keep: list[int], k: int) -> int:
    """People in cells of 1..k−1, counted row by row without numpy's tricks."""
    sizes: dict[tuple[bool, ...], int] = {}
    for row in members[:, keep]:
        if row.any():
            sizes[tuple(row)] = sizes.get(tuple(row), 0) + 1
    return sum(n for n in sizes.values() if n < k)


@settings(max_examples=150, deadline=None)
@given(
    people=st.integers(0, 40),
    groups=st.integers(1, 70),
    k=st.integers(2, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_packed_cell_counts_agree_with_counting_by_hand(people, groups, k, seed):
    """small_cells (packed bytes) and the 64-bit words complementary uses for up to 64 groups
    count the same cells as a plain loop, and complementary's result obeys the rule."""
    rng = np.random.default_rng(seed)
    members = rng.random((people, groups)) < rng.uniform(0.05, 0.9)
    members[:, 0] = True  # the protected whole
    keep = sorted(rng.choice(groups, size=rng.integers(1, groups + 1), replace=False).tolist())
    expected = _cells_by_hand(members, keep, k)
    assert small_cells(members, keep, k) == expected
    if groups <= 64:
        assert _WordCells(members, list(range(groups))).small(keep, k) == expected
    kept = complementary(members, list(range(groups)), k, protected=0)
    assert _cells_by_hand(members, list(kept), k) == 0
    if people >= k:
        assert 0 in kept
