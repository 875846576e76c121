"""All organizations (Allas resultat): distribution, filters, percentile, own highlighted.

The tab shows a peer group only where the stored peer benchmarks release it (the worker computes
them after results change; the tests call `compute_benchmarks` where the worker would)."""

from __future__ import annotations

from django.urls import reverse

from mognad.results.benchmarks import compute_benchmarks
from mognad.results.tests.factories import peer_organizations
from mognad.results.tests.helpers import url


def test_it_places_the_organization_among_all_others(
    alice_client, ankeby, results_2026, peers, benchmarks
):
    response = alice_client.get(url("all_organizations", ankeby))
    assert response.status_code == 200
    view = response.context["view"]
    assert view.count == 7
    assert view.own is not None
    assert view.percentile is not None and 0 <= view.percentile <= 100
    assert sum(b.count for b in view.bins) == 7
    assert view.chart["layer"]


def test_others_are_anonymous_unless_they_chose_to_be_named(
    alice_client, ankeby, results_2026, peers, benchmarks
):
    response = alice_client.get(url("all_organizations", ankeby))
    named = [r.name for r in response.context["view"].named]
    assert sorted(named) == sorted(["Ankeby kommun", "Peer 1 kommun", "Peer 2 kommun"])
    text = response.content.decode()
    assert "Peer 5 kommun" not in text
    assert response.context["view"].anonymous_count == 4


def test_it_filters_by_organization_type(alice_client, ankeby, results_2026, peers):
    peer_organizations(5, kind="region")
    compute_benchmarks(2026)
    everyone = alice_client.get(url("all_organizations", ankeby)).context["view"].count
    regions = (
        alice_client.get(url("all_organizations", ankeby, kind="region")).context["view"].count
    )
    assert (everyone, regions) == (12, 5)


def test_it_compares_one_category(alice_client, ankeby, results_2026, peers, benchmarks):
    response = alice_client.get(url("all_organizations", ankeby, node="category:efficiency"))
    assert response.status_code == 200
    assert response.context["view"].node == ("category", "efficiency")


def test_fewer_than_5_organizations_are_not_compared(
    alice_client, ankeby, results_2026, peers, benchmarks
):
    response = alice_client.get(url("all_organizations", ankeby, size_class="XL"))
    assert response.status_code == 200
    assert not response.context["view"].enough
    assert response.context["view"].chart is None


