"""The privacy notices for respondents and administrators, in Swedish and English."""

import pytest

from mognad.privacy.models import PrivacySettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return PrivacySettings.objects.create(
        operator_name="Myndigheten för digital förvaltning",
        contact_email="dataskydd@digg.example",
        dpo_name="Dana Dataskydd",
        dpo_email="dso@digg.example",
        legal_basis_sv="Allmänt intresse enligt artikel 6.1 e.",
        legal_basis_en="Public interest under Article 6(1)(e).",
        extra_text_sv="Vi sparar data i Sverige.",
    )


def _english(client):
    client.cookies["mognad_language"] = "en"
    return client


def test_the_index_links_to_both_notices_and_the_cookie_settings(client):
    html = client.get("/privacy/").content.decode()
    for link in ["/privacy/respondents/", "/privacy/administrators/", "/cookies/"]:
        assert f'href="{link}"' in html
    assert "/privacy/settings/" not in html


def test_the_index_shows_the_coordinator_their_tools(nadia_client):
    html = nadia_client.get("/privacy/").content.decode()
    assert 'href="/privacy/settings/"' in html and 'href="/privacy/diagnostics/"' in html


def test_the_respondent_notice_in_swedish_says_what_is_stored_why_and_for_how_long(client):
    html = client.get("/privacy/respondents/").content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Integritetsmeddelande för svarande</h1>" in html
    for stored in ["e-postadress", "enhet", "roll", "språk", "svar"]:
        assert stored in html
    assert "Din e-postadress raderas 90 dagar efter att mätningen har stängts." in html
    assert "minst 5 svarande" in html
    assert "Integritetsskyddsmyndigheten" in html


def test_the_respondent_notice_is_complete_in_english(client):
    html = _english(client).get("/privacy/respondents/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Privacy notice for respondents</h1>" in html
    assert "Your email address is deleted 90 days after the measurement closes." in html
    assert "Your rights" in html and "Legal basis" in html


def test_the_retention_period_comes_from_the_setting(client, settings):
    settings.RESPONDENT_RETENTION_DAYS = 1
    html = client.get("/privacy/respondents/").content.decode()
    assert "Din e-postadress raderas 1 dag efter att mätningen har stängts." in html


def test_until_the_operator_is_filled_in_the_notices_say_the_information_is_missing(client):
    respondents = client.get("/privacy/respondents/").content.decode()
    assert respondents.count("Uppgift saknas – kontakta den organisation som bjöd in dig.") >= 3
    administrators = client.get("/privacy/administrators/").content.decode()
    assert administrators.count("Uppgift saknas – kontakta den nationella samordnaren.") >= 3


def test_the_operators_details_and_legal_basis_are_shown_in_the_visitors_language(client, operator):
    html = client.get("/privacy/respondents/").content.decode()
    assert "Mognad drivs av Myndigheten för digital förvaltning." in html
    assert 'href="mailto:dataskydd@digg.example"' in html
    assert "Dana Dataskydd" in html and 'href="mailto:dso@digg.example"' in html
    assert "Allmänt intresse enligt artikel 6.1 e." in html
    assert "Vi sparar data i Sverige." in html
    assert "Uppgift saknas" not in html

    english = _english(client).get("/privacy/respondents/").content.decode()
    assert "Public interest under Article 6(1)(e)." in english
    assert "Allmänt intresse" not in english


def test_text_missing_in_english_falls_back_to_swedish_marked_as_swedish(client, operator):
    html = _english(client).get("/privacy/administrators/").content.decode()
    assert '<div lang="sv"><p>Vi sparar data i Sverige.</p></div>' in html


def test_operator_text_is_shown_as_text_never_as_html(client, operator):
    operator.legal_basis_sv = '<script src="/x.js"></script>'
    operator.save()
    html = client.get("/privacy/respondents/").content.decode()
    assert '<script src="/x.js">' not in html
    assert "&lt;script" in html


def test_the_administrator_notice_in_swedish_and_english(client):
    html = client.get("/privacy/administrators/").content.decode()
    assert "<h1>Integritetsmeddelande för administratörer</h1>" in html
    assert "granskningsloggen" in html.lower()
    english = _english(client).get("/privacy/administrators/").content.decode()
    assert "<h1>Privacy notice for administrators</h1>" in english
    assert "The audit log" in english


@pytest.mark.parametrize("path", ["/privacy/", "/privacy/respondents/", "/privacy/administrators/"])
def test_the_notices_are_public_and_only_answer_get(client, path):
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 405
