"""Internal comparison: the unit tree with drill-down, roles side by side, consensus."""

from __future__ import annotations

from django.urls import reverse

from mognad.results.tests.helpers import url


def test_it_shows_the_unit_tree_with_hidden_units_marked(
    alice_client, ankeby, results_2026, management, education, elder_care
):
    response = alice_client.get(url("internal", ankeby))
    assert response.status_code == 200
    rows = {r.label: r for r in response.context["view"].unit_rows}
    assert rows["Ankeby kommun"].respondents == 24
    assert rows["Äldreomsorg"].respondents == 7
    assert rows["Äldreomsorg"].depth == 2
    assert rows["Utbildningsförvaltningen"].respondents is None
    assert rows["Kommunledningsförvaltningen"].respondents is None
    assert rows["Kommunledningsförvaltningen"].overall is None
    text = response.content.decode()
    assert f"unit={elder_care.pk}" in text  # drill-down link
    assert f"unit={education.pk}" not in text


def test_it_shows_roles_side_by_side_with_small_roles_hidden(alice_client, ankeby, results_2026):
    response = alice_client.get(url("internal", ankeby))
    roles = {r.key[1]: r for r in response.context["view"].role_rows}
    assert roles["staff"].respondents == 13
    assert roles["staff"].overall is not None
    assert roles["manager"].overall is None


def test_it_shows_consensus_per_category(alice_client, ankeby, results_2026):
    rows = alice_client.get(url("internal", ankeby)).context["view"].consensus_rows
    assert len(rows) == 6
    assert all(r.sd is not None and r.agreement is not None and 0 <= r.agreement <= 1 for r in rows)


def test_a_unit_admin_sees_only_their_subtree(bob_client, ankeby, results_2026):
    response = bob_client.get(url("internal", ankeby))
    assert response.status_code == 200
    labels = [r.label for r in response.context["view"].unit_rows]
    assert labels == ["Socialförvaltningen", "Äldreomsorg"]
    assert response.context["view"].role_rows == ()
    text = response.content.decode()
    assert "Utbildningsförvaltningen" not in text
    assert "Kommunledningsförvaltningen" not in text


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("internal", ankeby)).status_code == 404
    response = client.get(url("internal", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_unit_that_is_not_a_number_is_404(alice_client, ankeby, results_2026):
    assert alice_client.get(url("internal", ankeby, unit="abc")).status_code == 404


def test_the_query_count_is_fixed(alice_client, ankeby, results_2026, django_assert_num_queries):
    with django_assert_num_queries(6):
        alice_client.get(url("internal", ankeby))


def test_consensus_figures_are_rounded_once_where_they_are_written(
    alice_client, ankeby, results_2026, monkeypatch
):
    # An agreement of 0.125 is 0,13 with the one rounding (half up); rounding it first with
    # Python's round() gave 0.12, and the page then wrote 0,12.
    from mognad.results.figures import MeasurementFigures

    monkeypatch.setattr(
        MeasurementFigures,
        "consensus",
        lambda self, group, category: {"sd": 1.25, "agreement": 0.125},
    )
    response = alice_client.get(url("internal", ankeby))
    row = response.context["view"].consensus_rows[0]
    assert (row.sd, row.agreement) == (1.25, 0.125)
    assert "<td>1,3</td><td>0,13</td>" in response.content.decode()
