"""The data-quality notes in words (issue 13): counts agree in number ("1 respondent", never
"1 respondenter"; "Bara 1 person", never "1 personer"), and the uncertain type's note points to
the probabilities where they are (with the matrix, above it), never "Se sannolikheterna nedan"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from mognad.results.figures import ORGANIZATION
from mognad.results.pages.overview import _flag_text, flag_texts


@pytest.mark.parametrize(
    ("count", "straight", "few"),
    [
        (1, "1 respondent gav samma svar", "Bara 1 person svarade"),
        (2, "2 respondenter gav samma svar", "Bara 2 personer svarade"),
    ],
)
def test_counts_agree_in_number_in_swedish(count, straight, few):
    with translation.override("sv"):
        assert _flag_text(
            "straight_lining", {"respondents": count, "min_items": 10}, ""
        ).startswith(straight)
        assert _flag_text("few_respondents", {"respondents": count, "threshold": 5}, "").startswith(
            few
        )


def test_english_counts_agree_in_number_too():
    with translation.override("en"):
        assert _flag_text("straight_lining", {"respondents": 1, "min_items": 10}, "").startswith(
            "1 respondent gave"
        )
        assert _flag_text("few_respondents", {"respondents": 1, "threshold": 5}, "").startswith(
            "Only 1 person answered"
        )


def test_the_uncertain_type_note_does_not_point_below_the_table(ankeby):
    from mognad.surveys.tests.factories import standard_instrument

    instrument = standard_instrument().definition()
    figures = SimpleNamespace(
        flags=lambda group: [], quadrant=lambda group, instrument: {"uncertain": True}
    )
    page = SimpleNamespace(instrument=instrument, lang="sv", figures=figures)
    with translation.override("sv"):
        (note,) = flag_texts(page, ORGANIZATION)  # type: ignore[arg-type]
    assert "nedan" not in note and "osäker" in note and "matrisen" in note
