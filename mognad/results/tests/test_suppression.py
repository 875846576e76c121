"""The anonymity threshold: primary and complementary suppression.

Each complementary case tries to derive a hidden figure by subtraction from what is shown, and
checks that it cannot.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.results.suppression import Partition, change_visible, suppress, threshold, too_small

K = 5


def derivable(counts, partitions, hidden):
    """Every cell whose count an attacker can work out from the shown cells by subtraction."""
    known = {c for c in counts if c not in hidden or counts[c] == 0}
    changed = True
    while changed:
        changed = False
        for p in partitions:
            unknown = [c for c in p.parts if c not in known]
            if p.total in known and len(unknown) == 1:
                known.add(unknown[0])
                changed = True
            elif p.total not in known and not unknown:
                known.add(p.total)
                changed = True
    return known


def small_and_derivable(counts, partitions, hidden):
    known = derivable(counts, partitions, hidden)
    leaks = [c for c in known if 0 < counts[c] < K]
    for p in partitions:
        if p.total in known:
            rest = sum(counts[c] for c in p.parts if c not in known)
            if 0 < rest < K:
                leaks.append(("together", p.total))
    return leaks


def test_the_threshold_comes_from_the_settings(settings):
    settings.ANONYMITY_K = 7
    assert threshold() == 7
    assert too_small(6) and not too_small(7)


def test_a_group_under_k_is_hidden_and_a_group_of_k_is_shown():
    hidden = suppress({"a": 4, "b": 5}, k=K)
    assert hidden == {"a"}


def test_an_empty_group_has_nothing_to_hide():
    assert suppress({"a": 0}, k=K) == frozenset()


def test_one_hidden_unit_with_the_parent_and_all_siblings_shown_hides_the_smallest_sibling():
    counts = {"org": 30, "a": 3, "b": 12, "c": 15}
    partitions = [Partition("org", ("a", "b", "c"))]
    hidden = suppress(counts, partitions, k=K)
    # Without the second hidden unit, a = org − b − c.
    assert hidden == {"a", "b"}
    assert small_and_derivable(counts, partitions, hidden) == []


def test_two_hidden_siblings_that_together_are_under_k_hide_one_more():
    counts = {"org": 30, "a": 2, "b": 2, "c": 10, "d": 16}
    partitions = [Partition("org", ("a", "b", "c", "d"))]
    hidden = suppress(counts, partitions, k=K)
    # a + b = 4 respondents could be recovered together; adding c makes them 14.
    assert hidden == {"a", "b", "c"}
    assert small_and_derivable(counts, partitions, hidden) == []


def test_two_hidden_siblings_that_together_reach_k_need_nothing_more():
    counts = {"org": 30, "a": 3, "b": 3, "c": 24}
    partitions = [Partition("org", ("a", "b", "c"))]
    assert suppress(counts, partitions, k=K) == {"a", "b"}


def test_respondents_placed_directly_in_a_unit_count_as_a_hidden_part():
    # Socialförvaltningen has 12 respondents: 9 in Äldreomsorg and 3 placed in the unit itself.
    counts = {"social": 12, "elder": 9, ("rest", "social"): 3}
    partitions = [Partition("social", ("elder", ("rest", "social")))]
    hidden = suppress(counts, partitions, unpublished={("rest", "social")}, k=K)
    # Showing both would give the 3 by subtraction.
    assert "elder" in hidden
    assert small_and_derivable(counts, partitions, hidden) == []


def test_hiding_chains_up_and_down_the_unit_tree():
    counts = {
        "org": 40,
        "u1": 20,
        "u2": 20,
        "u1a": 16,
        "u1b": 4,
        "u2a": 10,
        "u2b": 10,
    }
    partitions = [
        Partition("org", ("u1", "u2")),
        Partition("u1", ("u1a", "u1b")),
        Partition("u2", ("u2a", "u2b")),
    ]
    hidden = suppress(counts, partitions, k=K)
    assert {"u1b", "u1a"} <= hidden
    assert small_and_derivable(counts, partitions, hidden) == []


def test_a_hidden_parent_that_can_be_derived_does_not_protect_its_children():
    # u1 is shown as org − u2; so its hidden child u1b would be u1 − u1a.
    counts = {"org": 40, "u1": 20, "u2": 20, "u1a": 17, "u1b": 3}
    partitions = [Partition("org", ("u1", "u2")), Partition("u1", ("u1a", "u1b"))]
    hidden = suppress(counts, partitions, k=K, unpublished={"u1"})
    assert small_and_derivable(counts, partitions, hidden) == []
    assert "u1b" in hidden


def test_a_role_hidden_in_a_unit_cannot_be_derived_from_the_unit_and_role_totals():
    # Units × roles with both margins shown: politicians in unit A are 2.
    cells = {("A", "pol"): 2, ("A", "staff"): 18, ("B", "pol"): 6, ("B", "staff"): 14}
    counts = dict(cells)
    counts.update({"A": 20, "B": 20, "pol": 8, "staff": 32, "org": 40})
    partitions = [
        Partition("A", (("A", "pol"), ("A", "staff"))),
        Partition("B", (("B", "pol"), ("B", "staff"))),
        Partition("pol", (("A", "pol"), ("B", "pol"))),
        Partition("staff", (("A", "staff"), ("B", "staff"))),
        Partition("org", ("A", "B")),
        Partition("org", ("pol", "staff")),
    ]
    hidden = suppress(counts, partitions, k=K)
    assert ("A", "pol") in hidden
    # Neither "A minus A's staff" nor "politicians minus B's politicians" gives the 2 away.
    assert small_and_derivable(counts, partitions, hidden) == []


def test_a_role_hidden_at_the_top_cannot_be_derived_from_the_organization_total():
    counts = {"org": 25, "politician": 2, "manager": 8, "staff": 15, ("rest", "role"): 0}
    partitions = [Partition("org", ("politician", "manager", "staff", ("rest", "role")))]
    hidden = suppress(counts, partitions, unpublished={("rest", "role")}, k=K)
    assert hidden >= {"politician", "manager"}
    assert small_and_derivable(counts, partitions, hidden) == []


def test_a_small_total_is_hidden_even_when_its_parts_are():
    counts = {"u": 4, "a": 2, "b": 2}
    hidden = suppress(counts, [Partition("u", ("a", "b"))], k=K)
    assert hidden == {"u", "a", "b"}


def test_a_partition_naming_an_unknown_cell_is_an_error():
    with pytest.raises(ValueError, match="has no count"):
        suppress({"org": 10}, [Partition("org", ("ghost",))], k=K)


def test_the_same_input_gives_the_same_answer():
    counts = {"org": 30, "a": 3, "b": 12, "c": 12, "d": 3}
    partitions = [Partition("org", ("a", "b", "c", "d"))]
    first = suppress(counts, partitions, k=K)
    assert all(suppress(counts, partitions, k=K) == first for _ in range(5))


def test_a_change_between_years_is_shown_only_when_both_years_are_shown():
    # 2025 hidden, 2026 shown: the change would give 2025 back as 2026 − change.
    assert change_visible(True, True)
    assert not change_visible(False, True)
    assert not change_visible(True, False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=4),
    st.integers(0, 6),
)
def test_no_small_group_can_ever_be_derived_in_a_two_level_tree(tree, direct):
    """Random organizations: top units with child units and respondents without a unit."""
    counts, partitions, unpublished = {}, [], set()
    tops = []
    for i, children in enumerate(tree):
        names = [f"u{i}.{j}" for j in range(len(children))]
        for name, n in zip(names, children, strict=True):
            counts[name] = n
        counts[f"u{i}"] = sum(children)
        tops.append(f"u{i}")
        partitions.append(Partition(f"u{i}", tuple(names)))
    counts[("rest", "org")] = direct
    unpublished.add(("rest", "org"))
    counts["org"] = sum(counts[t] for t in tops) + direct
    partitions.append(Partition("org", (*tops, ("rest", "org"))))
    hidden = suppress(counts, partitions, unpublished=unpublished, k=K)
    assert small_and_derivable(counts, partitions, hidden) == []
    for cell, n in counts.items():
        if 0 < n < K:
            assert cell in hidden


def test_every_cell_of_a_small_table_is_checked_exhaustively():
    """All 2 × 2 tables with cells 0..6 and both margins: nothing under k is derivable."""
    for a, b, c, d in itertools.product(range(0, 7, 2), repeat=4):
        counts = {"a": a, "b": b, "c": c, "d": d, "r1": a + b, "r2": c + d}
        counts.update({"c1": a + c, "c2": b + d, "t": a + b + c + d})
        partitions = [
            Partition("r1", ("a", "b")),
            Partition("r2", ("c", "d")),
            Partition("c1", ("a", "c")),
            Partition("c2", ("b", "d")),
            Partition("t", ("r1", "r2")),
            Partition("t", ("c1", "c2")),
        ]
        hidden = suppress(counts, partitions, k=K)
        assert small_and_derivable(counts, partitions, hidden) == [], (a, b, c, d)
