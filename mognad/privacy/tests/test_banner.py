"""The consent banner: on every page until a choice is made, two equal choices, no JavaScript."""

import pytest

from mognad.privacy import consent
from mognad.privacy.tests.helpers import Elements, choose

pytestmark = pytest.mark.django_db

BANNER = 'class="consent-banner"'


def test_it_is_shown_on_a_first_visit_in_swedish(client):
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "Kakor på Mognad" in html
    assert "Endast nödvändiga" in html and "Tillåt diagnostik" in html


def test_it_is_shown_in_english_to_a_visitor_who_chose_english(client):
    client.cookies["mognad_language"] = "en"
    html = client.get("/").content.decode()
    assert "Cookies on Mognad" in html
    assert "Only necessary" in html and "Allow diagnostics" in html


def test_it_is_a_labelled_region_with_a_heading_and_a_plain_post_form(client):
    page = Elements(client.get("/").content.decode())
    [(tag, section)] = page.where(**{"class": "consent-banner"})
    assert tag == "section"
    [(heading, _)] = page.where(id=section["aria-labelledby"])
    assert heading == "h2"
    [(_, form)] = page.where(**{"class": "consent-form"})
    assert form["method"] == "post" and form["action"] == "/cookies/"
    assert page.where(name="csrfmiddlewaretoken")
    assert page.where(name="next", value="/")


def test_both_choices_are_equally_prominent(client):
    page = Elements(client.get("/").content.decode())
    buttons = [(tag, attrs) for tag, attrs in page.found if attrs.get("name") == "choice"]
    assert [attrs["value"] for _, attrs in buttons] == ["necessary", "diagnostics"]
    (tag_a, a), (tag_b, b) = buttons
    assert tag_a == tag_b == "button"
    assert a["class"] == b["class"] == "button consent-choice"
    assert a["type"] == b["type"] == "submit"


def test_it_links_to_the_cookie_settings_page(client):
    html = client.get("/").content.decode()
    assert 'href="/cookies/">Läs mer om kakor och ändra ditt val</a>' in html


@pytest.mark.parametrize("choice", ["necessary", "diagnostics"])
def test_it_is_gone_after_either_choice_posted_without_javascript(client, choice):
    response = client.post("/cookies/", {"choice": choice, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert BANNER not in client.get("/").content.decode()


def test_it_is_shown_on_error_pages_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert BANNER in response.content.decode()


def test_it_is_not_shown_after_a_choice_even_to_a_logged_in_user(alice_client):
    choose(alice_client, "necessary")
    assert BANNER not in alice_client.get("/").content.decode()


def test_it_asks_again_when_the_choice_was_made_for_an_older_cookie_text(client):
    client.cookies[consent.COOKIE_NAME] = "diagnostics:0"
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "privacy/diagnostics.js" not in html


def test_a_forged_consent_cookie_counts_as_no_choice(client):
    client.cookies[consent.COOKIE_NAME] = f"everything:{consent.TEXT_VERSION}"
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "privacy/diagnostics.js" not in html


def test_it_is_not_repeated_on_the_cookie_settings_page_which_offers_the_same_choice(client):
    html = client.get("/cookies/").content.decode()
    assert BANNER not in html
    assert html.count('name="choice"') == 2
