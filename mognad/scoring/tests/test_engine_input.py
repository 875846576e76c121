"""Bad input to the engine is rejected with an error that names the problem."""

import numpy as np
import pytest

from mognad.scoring.engine import score
from mognad.scoring.tests.factories import make_structure


@pytest.mark.parametrize("value", [7, -2, 100])
def test_it_rejects_an_answer_outside_the_scale_naming_the_value_and_item(value):
    data = np.full((3, 6), 4, dtype=np.int16)
    data[1, 2] = value
    with pytest.raises(ValueError, match=rf"answer {value} \(respondent row 1, item 'i3'\)"):
        score(data, make_structure())


def test_it_rejects_non_integer_answers():
    with pytest.raises(ValueError, match="integer array, got dtype float64"):
        score(np.full((3, 6), 4.0), make_structure())


def test_it_rejects_answers_that_are_not_an_array():
    with pytest.raises(ValueError, match="numpy array, got list"):
        score([[4] * 6], make_structure())


def test_it_rejects_a_matrix_with_the_wrong_number_of_items():
    with pytest.raises(ValueError, match=r"shape \(respondents, 6\), got \(2, 5\)"):
        score(np.full((2, 5), 4, dtype=np.int8), make_structure())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"resamples": 0}, "resamples must be a positive integer"),
        ({"resamples": 2.5}, "resamples must be a positive integer"),
        ({"min_respondents": 0}, "min_respondents must be at least 1"),
        ({"invited": 2}, "invited must be a whole number at least the 3 who responded"),
        ({"invited": 0}, "invited must be"),
    ],
)
def test_it_rejects_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        score(np.full((3, 6), 4, dtype=np.int8), make_structure(), **options)


def test_it_accepts_any_integer_dtype():
    data = np.full((2, 6), 4, dtype=np.int64)
    assert score(data, make_structure(), resamples=5).overall.score == 60
