"""Properties that hold for any answers (hypothesis)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mognad.scoring.engine import DONT_KNOW, UNANSWERED, score
from mognad.scoring.tests.factories import make_structure

STRUCTURE = make_structure()
WEIGHTED = make_structure(weights={"i1": 2.5, "e1": 1, "inn": 0.4, "leg": 3, "i6": 0.1})
ITEMS = len(STRUCTURE.item_ids)
RESAMPLES = 60

cells = st.integers(min_value=DONT_KNOW, max_value=6)
answer_matrices = st.integers(min_value=1, max_value=12).flatmap(
    lambda rows: arrays(np.int8, (rows, ITEMS), elements=cells)
)
structures = st.sampled_from([STRUCTURE, WEIGHTED])
fast = settings(max_examples=60, deadline=None)


def estimates(result):
    yield result.overall
    for level in (result.dimensions, result.categories, result.capabilities):
        yield from level.values()


def point_scores(result) -> dict[str, float | None]:
    scores = {"overall": result.overall.score}
    for level in ("dimensions", "categories", "capabilities", "items"):
        for node, value in getattr(result, level).items():
            scores[f"{level}:{node}"] = value.score
    return scores


@fast
@given(answer_matrices, structures, st.integers(0, 2**32 - 1))
def test_every_score_and_interval_lies_within_0_and_100(data, structure, seed):
    result = score(data, structure, resamples=RESAMPLES, seed=seed)
    for estimate in [*estimates(result), *result.items.values()]:
        if estimate.score is None:
            assert estimate.ci is None and estimate.se is None
            continue
        assert 0 <= estimate.score <= 100
        low, high = estimate.ci
        assert 0 <= low <= estimate.score <= high <= 100
        if estimate.se is None:
            # A single answer under the node: the interval is the whole scale.
            assert (low, high) == (0.0, 100.0)
        else:
            assert estimate.se >= 0
    for consensus in result.consensus.values():
        if consensus.agreement is not None:
            assert 0 <= consensus.agreement <= 1
            assert consensus.sd >= 0
    if result.quadrant is not None:
        assert math.isclose(sum(result.quadrant.probabilities.values()), 1.0)


@fast
@given(answer_matrices, structures, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_respondents(data, structure, random):
    order = list(range(len(data)))
    random.shuffle(order)
    original = score(data, structure, resamples=RESAMPLES, seed=4)
    shuffled = score(data[order], structure, resamples=RESAMPLES, seed=4)
    # Rows are put in a canonical order first, so even the type probabilities are identical.
    assert shuffled.to_dict() == original.to_dict()


@fast
@given(answer_matrices, structures, st.data())
def test_raising_one_answer_never_lowers_any_point_score(data, structure, draw):
    answered = np.argwhere((data >= 1) & (data < 6))
    if len(answered) == 0:
        return
    row, column = answered[draw.draw(st.integers(0, len(answered) - 1))]
    raised = data.copy()
    raised[row, column] += draw.draw(st.integers(1, 6 - int(data[row, column])))
    before = point_scores(score(data, structure, resamples=1))
    after = point_scores(score(raised, structure, resamples=1))
    assert before.keys() == after.keys()
    for node, value in before.items():
        assert (value is None) == (after[node] is None)
        if value is not None:
            assert after[node] >= value - 1e-9, node
    assert (
        after["items:" + structure.item_ids[column]] > before["items:" + structure.item_ids[column]]
    )


@fast
@given(answer_matrices, structures)
def test_vet_ej_scores_exactly_like_an_unanswered_item(data, structure):
    blanked = np.where(data == DONT_KNOW, UNANSWERED, data).astype(np.int8)
    assert point_scores(score(data, structure, resamples=1)) == point_scores(
        score(blanked, structure, resamples=1)
    )


@fast
@given(answer_matrices, st.integers(0, ITEMS - 1), st.integers(1, 6), st.integers(1, 5))
def test_replacing_vet_ej_with_the_item_mean_keeps_every_score(data, column, mean, answered):
    # Item `column`: `answered` respondents say `mean`, one says "Vet ej", the others nothing.
    data = np.vstack([data, np.zeros((answered + 1, ITEMS), dtype=np.int8)])
    data[:, column] = UNANSWERED
    data[-answered - 1 : -1, column] = mean
    data[-1, column] = DONT_KNOW
    replaced = data.copy()
    replaced[-1, column] = mean
    before = score(data, STRUCTURE, resamples=1)
    after = score(replaced, STRUCTURE, resamples=1)
    item = STRUCTURE.item_ids[column]
    assert (before.items[item].n, after.items[item].n) == (answered, answered + 1)
    assert (before.items[item].dont_know, after.items[item].dont_know) == (1, 0)
    scores_after = point_scores(after)
    for node, value in point_scores(before).items():
        if value is None:
            assert scores_after[node] is None, node
        else:
            assert math.isclose(scores_after[node], value, abs_tol=1e-9), node


@fast
@given(answer_matrices, st.integers(0, ITEMS - 1))
def test_replacing_vet_ej_with_a_1_counts_one_more_answer_and_never_raises_a_score(data, column):
    rows = np.flatnonzero(data[:, column] == DONT_KNOW)
    if len(rows) == 0:
        return
    replaced = data.copy()
    replaced[rows[0], column] = 1
    before = score(data, STRUCTURE, resamples=1)
    after = score(replaced, STRUCTURE, resamples=1)
    item = STRUCTURE.item_ids[column]
    assert after.items[item].n == before.items[item].n + 1
    assert after.items[item].dont_know == before.items[item].dont_know - 1
    for node, value in point_scores(after).items():
        if point_scores(before)[node] is not None:
            assert value <= point_scores(before)[node] + 1e-9, node


@fast
@given(answer_matrices, st.integers(0, 3))
def test_a_group_below_the_minimum_yields_no_score_and_at_the_minimum_a_score(data, extra):
    respondents = int(np.count_nonzero((data >= 1).any(axis=1)))
    below = score(data, STRUCTURE, resamples=1, min_respondents=respondents + 1 + extra)
    assert all(value is None for value in point_scores(below).values())
    assert below.quadrant is None
    if respondents:
        at = score(data, STRUCTURE, resamples=1, min_respondents=respondents)
        assert at.overall.score is not None


@fast
@given(answer_matrices, st.integers(0, 2**63 - 1))
def test_the_same_seed_always_gives_the_same_result(data, seed):
    first = score(data, WEIGHTED, resamples=RESAMPLES, seed=seed)
    assert score(data, WEIGHTED, resamples=RESAMPLES, seed=seed) == first
