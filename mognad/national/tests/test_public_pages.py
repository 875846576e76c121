"""The public pages (issue 14): no login, Swedish and English, published releases only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from mognad.national import store
from mognad.national.public import content
from mognad.national.publishing import actions
from mognad.national.tests.factories import Group, measured, organization
from mognad.results.wording import percent

PAGES = [
    "national:public_figures",
    "national:public_organizations",
    "national:method",
    "national:open_data",
    "national:join",
    "instrument:preview",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def published(nadia, year=2026):
    draft = actions.draft_year(year, by=nadia)
    return actions.publish_draft(draft, by=nadia, early=True)


def text(path, language="sv", **params):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(path, params)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_answers_an_anonymous_visitor_before_anything_is_published(
    name, two_years
):
    text(reverse(name))


def test_before_a_release_the_figures_page_says_so_and_shows_no_figure(two_years):
    page = text(reverse("national:public_figures"))
    assert "Inga nationella resultat har publicerats än." in page
    assert "data-chart" not in page and "<table" not in page
    live = store.figures(2026).national.overall.mean
    assert percent(live) not in page


def test_the_figures_page_shows_the_release_and_never_a_later_draft(two_years, nadia):
    release = published(nadia)
    shown = release.figures().national.overall.mean
    newcomer = organization("Ny kommun", county="Alän")
    measured(newcomer, [Group(8, value=6)], year=2026, seed=7)
    draft_mean = store.figures(2026).national.overall.mean
    assert round(draft_mean, 1) != round(shown, 1)
    actions.draft_year(2026, by=nadia)  # an open draft with the different figure
    page = text(reverse("national:public_figures"))
    assert percent(shown) in page
    assert percent(draft_mean) not in page
    assert "version 1" in page
    english = text(reverse("national:public_figures"), "en")
    assert "National figures 2026" in english


def test_the_named_organizations_page_lists_only_those_who_consented(two_years, nadia):
    published(nadia)
    page = text(reverse("national:public_organizations"))
    assert "Kommun 0" in page and "Kommun 1" in page
    for unnamed in ("Kommun 2", "Kommun 3", "Kommun 4", "Kommun 5", "Kommun 6", "Kommun 7"):
        assert unnamed not in page


def test_an_older_year_is_shown_on_request_and_an_unpublished_one_is_404(two_years, nadia):
    published(nadia, 2025)
    published(nadia, 2026)
    assert "Nationella resultat 2025" in text(reverse("national:public_figures"), year="2025")
    assert Client().get(reverse("national:public_figures"), {"year": "2024"}).status_code == 404
    assert Client().get(reverse("national:public_figures"), {"year": "x"}).status_code == 404


def test_the_figures_are_built_once_per_release_and_language(
    two_years, nadia, django_assert_max_num_queries
):
    published(nadia)
    url = reverse("national:public_figures")
    text(url)
    with django_assert_max_num_queries(6):
        text(url)


def test_a_cached_page_builds_nothing_again(two_years, nadia, monkeypatch):
    published(nadia)
    first = {
        name: text(reverse(name))
        for name in ("national:public_figures", "national:public_organizations")
    }

    def refuse(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(content, "sections", refuse)
    monkeypatch.setattr(content, "named", refuse)
    for name, page in first.items():
        again = text(reverse(name))
        assert (
            again.split("<main")[1].split("</main>")[0]
            == page.split("<main")[1].split("</main>")[0]
        )


def test_the_method_page_links_the_scoring_document(two_years):
    page = text(reverse("national:method"))
    assert reverse("national:method_scoring") in page
    response = Client().get(reverse("national:method_scoring"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.startswith(b"# How Mognad scores a measurement")


def test_the_open_data_page_lists_every_release_with_its_files(two_years, nadia):
    assert "Inga öppna data har publicerats än." in text(reverse("national:open_data"))
    first = published(nadia)
    draft = actions.draft_year(2026, by=nadia, note="rättelse")
    actions.publish_draft(draft, by=nadia, errata="Rättad siffra", early=True)
    page = text(reverse("national:open_data"))
    assert "2026, version 1" in page and "2026, version 2" in page
    assert "Rättad siffra" in page
    assert first.licence in page
    for name in ("datapackage.json", "national.csv", "organizations.csv", "README.md"):
        link = f"/api/v1/open-data/2026/1/{name}"
        assert f'href="{link}"' in page
        assert Client().get(link).content == first.file(f"opendata/{name}")


def test_the_front_page_links_every_public_page(client, db):
    page = client.get("/").content.decode()
    for name in [*PAGES, "privacy:accessibility"]:
        assert f'href="{reverse(name)}"' in page, name
