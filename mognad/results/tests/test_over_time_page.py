"""Over time: yearly series with intervals, significance, the path through the types."""

from __future__ import annotations

import re

from django.urls import reverse

from mognad.instrument.actions import publish_instrument
from mognad.results.tests.factories import Answers, closed_measurement
from mognad.results.tests.helpers import url
from mognad.surveys.tests.factories import STANDARD


def test_it_shows_each_year_with_the_change_and_whether_it_is_significant(
    alice_client, ankeby, results_2025, results_2026
):
    response = alice_client.get(url("over_time", ankeby))
    assert response.status_code == 200
    view = response.context["view"]
    assert [row.year for row in view.rows] == [2025, 2026]
    overall_change = view.rows[1].values[0].change
    assert overall_change is not None and overall_change.delta is not None
    # 2026 answers lie 0.8 scale steps (16 points) above 2025: a significant rise.
    assert overall_change.delta > 5 and overall_change.significant
    assert view.rows[0].values[0].change is None
    assert len(view.path) == 2
    assert view.chart is not None


def test_every_year_can_be_chosen_from_the_year_list_of_the_page(
    alice_client, ankeby, results_2025, results_2026
):
    # The year list is the layout's (the years with results), not the page's yearly rows: each
    # option is a year, and choosing it (what "Visa" sends) shows that year's page.
    years = alice_client.get(url("over_time", ankeby)).context["layout"].year_choices
    assert years == (2025, 2026)
    for year in years:
        response = alice_client.get(url("over_time", ankeby, year=year))
        assert response.status_code == 200
        text = response.content.decode()
        assert re.findall(r'<option value="([^"]*)"', text) == ["2025", "2026"]
        assert f'<option value="{year}" selected>' in text
        assert response.context["layout"].year == year
        # A year's page ends with that year: 2025 never shows 2026.
        rows = response.context["view"].rows
        assert [row.year for row in rows] == [y for y in years if y <= year]
        chart_years = {point["year"] for point in response.context["view"].chart["data"]["values"]}
        assert max(chart_years) == year


def test_the_report_of_a_year_has_no_later_year_in_its_trend(ankeby, results_2025, results_2026):
    from mognad.results import pages, report

    page = pages.load(ankeby, year=2025, unit=None, scope=None)
    built = report.build(page)
    assert [row.year for row in built.trend.rows] == [2025]
    assert built.trend.chart is not None
    assert {point["year"] for point in built.trend.chart["data"]["values"]} == {2025}
    # The matrix's path stops there too (2025 is the first year: no path at all).
    matrix = built.overview.matrix_chart
    assert matrix is not None and "2026" not in str(matrix)


def test_a_unit_hidden_in_one_year_gets_no_change(
    alice_client, ankeby, results_2025, results_2026, management
):
    response = alice_client.get(url("over_time", ankeby, unit=management.pk))
    rows = response.context["view"].rows
    assert all(v.figure is None and v.change is None for row in rows for v in row.values)


def test_years_on_instruments_that_do_not_compare_are_not_compared(
    alice_client, ankeby, results_2026, tmp_path
):
    other = STANDARD.read_text().replace("id: standard", "id: pulse", 1)
    path = tmp_path / "pulse.yaml"
    path.write_text(other)
    version = publish_instrument(path)
    measurement = closed_measurement(ankeby, [Answers(6)], year=2027, seed=5)
    measurement.instrument = version
    # Answers point at the standard's items; the stored results stand as they are.
    measurement.save()
    response = alice_client.get(url("over_time", ankeby, year=2027))
    assert response.status_code == 200
    assert response.context["view"].not_comparable == (2027,)
    assert all(v.change is None for v in response.context["view"].rows[-1].values)
    assert "inte jämföras" in response.content.decode()


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("over_time", ankeby)).status_code == 404
    response = client.get(url("over_time", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_query_count_does_not_grow_with_the_years(
    alice_client, ankeby, results_2025, results_2026, django_assert_num_queries
):
    # 8: the page's 7 and the capabilities the action plan of the year before had actions for.
    with django_assert_num_queries(8):
        alice_client.get(url("over_time", ankeby))
