"""The "differs from peers" marker: the peer average outside the own 95 % interval, shown with the
change marker's words beside every difference to a peer average (categories tab, all
organizations tab, PDF report). docs/scoring.md §3; the harness measures its size (§11)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.results import pages
from mognad.results.figures import Figure
from mognad.results.pages.all_organizations import released_peers
from mognad.results.pages.categories import CategoryRow
from mognad.results.report import render_html
from mognad.results.tests.helpers import url
from mognad.results.wording import whole
from mognad.scoring.engine import differs_from_peers

SIGNIFICANT = "(signifikant)"
WITHIN = "(inom osäkerheten)"


def test_the_marker_on_hand_checked_intervals():
    # The interval 40–60 % holds the peer average 40, 50 and 60 (its ends included), not 39.9 or
    # 60.1; without an interval or a peer average there is no marker.
    assert [differs_from_peers((40.0, 60.0), p) for p in (39.9, 40.0, 50.0, 60.0, 60.1)] == [
        True,
        False,
        False,
        False,
        True,
    ]
    assert differs_from_peers(None, 50.0) is None
    assert differs_from_peers((40.0, 60.0), None) is None


@settings(deadline=None)  # a shared, loaded machine
@given(
    st.floats(0, 100),
    st.floats(0, 50),
    st.floats(0, 100),
)
def test_the_marker_is_exactly_the_peer_average_outside_the_interval(low, width, peer):
    high = min(100.0, low + width)
    assert differs_from_peers((low, high), peer) is (not low <= peer <= high)


def row(peer, low=40.0, high=60.0):
    figure = Figure(score=50.0, low=low, high=high, se=5.0, n=12)
    return CategoryRow(
        label="Effektivitet", figure=figure, id="c", peer=peer, peer_count=7, agreement=None
    )


def test_a_category_row_marks_its_difference():
    assert (row(61.0).gap, row(61.0).differs) == (-11, True)
    assert (row(55.0).gap, row(55.0).differs) == (-5, False)
    assert row(None).differs is None
    assert row(55.0, low=None, high=None).differs is None


def _cells(html, label):
    """The cells of the table row headed `label`."""
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert found, label
    return found.group(1)


def test_the_categories_tab_marks_every_difference_to_the_peers(alice_client, ankeby, benchmarks):
    response = alice_client.get(url("categories", ankeby))
    view, html = response.context["view"], response.content.decode()
    rows = [*view.category_rows, *view.capability_rows]
    assert all(r.differs is not None for r in rows)
    marks = {r.differs for r in rows}
    for r in rows:
        assert r.differs is (r.peer < r.low or r.peer > r.high), r.label
        cells = _cells(html, r.label)
        assert (SIGNIFICANT in cells, WITHIN in cells) == (r.differs, not r.differs), r.label
    assert marks == {True, False}  # the fixture has both, so the check above is not vacuous
    assert "utanför" in html  # the explanation of the marker


def test_the_all_organizations_tab_marks_the_difference_to_the_average(
    alice_client, ankeby, results_2026, peers, benchmarks
):
    response = alice_client.get(url("all_organizations", ankeby))
    view, html = response.context["view"], response.content.decode()
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    compared = released_peers(page, ("overall", ""), {})
    average = sum(p.score for p in compared) / len(compared)
    assert view.differs is (average < view.own.low or average > view.own.high)
    assert view.gap == whole(view.own.score) - whole(average)
    assert (SIGNIFICANT if view.differs else WITHIN) in html


def test_the_report_marks_the_significant_differences(ankeby, results_2026, peers, benchmarks):
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    html = render_html(page)
    view = pages.categories.build(page)
    section = html[html.index("Kategorierna jämförda med") :]
    for r in (*view.category_rows, *view.capability_rows):
        assert ("(signifikant)" in _cells(section, r.label)) is bool(r.differs), r.label
    assert {bool(r.differs) for r in (*view.category_rows, *view.capability_rows)} == {True, False}
    assert "utanför" in html
