"""The cookie settings page (/cookies/): explains each cookie, records and changes the choice."""

import pytest

from mognad.privacy import consent
from mognad.privacy.models import ConsentRecord
from mognad.privacy.tests.helpers import choose
from mognad.privacy.views import notices

pytestmark = pytest.mark.django_db


def test_it_explains_every_cookie_with_purpose_and_lifetime(client):
    html = client.get("/cookies/").content.decode()
    for name in ["mognad_session", "mognad_csrf", "mognad_language", "mognad_consent"]:
        assert f"<code>{name}</code>" in html
    assert "<code>mognad_diagnostics</code>" in html
    assert "Nödvändiga kakor" in html and "Diagnostik (valfritt)" in html
    assert "365 dagar" in html  # the consent and language cookies
    assert (
        "12 timmar efter inloggningen, 8 timmar efter ditt senaste besök, eller tills du loggar ut"
        in html
    )  # the session
    assert "raderas efter 30 dagar" in html  # the diagnostics totals


def test_it_is_complete_in_english(client):
    client.cookies["mognad_language"] = "en"
    html = client.get("/cookies/").content.decode()
    assert '<html lang="en">' in html
    assert "Necessary cookies" in html and "Diagnostics (optional)" in html
    assert "You have not made a choice yet, so only necessary cookies are used." in html


@pytest.mark.parametrize("choice", ["necessary", "diagnostics"])
def test_a_choice_sets_a_year_long_httponly_lax_cookie_with_the_text_version(client, choice):
    response = client.post("/cookies/", {"choice": choice})
    cookie = response.cookies[consent.COOKIE_NAME]
    assert cookie.value == f"{choice}:{consent.TEXT_VERSION}"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_choice_is_recorded_with_its_text_version(client):
    client.post("/cookies/", {"choice": "diagnostics"})
    [record] = ConsentRecord.objects.all()
    assert (record.choice, record.text_version) == ("diagnostics", consent.TEXT_VERSION)


def test_a_choice_made_on_the_settings_page_returns_there_with_a_confirmation(client):
    response = client.post("/cookies/", {"choice": "necessary"}, follow=True)
    assert response.redirect_chain == [("/cookies/?saved=1", 302)]
    html = response.content.decode()
    assert "Ditt val har sparats." in html
    assert "Du har valt endast nödvändiga kakor." in html


def test_it_returns_to_the_page_the_banner_was_on(client):
    response = client.post("/cookies/", {"choice": "necessary", "next": "/privacy/?x=1"})
    assert response["Location"] == "/privacy/?x=1"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_it_never_redirects_to_another_site(client, target):
    response = client.post("/cookies/", {"choice": "necessary", "next": target})
    assert response["Location"] == "/cookies/?saved=1"


@pytest.mark.parametrize("data", [{}, {"choice": "everything"}, {"choice": ""}])
def test_a_missing_or_unknown_choice_is_refused_clearly_and_changes_nothing(client, data):
    response = client.post("/cookies/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert (
        "Välj vilka kakor du tillåter." in html
        or "Välj antingen endast nödvändiga kakor eller även diagnostik." in html
    )
    assert consent.COOKIE_NAME not in response.cookies
    assert not ConsentRecord.objects.exists()


def test_withdrawing_sets_necessary_and_deletes_the_diagnostics_cookie(client):
    choose(client, "diagnostics")
    client.cookies[consent.DIAGNOSTICS_COOKIE_NAME] = "2026-03-02"
    assert "privacy/diagnostics.js" in client.get("/cookies/").content.decode()

    response = client.post("/cookies/", {"choice": "necessary"})

    assert response.cookies[consent.COOKIE_NAME].value == f"necessary:{consent.TEXT_VERSION}"
    deleted = response.cookies[consent.DIAGNOSTICS_COOKIE_NAME]
    assert deleted.value == "" and deleted["max-age"] == 0
    html = client.get("/cookies/").content.decode()
    assert "privacy/diagnostics.js" not in html
    assert "Du har valt endast nödvändiga kakor." in html
    assert [r.choice for r in ConsentRecord.objects.all()] == ["necessary"]


def test_the_page_shows_the_current_choice(client):
    choose(client, "diagnostics")
    assert "Du har tillåtit diagnostik." in client.get("/cookies/").content.decode()


def test_every_page_links_to_the_cookie_settings_from_its_footer(client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/cookies/">Cookie-inställningar</a>' in footer
    assert '<a href="/privacy/">Integritet</a>' in footer


def test_other_methods_are_refused(client):
    assert client.put("/cookies/").status_code == 405


def test_the_open_link_cookie_of_the_surveys_app_is_described_with_its_real_lifetime(client):
    from mognad.surveys.views import answering

    assert answering.OPEN_COOKIE_AGE == notices.OPEN_LINK_COOKIE_DAYS * 24 * 3600
    assert notices.OPEN_LINK_COOKIE.startswith("mognad_open_")
    html = client.get("/cookies/").content.decode()
    assert "<code>mognad_open_&lt;id&gt;</code>" in html
    assert "400 dagar" in html


def test_confirmations_after_a_form_need_no_cookie_of_their_own(client):
    response = client.post("/cookies/", {"choice": "necessary"})
    assert "messages" not in response.cookies
