"""Data-quality flags."""

import numpy as np
import pytest

from mognad.scoring.engine import Flag, score
from mognad.scoring.tests.factories import make_structure

TWELVE = {
    "cap": ("capability", {"eff": {"e1": [f"c{n}" for n in range(6)]}}),
    "leg": ("legacy", {"org": {"o1": [f"l{n}" for n in range(6)]}}),
}


def codes(result) -> list[str]:
    return [flag.code for flag in result.flags]


def test_fewer_than_ten_respondents_is_flagged_with_the_count():
    result = score(np.full((9, 6), 4, dtype=np.int8), make_structure(), resamples=10)
    assert result.flags == (Flag("few_respondents", "", {"respondents": 9, "threshold": 10}),)


def test_ten_varied_respondents_raise_no_flag():
    rng = np.random.default_rng(0)
    data = rng.integers(1, 7, size=(10, 6)).astype(np.int8)
    assert score(data, make_structure(), resamples=10).flags == ()


def test_an_item_with_more_than_30_percent_vet_ej_among_those_who_saw_it_is_flagged():
    data = np.full((10, 6), 4, dtype=np.int8)
    data[:2, 0] = 3
    data[:3, 1] = -1  # 3 of 10 = 30 %: not more than 30 %
    data[:4, 2] = -1  # 4 of 10
    data[:3, 3] = -1  # 3 of 9 who saw it (one left it empty)
    data[3, 3] = 0
    result = score(data, make_structure(), resamples=10)
    flags = [f for f in result.flags if f.code == "high_dont_know"]
    assert [f.subject for f in flags] == ["i3", "i4"]
    assert flags[0].detail == {"dont_know": 4, "seen": 10, "share": 0.4}
    assert flags[1].detail == {"dont_know": 3, "seen": 9, "share": pytest.approx(1 / 3)}


def test_respondents_giving_the_same_answer_to_ten_or_more_items_are_counted():
    structure = make_structure(TWELVE)
    rng = np.random.default_rng(0)
    data = rng.integers(1, 7, size=(12, 12)).astype(np.int8)
    data[0] = 5  # 12 identical answers
    data[1] = 2
    data[1, :2] = [-1, 0]  # 10 answered, all identical
    data[2] = 3
    data[2, :3] = 0  # only 9 answered: too few to judge
    data[3] = 6
    data[3, 0] = 5  # not all the same
    result = score(data, structure, resamples=10)
    assert Flag("straight_lining", "", {"respondents": 2, "min_items": 10}) in result.flags


def test_a_response_rate_below_half_of_the_invited_is_flagged():
    rng = np.random.default_rng(0)
    data = rng.integers(1, 7, size=(12, 6)).astype(np.int8)
    data[11] = -1  # answered only "Vet ej": responded, but not a scored respondent
    result = score(data, make_structure(), resamples=10, invited=25)
    assert result.respondents == 11
    assert result.flags == (
        Flag("low_response_rate", "", {"responded": 12, "invited": 25, "rate": 0.48}),
    )
    assert score(data, make_structure(), resamples=10, invited=24).flags == ()


def test_flags_are_reported_even_for_a_group_below_the_minimum_size():
    data = np.full((3, 6), 4, dtype=np.int8)
    result = score(data, make_structure(), min_respondents=5)
    assert codes(result) == ["few_respondents"]
