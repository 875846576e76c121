"""The page says "osäker" exactly where a type probability is not calibrated (docs/scoring.md §4:
the harness found only probabilities below 5 % and from 95 % calibrated), and the whole-units
note says the organization's intervals may be too narrow with few units (§11)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mognad.results.compute import compute_and_store
from mognad.results.models import MeasurementResult
from mognad.scoring.engine import calibrated
from mognad.surveys.models import Measurement


def test_calibrated_probabilities_are_below_5_or_from_95_percent():
    probabilities = (0.0, 0.049, 0.05, 0.2, 0.5, 0.8, 0.9499, 0.95, 1.0)
    assert [calibrated(p) for p in probabilities] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


def _store_probabilities(measurement, shares):
    result = MeasurementResult.objects.get(measurement=measurement, group_kind="organization")
    quadrant = result.payload["quadrant"]
    types = sorted(quadrant["probabilities"])
    quadrant["probabilities"] = dict(zip(types, shares, strict=True))
    quadrant["uncertain"] = max(shares) < 0.95
    result.save()
    return types


@pytest.mark.parametrize(
    "shares",
    [
        (0.95, 0.05, 0.0, 0.0),  # 5 % is not calibrated: marked, though the type reaches 95 %
        (0.96, 0.04, 0.0, 0.0),  # nothing marked
        (0.7, 0.2, 0.06, 0.04),
        (0.5, 0.5, 0.0, 0.0),
    ],
)
def test_the_overview_marks_exactly_the_probabilities_that_are_not_calibrated(
    alice_client, ankeby, results_2026, shares
):
    _store_probabilities(results_2026, shares)
    response = alice_client.get(reverse("results:overview", args=[ankeby.slug]))
    view = response.context["view"]
    marked = sorted(chance.uncertain for chance in view.probabilities)
    assert marked == sorted(not calibrated(p) for p in shares)
    table = response.content.decode().split('id="overview-table-2"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)
    assert len(rows) == 4
    assert sum("(osäker)" in row for row in rows) == sum(not calibrated(p) for p in shares)
    assert view.type_uncertain is (max(shares) < 0.95)


def test_with_whole_units_the_page_says_the_organizations_figures_may_be_too_narrow(
    alice_client, ankeby, results_2026
):
    # Ankeby's answers come from four units: the harness's clustered scenario at n = 40 (about
    # four units) covered 88.9 % of overall scores, so the page must say so.
    results_2026.sampling = Measurement.Sampling.UNITS
    results_2026.save()
    compute_and_store(results_2026)
    result = MeasurementResult.objects.get(measurement=results_2026, group_kind="organization")
    assert result.payload["sampling"]["units"] == 4
    page = reverse("results:overview", args=[ankeby.slug])
    text = alice_client.get(page).content.decode()
    assert "för smala" in text and "89–95" in text
    alice_client.cookies["mognad_language"] = "en"
    assert "may still be too narrow" in alice_client.get(page).content.decode()
