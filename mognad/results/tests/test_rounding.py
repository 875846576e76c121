"""One rounding for every shown figure: half away from zero, of the unrounded value, as written.

Kompetensförsörjning scored 38.5185…: it is 39 % under Kategorier and under Förbättringsförslag
alike, never 38 % (Python's round() and format() round 38.5 to even, and rounding an already
rounded 38.5 gives 38 there)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mognad.results import charts
from mognad.results.templatetags.results_format import pct, points
from mognad.results.wording import number, whole


def test_half_rounds_up_where_python_rounds_to_even():
    assert (round(38.5), f"{38.5:.0f}") == (38, "38")
    assert whole(38.5) == 39 and pct(38.5) == "39\u00a0%"
    assert whole(38.5185185) == 39 and pct(38.5185185) == "39\u00a0%"
    assert number(0.125, 2) == "0,13"  # 0.125 is exact in binary: half up, not to even
    assert whole(-2.5) == -3 and points(-2.5) == "−3"


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_score_is_rounded_once_from_its_decimal_value(score):
    halfway = Decimal(repr(score)) + Decimal("0.5")
    expected = int(halfway.to_integral_value(rounding="ROUND_FLOOR"))
    assert whole(score) == expected
    assert pct(score) == f"{expected}\u00a0%"
    # The charts' tooltips and the pages write the same.
    assert charts.text(score) == pct(score)
