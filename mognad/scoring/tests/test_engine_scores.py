"""Point scores on tiny instruments, each expectation computed by hand.

The TINY instrument (factories.py):
    cap (capability): eff → e1 → i1, i2      inn → n1 → i3
    leg (legacy):     org → o1 → i4          tek → t1 → i5, i6
An answer x scores (x − 1) × 20; "-" is "Vet ej" (-1), "." is unanswered (0).
"""

import numpy as np
import pytest

from mognad.scoring.engine import DONT_KNOW, UNANSWERED, score
from mognad.scoring.tests.factories import make_structure

_CELLS = {"-": DONT_KNOW, ".": UNANSWERED}


def answers(*rows: str) -> np.ndarray:
    """Rows like "64 1352" → one respondent; spaces are ignored."""
    return np.array(
        [[_CELLS[c] if c in _CELLS else int(c) for c in row.replace(" ", "")] for row in rows],
        dtype=np.int8,
    )


def flat(result) -> dict:
    """Every point score by "level:id"."""
    scores = {"overall": result.overall.score}
    for level in ("dimensions", "categories", "capabilities", "items"):
        for node, value in getattr(result, level).items():
            scores[f"{level}:{node}"] = value.score
    return scores


CASES = [
    pytest.param(
        answers("444444"),
        {},
        {
            "items:i1": 60,
            "capabilities:e1": 60,
            "categories:tek": 60,
            "dimensions:cap": 60,
            "overall": 60,
        },
        id="one respondent answering 4 everywhere scores 60 everywhere",
    ),
    pytest.param(
        answers("641352", "443556"),
        {},
        {
            "items:i1": 80,
            "items:i2": 60,
            "items:i3": 20,
            "items:i4": 60,
            "items:i5": 80,
            "items:i6": 60,
            "capabilities:e1": 70,
            "capabilities:n1": 20,
            "capabilities:o1": 60,
            "capabilities:t1": 70,
            "categories:eff": 70,
            "categories:inn": 20,
            "categories:org": 60,
            "categories:tek": 70,
            "dimensions:cap": 45,
            "dimensions:leg": 65,
            "overall": 55,
        },
        id="two respondents: item means, then means of the children up to the overall score",
    ),
    pytest.param(
        answers("6-.6..", ".2.-.."),
        {},
        {
            "items:i1": 100,
            "items:i2": 20,
            "items:i3": None,
            "items:i4": 100,
            "items:i5": None,
            "items:i6": None,
            "capabilities:e1": 60,
            "capabilities:n1": None,
            "categories:eff": 60,
            "categories:inn": None,
            "categories:org": 100,
            "categories:tek": None,
            "dimensions:cap": 60,
            "dimensions:leg": 100,
            "overall": 80,
        },
        id="Vet ej and unanswered are left out, and a node without data drops out of its parent",
    ),
    pytest.param(
        answers("611425"),
        {"weights": {"i1": 3, "i2": 1, "eff": 2, "cap": 3}},
        {
            "items:i1": 100,
            "items:i2": 0,
            "capabilities:e1": 75,
            "categories:eff": 75,
            "categories:inn": 0,
            "dimensions:cap": 50,
            "categories:org": 60,
            "categories:tek": 50,
            "dimensions:leg": 55,
            "overall": 51.25,
        },
        id="weights at item, category and dimension level",
    ),
    pytest.param(
        answers("22-333"),
        {"weights": {"inn": 3}},
        {"categories:eff": 20, "categories:inn": None, "dimensions:cap": 20, "overall": 30},
        id="a heavy child without data leaves its siblings' weights renormalized",
    ),
    pytest.param(
        answers("------", "....4.", "444444"),
        {},
        {"items:i1": 60, "items:i5": 60, "overall": 60},
        id="rows without any answer on the scale do not change any score",
    ),
]


@pytest.mark.parametrize(("data", "options", "expected"), CASES)
def test_it_computes_the_hand_computed_point_scores(data, options, expected):
    scores = flat(score(data, make_structure(**options), resamples=50))
    for node, value in expected.items():
        if value is None:
            assert scores[node] is None, node
        else:
            assert scores[node] == pytest.approx(value, abs=1e-9), node


def test_it_counts_answers_dont_knows_and_blanks_per_item():
    result = score(answers("6-.6..", ".2.-..", "1-.-.."), make_structure(), resamples=10)
    i2 = result.items["i2"]
    assert (i2.n, i2.dont_know, i2.unanswered) == (1, 2, 0)
    assert i2.distribution == (0, 1, 0, 0, 0, 0)
    assert result.items["i1"].distribution == (1, 0, 0, 0, 0, 1)
    assert result.items["i3"].score is None
    assert (result.items["i3"].n, result.items["i3"].unanswered) == (0, 3)


def test_it_counts_as_respondents_only_rows_with_an_answer_on_the_scale():
    result = score(answers("------", "......", "4.....", "....-5"), make_structure(), resamples=10)
    assert result.respondents == 2
    assert result.overall.n == 2
    assert result.dimensions["cap"].n == 1
    assert result.categories["tek"].n == 1
    assert result.categories["org"].n == 0


def test_a_group_below_the_minimum_size_gets_no_score_at_all():
    result = score(answers("641352", "443556"), make_structure(), min_respondents=3)
    assert result.respondents == 2
    assert result.overall.score is None
    assert result.overall.ci is None
    assert all(e.score is None for e in result.categories.values())
    assert all(i.score is None and i.distribution == () for i in result.items.values())
    assert result.quadrant is None
    assert result.strengths == () and result.weaknesses == ()
    assert all(c.sd is None for c in result.consensus.values())
    assert result.items["i1"].n == 2


