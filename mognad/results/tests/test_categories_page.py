"""Categories and capabilities: spider chart against peers, bars, statements, strongest/weakest."""

from __future__ import annotations

from django.urls import reverse

from mognad.results.tests.helpers import url


def test_it_compares_the_categories_with_the_same_organization_type(
    alice_client, ankeby, benchmarks
):
    response = alice_client.get(url("categories", ankeby))
    assert response.status_code == 200
    view = response.context["view"]
    rows = view.category_rows
    assert len(rows) == 6
    assert all(r.peer is not None and r.score is not None for r in rows)
    assert all(r.peer_count == 7 for r in rows)
    assert view.peer_group == "kind"
    assert len(view.strengths) == 3
    assert len(view.weaknesses) == 3
    assert len(view.gaps) == 3
    assert view.spider_chart["layer"]
    assert len(view.capability_rows) == 33
    assert all(sum(r.shares) in range(97, 104) for r in view.item_rows if r.shares)


def test_a_peer_group_of_fewer_than_5_organizations_is_not_shown(
    alice_client, ankeby, results_2026, peers
):
    from mognad.results.benchmarks import compute_benchmarks

    for org in peers[3:]:
        org.kind = "region"
        org.save()
    compute_benchmarks(2026)
    response = alice_client.get(url("categories", ankeby))
    assert response.status_code == 200
    assert not response.context["view"].peer_available
    assert all(r.peer is None for r in response.context["view"].category_rows)


def test_an_unknown_peer_group_is_a_clear_error(alice_client, ankeby, benchmarks):
    response = alice_client.get(url("categories", ankeby, peer="neighbours"))
    assert response.status_code == 400
    assert 'aria-describedby="peer-error"' in response.content.decode()


def test_a_unit_admin_sees_their_unit_against_the_peers(bob_client, ankeby, benchmarks):
    response = bob_client.get(url("categories", ankeby))
    assert response.status_code == 200
    assert response.context["layout"].group_name == "Socialförvaltningen"


def test_a_hidden_unit_shows_its_figures_as_hidden(alice_client, ankeby, benchmarks, education):
    # Utbildningsförvaltningen has 3 respondents: no figure and no agreement index is shown.
    response = alice_client.get(url("categories", ankeby, unit=education.pk))
    assert response.status_code == 200
    rows = response.context["view"].category_rows
    assert all(r.figure is None and r.agreement is None for r in rows)
    assert "dold" in response.content.decode()


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("categories", ankeby)).status_code == 404
    response = client.get(url("categories", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_viewer_reads_it(victor_client, ankeby, results_2026):
    assert victor_client.get(url("categories", ankeby)).status_code == 200
    assert victor_client.post(url("categories", ankeby)).status_code == 405


def test_the_query_count_is_fixed(alice_client, ankeby, benchmarks, django_assert_num_queries):
    with django_assert_num_queries(7):
        alice_client.get(url("categories", ankeby))


def test_a_municipality_group_is_named_not_only_coded(ankeby):
    from django.utils import translation

    from mognad.results.models import PeerGroup
    from mognad.results.pages.categories import peer_label
    from mognad.results.wording import municipality_group_name, municipality_group_names

    with translation.override("sv"):
        assert peer_label(ankeby, PeerGroup.MUNICIPALITY_GROUP, "B4") == (
            "Kommungrupp: B4 Pendlingskommun nära större stad"
        )
        assert municipality_group_name("a2") == "A2 Pendlingskommun nära storstad"
        assert municipality_group_name("Z9") == "Z9"  # unknown: as it is
        assert len(municipality_group_names()) == 9
    with translation.override("en"):
        assert municipality_group_name("C8") == "C8 Rural municipality"