def test_an_unknown_figure_or_filter_is_a_clear_error(alice_client, ankeby, results_2026):
    response = alice_client.get(url("all_organizations", ankeby, node="category:nonsense"))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("all_organizations", ankeby)).status_code == 404
    response = client.get(url("all_organizations", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_query_count_does_not_grow_with_the_organizations(
    alice_client, ankeby, results_2026, django_assert_num_queries
):
    peer_organizations(5)
    compute_benchmarks(2026)
    with django_assert_num_queries(QUERIES):
        alice_client.get(url("all_organizations", ankeby))
    peer_organizations(10, year=2026, kind="region")
    compute_benchmarks(2026)
    with django_assert_num_queries(QUERIES):
        alice_client.get(url("all_organizations", ankeby))


QUERIES = 9  # the benchmark rows that say which peer groups the door released


def test_filters_are_not_combined_so_two_views_cannot_be_subtracted(
    alice_client, ankeby, results_2026, peers, benchmarks
):
    response = alice_client.get(
        url("all_organizations", ankeby, kind="municipality", size_class="M")
    )
    view = response.context["view"]
    assert (view.enough, view.mean, view.bins, view.named) == (False, None, (), ())
    assert "at most one filter" in view.summary or "högst ett filter" in view.summary


def test_a_group_with_one_or_two_unnamed_organizations_is_not_compared(
    alice_client, ankeby, results_2026
):
    # Four named peers and one unnamed: six organizations, but without the named ones the mean
    # would be the sum of Ankeby's and the unnamed peer's – and Alice knows Ankeby's.
    peer_organizations(5, named=4)
    compute_benchmarks(2026)
    view = alice_client.get(url("all_organizations", ankeby)).context["view"]
    assert view.count == 0 and view.mean is None and not view.enough
    peer_organizations(2, named=0, kind="region")
    compute_benchmarks(2026)
    view = alice_client.get(url("all_organizations", ankeby)).context["view"]
    assert view.enough and view.count == 8  # four unnamed now


def test_no_benchmarks_yet_no_comparison(alice_client, ankeby, results_2026, peers):
    # Until the worker has computed the year's benchmarks the door has decided nothing to show.
    view = alice_client.get(url("all_organizations", ankeby)).context["view"]
    assert (view.enough, view.mean, view.bins) == (False, None, ())


def _scores(monkeypatch, ankeby, own: float, others: list[tuple[str, float, bool]]) -> None:
    """The organizations the tab compares, with chosen scores (the door still decides the group)."""
    from mognad.results import queries

    def scores(measurement, kind, node_id):
        rows = [queries.PeerScore(ankeby.pk, ankeby.name, False, own, None, None)]
        rows += [
            queries.PeerScore(10_000 + i, name, named, score, None, None)
            for i, (name, score, named) in enumerate(others)
        ]
        return rows

    monkeypatch.setattr(queries, "peer_scores", scores)


def test_the_average_and_percentile_are_rounded_once_half_up_like_every_page(
    alice_client, ankeby, results_2026, peers, benchmarks, monkeypatch
):
    # Nine organizations averaging exactly 76.5 %, and one of the eight others below Ankeby
    # (12.5 %): Python's round() gives 76 and 12 (half to even), the one rounding 77 and 13.
    own = alice_client.get(url("all_organizations", ankeby)).context["view"].own.score
    assert 0.0 < own < 98.0
    _scores(monkeypatch, ankeby, 2.5, [("Låg", 0.0, False)] + [("Hög", 98.0, False)] * 7)
    response = alice_client.get(url("all_organizations", ankeby))
    view = response.context["view"]
    assert (view.count, view.mean, view.percentile) == (9, 76.5, 13)
    summary = view.summary.replace("\u00a0", " ")
    assert "högre än 13 % av de 9" in summary and "medelvärde är 77 %" in summary
    text = response.content.decode().replace("\u00a0", " ")
    assert "<dd>77 %</dd>" in text and "Högre än 13 % av de andra" in text


def test_named_scores_are_written_from_the_unrounded_score(
    alice_client, ankeby, results_2026, peers, benchmarks, monkeypatch
):
    # 38.45 is 38 %; rounding it to 38.5 first made it 39 %.
    others = [("Namnsta kommun", 38.45, True)] + [("Annan", 50.0 + i, False) for i in range(6)]
    _scores(monkeypatch, ankeby, 60.0, others)
    response = alice_client.get(url("all_organizations", ankeby))
    named = {r.name: r.score for r in response.context["view"].named}
    assert named["Namnsta kommun"] == 38.45
    assert "Namnsta kommun</th><td>38\u00a0%</td>" in response.content.decode()


def test_the_municipality_group_filter_names_the_groups(alice_client, ankeby, results_2026):
    from mognad.orgs.models import Organization

    Organization.objects.filter(pk=ankeby.pk).update(municipality_group="B4")
    peer_organizations(1)
    Organization.objects.filter(name="Peer 1 kommun").update(municipality_group="C9")
    response = alice_client.get(url("all_organizations", ankeby))
    choices = dict(response.context["form"].fields["municipality_group"].choices)
    assert choices["B4"] == "B4 Pendlingskommun nära större stad"
    assert choices["C9"] == "C9 Landsbygdskommun med besöksnäring"
    text = response.content.decode()
    assert '<option value="B4">B4 Pendlingskommun nära större stad</option>' in text
    assert '<option value="C9">C9 Landsbygdskommun med besöksnäring</option>' in text
