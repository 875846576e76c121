"""Improvement suggestions for the weakest categories and capabilities, ranked."""

from __future__ import annotations

from django.urls import reverse

from mognad.results.templatetags.results_format import pct
from mognad.results.tests.helpers import url


def test_it_ranks_the_weakest_categories_and_capabilities_first(alice_client, ankeby, results_2026):
    response = alice_client.get(url("suggestions", ankeby))
    assert response.status_code == 200
    view = response.context["view"]
    categories, capabilities = view.weakest_categories, view.weakest_capabilities
    assert len(categories) == 3 and len(capabilities) == 5
    assert [c.score for c in categories] == sorted(c.score for c in categories)
    assert [c.score for c in capabilities] == sorted(c.score for c in capabilities)
    assert all(c.suggestions for c in categories + capabilities)
    assert view.recommendations


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("suggestions", ankeby)).status_code == 404
    response = client.get(url("suggestions", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_hidden_unit_gets_no_suggestions(alice_client, ankeby, results_2026, education):
    response = alice_client.get(url("suggestions", ankeby, unit=education.pk))
    assert response.status_code == 200
    assert response.context["view"].weakest_categories == ()


def test_a_figure_reads_the_same_here_and_under_categories(alice_client, ankeby, results_2026):
    suggestions = alice_client.get(url("suggestions", ankeby))
    categories = alice_client.get(url("categories", ankeby))
    by_name = {r.label: r for r in categories.context["view"].capability_rows}
    by_name |= {r.label: r for r in categories.context["view"].category_rows}
    shown = suggestions.context["view"]
    text = suggestions.content.decode()
    table = categories.content.decode()
    for suggestion in (*shown.weakest_categories, *shown.weakest_capabilities):
        row = by_name[suggestion.name]
        assert row.figure is not None and suggestion.score == row.figure.score
        written = pct(suggestion.score)
        assert written in text and f'<th scope="row">{row.label}</th>' in table
        assert written == pct(row.figure.score)