def test_a_group_at_the_minimum_size_is_scored():
    result = score(answers("641352", "443556"), make_structure(), min_respondents=2, resamples=10)
    assert result.overall.score == pytest.approx(55)


def test_no_respondents_at_all_gives_no_score():
    result = score(np.zeros((0, 6), dtype=np.int8), make_structure())
    assert result.respondents == 0
    assert result.overall.score is None


@pytest.mark.parametrize(
    ("capability_cutoff", "legacy_cutoff", "expected"),
    [
        (50, 50, "low-enabling"),  # capability 45, legacy 65
        (45, 50, "high-enabling"),  # a score at the cut-off reaches it
        (40, 70, "high-limiting"),
        (50, 66, "low-limiting"),
    ],
)
def test_the_quadrant_compares_the_two_dimensions_with_the_cutoffs(
    capability_cutoff, legacy_cutoff, expected
):
    structure = make_structure(capability_cutoff=capability_cutoff, legacy_cutoff=legacy_cutoff)
    result = score(answers("641352", "443556"), structure, resamples=200)
    assert result.quadrant.type_id == expected


def test_the_quadrant_uses_the_role_of_each_dimension_not_its_position():
    spec = {
        "leg": ("legacy", {"org": {"o1": ["i4"]}, "tek": {"t1": ["i5", "i6"]}}),
        "cap": ("capability", {"eff": {"e1": ["i1", "i2"]}, "inn": {"n1": ["i3"]}}),
    }
    # Columns in instrument order: i4 i5 i6 i1 i2 i3; capability 20, legacy 80.
    result = score(answers("555222"), make_structure(spec), resamples=10)
    assert result.dimensions["cap"].score == pytest.approx(20)
    assert result.quadrant.type_id == "low-enabling"


def test_strengths_and_weaknesses_are_the_three_highest_and_lowest_categories():
    spec = {
        "cap": ("capability", {c: {f"{c}1": [f"{c}i"]} for c in ("a", "b", "c")}),
        "leg": ("legacy", {c: {f"{c}1": [f"{c}i"]} for c in ("d", "e", "f")}),
    }
    # Category scores a..f: 40, 100, 0, 60, 80, 20.
    result = score(answers("361452"), make_structure(spec), resamples=10)
    assert result.strengths == ("b", "e", "d")
    assert result.weaknesses == ("c", "f", "a")


def test_ties_are_broken_by_id_so_strengths_and_weaknesses_never_overlap():
    spec = {
        "cap": ("capability", {c: {f"{c}1": [f"{c}i"]} for c in ("a", "b", "c")}),
        "leg": ("legacy", {c: {f"{c}1": [f"{c}i"]} for c in ("d", "e", "f")}),
    }
    result = score(answers("444444"), make_structure(spec), resamples=10)
    # All six score 60: ranked by id, the first three are strengths, the last three (weakest first)
    # weaknesses.
    assert result.strengths == ("a", "b", "c")
    assert result.weaknesses == ("f", "e", "d")


def test_with_fewer_than_six_categories_no_category_is_both_strength_and_weakness():
    # Case "two respondents": eff 70, inn 20, org 60, tek 70.
    result = score(answers("641352", "443556"), make_structure(), resamples=10)
    assert result.strengths == ("eff", "tek")
    assert result.weaknesses == ("inn", "org")
    # Only eff (60) and org (100) have data.
    result = score(answers("6-.6..", ".2.-.."), make_structure(), resamples=10)
    assert result.strengths == ("org",)
    assert result.weaknesses == ("eff",)


def test_consensus_is_the_sd_of_respondents_category_scores_and_r_wg():
    # Respondent category scores: eff 80 and 60, inn 0 and 40, org 40 and 80, tek 50 and 90.
    result = score(answers("641352", "443556"), make_structure(), resamples=10)
    eff = result.consensus["eff"]
    assert eff.n == 2
    assert eff.sd == pytest.approx(200**0.5)
    # r_wg = 1 − s² / σ²_EU with σ²_EU = 35/12 × 400 = 1166.67: 1 − 200/1166.67.
    assert eff.agreement == pytest.approx(1 - 2400 / 14000)
    assert result.consensus["inn"].agreement == pytest.approx(1 - 800 * 12 / 14000)


def test_agreement_is_clipped_at_zero_for_more_spread_than_random_answers():
    result = score(answers("666666", "111111"), make_structure(), resamples=10)
    assert result.consensus["eff"].sd == pytest.approx(5000**0.5)
    assert result.consensus["eff"].agreement == 0.0


def test_perfect_agreement_is_one_and_a_single_respondent_has_no_spread():
    result = score(answers("444444", "444444"), make_structure(), resamples=10)
    assert result.consensus["eff"].agreement == 1.0
    assert result.consensus["eff"].sd == 0.0
    result = score(answers("444444"), make_structure(), resamples=10)
    assert result.consensus["eff"] == type(result.consensus["eff"])(None, None, 1)


def test_to_dict_gives_plain_json_ready_data():
    import json

    result = score(answers("641352", "443556"), make_structure(), resamples=20)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["overall"]["score"] == pytest.approx(55)
    assert data["items"]["i1"]["distribution"] == [0, 0, 0, 1, 0, 1]
    assert data["quadrant"]["type"] == "low-enabling"
    assert data["strengths"] == ["eff", "tek"]
    assert data["consensus"]["eff"]["n"] == 2
    assert data["flags"][0]["code"] == "few_respondents"
