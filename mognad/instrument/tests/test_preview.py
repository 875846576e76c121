"""The preview page `/instrument/` shows a published version in the active language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad.instrument.actions import publish_instrument
from mognad.instrument.loader import INSTRUMENTS_DIR
from mognad.instrument.tests.factories import minimal_yaml

URL = reverse("instrument:preview")


@pytest.fixture
def standard(db):
    return publish_instrument(INSTRUMENTS_DIR / "standard" / "2026.1.yaml")


def _english(client):
    client.cookies["mognad_language"] = "en"
    return client


def test_it_shows_the_latest_version_in_swedish(alice_client, standard):
    response = alice_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mognad standard, version 2026.1" in page
    assert "Stämmer inte alls" in page
    assert "Vet ej" in page
    assert "I vår organisation är digitala satsningar tydligt kopplade" in page
    assert '<h3 id="dimension-capability">Digital förmåga</h3>' in page
    assert '<h4 id="category-technology">Teknik</h4>' in page
    assert "Föregångare" in page
    assert "Skugg-IT" in page
    assert "In our organization" not in page


def test_it_shows_every_statement_type_and_glossary_term(alice_client, standard):
    page = alice_client.get(URL).content.decode()
    instrument = standard.definition()
    for item in instrument.items:
        assert item.text.sv in page
    for kind in instrument.types:
        assert kind.name.sv in page
        for recommendation in kind.recommendations:
            assert recommendation.sv in page
    for entry in instrument.glossary:
        assert entry.definition.sv in page


def test_it_shows_the_page_in_english_when_english_is_chosen(alice_client, standard):
    page = _english(alice_client).get(URL).content.decode()

    assert "Mognad standard, version 2026.1" in page
    assert "Not true at all" in page
    assert "Don't know" in page or "Don&#x27;t know" in page
    assert "In our organization, digital initiatives are clearly linked" in page
    assert "Digital capability" in page
    assert "Forerunner" in page
    assert "I vår organisation" not in page


def test_a_version_parameter_selects_another_published_version(alice_client, standard, db):
    publish_instrument(
        (INSTRUMENTS_DIR / "standard" / "2026.1.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "2026.1"', 'version: "2026.2"')
        .replace("{sv: Stämmer helt, ", "{sv: Stämmer helt och hållet, ")
    )

    latest = alice_client.get(URL).content.decode()
    older = alice_client.get(URL, {"version": "2026.1"}).content.decode()

    assert "version 2026.2" in latest and "Stämmer helt och hållet" in latest
    assert "version 2026.1" in older and "Stämmer helt och hållet" not in older
    assert '<span aria-current="page">2026.1</span>' in older
    assert '<a href="?version=2026.2">2026.2</a>' in older


def test_an_unknown_version_is_not_found(alice_client, standard):
    assert alice_client.get(URL, {"version": "1999.1"}).status_code == 404
    assert alice_client.get(URL, {"version": "../../etc/passwd"}).status_code == 404


def test_only_the_standard_instrument_is_previewed(alice_client, db):
    publish_instrument(minimal_yaml(slug="tiny", version="2026.1"))
    assert alice_client.get(URL, {"version": "2026.1"}).status_code == 404


def test_it_says_when_nothing_is_published_yet(alice_client, db):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert "Ingen enkät har publicerats än." in response.content.decode()


def test_any_logged_in_admin_may_see_it(charlie_client, standard):
    assert charlie_client.get(URL).status_code == 200


def test_anonymous_visitors_read_the_questionnaire_too(client, standard):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'href="/accounts/login/"' in response.content.decode()  # nothing of an account shown


def test_it_takes_a_fixed_number_of_queries(alice_client, standard, django_assert_max_num_queries):
    alice_client.get(URL)
    with django_assert_max_num_queries(5):
        alice_client.get(URL)
