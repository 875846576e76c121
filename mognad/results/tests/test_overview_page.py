"""The overview page: overall maturity, dimensions, matrix, type and data quality."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse


def url(org, **query):
    base = reverse("results:overview", args=[org.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_overall_maturity_the_dimensions_and_the_type(alice_client, ankeby, results_2026):
    response = alice_client.get(url(ankeby))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Övergripande mognad" in text
    assert "Digital förmåga" in text and "Digitalt arv" in text
    assert "24 respondenter" in text
    organization = response.context["page"].figures.figure(("organization", ""), ("overall", ""))
    assert organization is not None
    view = response.context["view"]
    assert view.headline[0].figure == organization
    assert view.type_name
    assert view.recommendations
    assert len(view.probabilities) == 4


def test_the_matrix_chart_is_a_vega_lite_spec_in_a_json_data_block(
    alice_client, ankeby, results_2026
):
    response = alice_client.get(url(ankeby))
    text = response.content.decode()
    assert '<script id="chart-matrix" type="application/json">' in text
    start = text.index('<script id="chart-matrix" type="application/json">') + len(
        '<script id="chart-matrix" type="application/json">'
    )
    spec = json.loads(text[start : text.index("</script>", start)])
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "static/results/charts.js" in text or "/static/results/charts.js" in text


def test_it_is_in_english_when_the_visitor_chose_english(alice_client, ankeby, results_2026):
    alice_client.cookies["mognad_language"] = "en"
    text = alice_client.get(url(ankeby)).content.decode()
    assert "Overall maturity" in text
    assert "Digital capability" in text


def test_a_unit_admin_sees_their_own_unit_by_default(bob_client, ankeby, results_2026):
    response = bob_client.get(url(ankeby))
    assert response.status_code == 200
    assert response.context["layout"].group_name == "Socialförvaltningen"
    assert response.context["layout"].respondents == 13


def test_a_unit_admin_cannot_open_a_sibling_unit(bob_client, ankeby, education, results_2026):
    assert bob_client.get(url(ankeby, unit=education.pk)).status_code == 404


def test_a_key_user_can_drill_down_into_a_unit(alice_client, ankeby, elder_care, results_2026):
    response = alice_client.get(url(ankeby, unit=elder_care.pk))
    assert response.status_code == 200
    assert response.context["layout"].group_name == "Äldreomsorg"
    assert response.context["layout"].respondents == 7


def test_a_hidden_unit_shows_no_figure(alice_client, ankeby, education, results_2026):
    response = alice_client.get(url(ankeby, unit=education.pk))
    assert response.status_code == 200
    assert response.context["layout"].respondents is None
    assert all(r.figure is None for r in response.context["view"].headline)
    assert "dold" in response.content.decode()


def test_a_viewer_can_read_but_not_post(victor_client, ankeby, results_2026):
    assert victor_client.get(url(ankeby)).status_code == 200
    assert victor_client.post(url(ankeby)).status_code == 405


def test_the_coordinator_can_read_any_organization(nadia_client, ankeby, results_2026):
    assert nadia_client.get(url(ankeby)).status_code == 200


def test_an_outsider_gets_404(charlie_client, ankeby, results_2026):
    assert charlie_client.get(url(ankeby)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, ankeby, results_2026):
    response = client.get(url(ankeby))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_year_that_is_not_a_year_is_a_clear_error(alice_client, ankeby, results_2026):
    response = alice_client.get(url(ankeby, year="tjugo"))
    assert response.status_code == 400
    assert "är inte ett år" in response.content.decode()


def test_a_year_without_results_says_so(alice_client, ankeby, results_2026):
    response = alice_client.get(url(ankeby, year=2019))
    assert response.status_code == 404
    assert "2019" in response.content.decode()


def test_an_organization_without_results_says_none_yet(alice_client, ankeby):
    response = alice_client.get(url(ankeby))
    assert response.status_code == 200
    assert "inga resultat" in response.content.decode().lower()


def test_an_earlier_year_can_be_chosen(alice_client, ankeby, results_2025, results_2026):
    response = alice_client.get(url(ankeby, year=2025))
    assert response.status_code == 200
    assert response.context["layout"].year == 2025
    assert response.context["layout"].year_choices == (2025, 2026)


@pytest.mark.parametrize("peers_count", [0, 8])
def test_the_number_of_queries_does_not_grow_with_the_number_of_organizations(
    alice_client, ankeby, results_2026, django_assert_num_queries, peers_count
):
    from mognad.results.tests.factories import peer_organizations

    peer_organizations(peers_count, respondents=5)
    with django_assert_num_queries(QUERIES):
        alice_client.get(url(ankeby))


# 8 = 6 + the roster changes after opening, listed on the overview (surveys/insiders.py) + the
# peer group's and the national average in the matrix (+1 for the path, with earlier years).
QUERIES = 8


def test_the_matrix_shows_the_path_over_the_years_and_the_peer_and_national_averages(
    alice_client, ankeby, results_2025, benchmarks, django_assert_num_queries
):
    from mognad.results.models import Benchmark, PeerGroup

    with django_assert_num_queries(QUERIES + 1):
        response = alice_client.get(url(ankeby, year=2026))
    spec = response.context["view"].matrix_chart
    layers = {json.dumps(layer.get("mark")): layer for layer in _all_layers(spec)}
    years = [
        row["year"]
        for layer in layers.values()
        for row in layer.get("data", {}).get("values", [])
        if row.get("year")
    ]
    assert set(years) == {2025}
    markers = next(
        layer["data"]["values"]
        for layer in _all_layers(spec)
        if layer.get("encoding", {}).get("shape")
    )
    by_series = {m["series"]: (m["x"], m["y"]) for m in markers}
    assert set(by_series) == {"Ankeby kommun", "Organisationsslag: Kommun", "Riksgenomsnitt"}
    national = {
        b.node_id: b.mean
        for b in Benchmark.objects.filter(year=2026, peer_group=PeerGroup.ALL, node="dimension")
    }
    assert by_series["Riksgenomsnitt"] == (national["capability"], national["legacy"])
    # The legend names every marker; the figures in it are the benchmarks the door released.
    assert markers[-1]["series"] == "Ankeby kommun"


def test_the_matrix_leaves_out_an_average_the_door_did_not_release(
    alice_client, ankeby, results_2026
):
    spec = alice_client.get(url(ankeby)).context["view"].matrix_chart
    markers = next(
        layer["data"]["values"]
        for layer in _all_layers(spec)
        if layer.get("encoding", {}).get("shape")
    )
    assert [m["series"] for m in markers] == ["Ankeby kommun"]


def _all_layers(spec):
    for layer in spec.get("layer", []):
        yield layer
        yield from _all_layers(layer)


def test_it_names_the_maturity_type_never_an_organization_type(alice_client, ankeby, results_2026):
    text = alice_client.get(url(ankeby)).content.decode()
    assert "Mognadstyp" in text and "rganisationstyp" not in text
