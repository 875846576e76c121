"""disclosure/organizations.py, attacked with linear algebra: named organizations are known.

The attacker sees the sum (mean × count) of every released group of organizations and knows every
named organization's own figure, so the named columns can be subtracted away: what is left is the
released rows over the unnamed organizations. No combination may determine a sum over fewer than
k unnamed organizations (checked over every set of k − 1 of them, by rank).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.results.disclosure.organizations import extend, released_groups
from mognad.results.tests.test_disclosure_decide import smallest_revealed

ALL = ("all", "")


@st.composite
def years(draw):
    """Organizations with a kind, a county and a size; some named."""
    count = draw(st.integers(min_value=1, max_value=14))
    kind = draw(st.lists(st.sampled_from("mra"), min_size=count, max_size=count))
    county = draw(st.lists(st.sampled_from("xyz"), min_size=count, max_size=count))
    size = draw(st.lists(st.sampled_from("SML"), min_size=count, max_size=count))
    named = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    groups: dict[tuple[str, str], set[int]] = {ALL: set(range(count))}
    for org in range(count):
        for name, value in (("kind", kind[org]), ("county", county[org]), ("size", size[org])):
            groups.setdefault((name, value), set()).add(org)
    unnamed = frozenset(org for org in range(count) if not named[org])
    minimum = draw(st.integers(min_value=1, max_value=5))
    return {key: frozenset(found) for key, found in groups.items()}, unnamed, minimum


def unnamed_rows(groups, keys, unnamed):
    people = sorted(unnamed)
    return np.array([[1.0 if org in groups[key] else 0.0 for org in people] for key in keys])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(years(), st.integers(min_value=2, max_value=4))
def test_no_combination_of_released_groups_singles_out_fewer_than_k_unnamed(year, k):
    groups, unnamed, minimum = year
    released = released_groups(groups, unnamed, k, minimum=minimum, protected=ALL)
    assert all(len(groups[key]) >= minimum for key in released)
    if released and unnamed:
        assert smallest_revealed(unnamed_rows(groups, sorted(released), unnamed), k) is None


@settings(max_examples=100, deadline=None, derandomize=True)
@given(years(), st.integers(min_value=2, max_value=4), st.data())
def test_a_panel_added_beside_a_release_keeps_the_guarantee(year, k, data):
    groups, unnamed, minimum = year
    released = released_groups(groups, unnamed, k, minimum=minimum, protected=ALL)
    panel = frozenset(data.draw(st.sets(st.sampled_from(sorted(groups[ALL])))))
    with_panel = {**groups, ("panel", ""): panel}
    added = extend(with_panel, released, [("panel", "")], unnamed, k)
    keys = sorted(released | added)
    if keys and unnamed:
        assert smallest_revealed(unnamed_rows(with_panel, keys, unnamed), k) is None


def test_four_organizations_three_named_show_no_group_with_the_fourth():
    # The case: 4 organizations in a county, 3 named → the county's mean minus the named
    # three is the fourth. With 1 unnamed organization nothing over it may be shown.
    groups = {ALL: frozenset({0, 1, 2, 3}), ("county", "x"): frozenset({0, 1, 2, 3})}
    assert released_groups(groups, frozenset({3}), 3, minimum=1, protected=ALL) == frozenset()
    # Named only: nothing to protect, everything shown.
    assert released_groups(groups, frozenset(), 3, minimum=1, protected=ALL) == frozenset(groups)


def test_a_breakdown_group_that_would_isolate_two_unnamed_organizations_is_hidden():
    # 10 organizations, unnamed 0..5; county x holds unnamed 0, 1 and named 6..9: x would leave
    # the two unnamed ones in a cell of two. The county is hidden; the total (6 unnamed) is shown.
    groups = {
        ALL: frozenset(range(10)),
        ("county", "x"): frozenset({0, 1, 6, 7, 8, 9}),
        ("county", "y"): frozenset({2, 3, 4, 5}),
    }
    released = released_groups(groups, frozenset(range(6)), 3, minimum=1, protected=ALL)
    assert ALL in released
    assert ("county", "x") not in released
    # y (4 unnamed) beside the total would leave x's two unnamed as the rest: hidden as well.
    assert ("county", "y") not in released
