"""Student's t and the intervals, against printed tables and hand computations."""

from __future__ import annotations

import math

import pytest

from mognad.national import stats


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.7062047), (4, 2.776445105), (10, 2.228138852), (30, 2.042272456), (1000, 1.962339081)],
)
def test_the_t_quantile_matches_the_printed_table(df, expected):
    assert stats.t_quantile(0.975, df) == pytest.approx(expected, abs=1e-7)


def test_the_t_distribution_is_symmetric_around_zero():
    assert stats.t_cdf(0.0, 7) == pytest.approx(0.5)
    assert stats.t_cdf(-1.5, 7) == pytest.approx(1 - stats.t_cdf(1.5, 7))
    assert stats.t_quantile(0.025, 12) == pytest.approx(-stats.t_quantile(0.975, 12))


def test_a_two_sided_p_value_of_t_2_with_20_degrees_of_freedom():
    # Table value: P(|T| > 2.086) = 0.05 at 20 degrees of freedom.
    assert stats.two_sided_p(2.085963447, 20) == pytest.approx(0.05, abs=1e-7)


def test_the_mean_interval_of_one_value_has_no_interval():
    found = stats.mean_interval([42.0])
    assert (found.mean, found.low, found.high, found.n) == (42.0, None, None, 1)
    assert stats.mean_interval([]).mean is None


def test_paired_differences_of_a_hand_worked_example():
    found = stats.paired([20, 40, 40, 60, 60], [40, 60, 60, 80, 100])
    # Differences 20, 20, 20, 20, 40: mean 24, SD √80, SE 4, t = 6 with 4 degrees of freedom.
    assert found.delta == pytest.approx(24)
    assert found.high - found.delta == pytest.approx(2.776445105 * 4)
    assert found.p == pytest.approx(stats.two_sided_p(6.0, 4))
    assert found.significant


def test_paired_values_must_come_in_pairs():
    with pytest.raises(ValueError, match="same number"):
        stats.paired([1, 2], [1])


def test_welch_uses_the_welch_satterthwaite_degrees_of_freedom():
    before, after = [10, 20, 30], [40, 45, 50, 55]
    found = stats.welch(before, after)
    va, vb = 100 / 3, (125 / 3) / 4
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 3)
    assert found.delta == pytest.approx(47.5 - 20)
    assert found.high - found.delta == pytest.approx(
        stats.t_quantile(0.975, df) * math.sqrt(va + vb)
    )


def test_the_wilson_interval_stays_inside_zero_and_one():
    found = stats.wilson(0, 10)
    assert found.share == 0 and found.low == 0 and 0 < found.high < 0.35
    assert stats.wilson(0, 0).share is None
