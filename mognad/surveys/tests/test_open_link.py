"""The open link: anyone with it answers once per browser; counted apart from personal links."""

import pytest
from django.test import Client

from mognad.surveys import actions
from mognad.surveys.models import Answer, Response
from mognad.surveys.tests.factories import make_measurement


@pytest.fixture
def opened(ankeby):
    measurement = make_measurement(ankeby, invitation_mode="open_link")
    return actions.open_measurement(measurement, by=None)


@pytest.fixture
def link(opened):
    return f"/o/{actions.open_link_token(opened)}/"


def _first_item(client, link):
    page = client.get(f"{link}1/")
    return page.context["capabilities"][0]["items"][0]["id"]


def test_a_visitor_answers_once_and_comes_back_to_the_thank_you_page(link, opened):
    browser = Client()
    assert browser.get(link).status_code == 200
    assert browser.post(link)["Location"] == f"{link}1/"
    item = _first_item(browser, link)
    browser.post(f"{link}1/", {f"item_{item}": "5", "go": "next"})
    browser.post(f"{link}summary/")
    assert browser.get(link)["Location"] == f"{link}thanks/"
    response = Response.objects.get()
    assert (response.channel, response.state, response.respondent) == (
        "open_link",
        "submitted",
        None,
    )


def test_each_browser_gets_its_own_response(link):
    for _ in range(3):
        Client().post(link)
    assert Response.objects.filter(channel="open_link").count() == 3


def test_a_page_without_the_browser_cookie_goes_back_to_the_intro(link):
    assert Client().get(f"{link}1/")["Location"] == link


def test_a_save_without_the_browser_cookie_goes_back_to_the_intro_and_saves_nothing(link, opened):
    item = opened.instrument.definition().categories[0].capabilities[0].items[0].id
    saved = Client().post(f"{link}1/", {f"item_{item}": "4", "go": "next"})
    assert saved["Location"] == link
    assert not Answer.objects.exists()


def test_a_forged_browser_cookie_is_ignored(link, opened):
    browser = Client()
    browser.cookies[f"mognad_open_{opened.pk}"] = "forged-value"
    assert browser.get(f"{link}1/")["Location"] == link


def test_the_overview_counts_open_link_answers_separately(alice_client, link, opened):
    Client().post(link)
    rates = alice_client.get(f"/measurements/{opened.pk}/").context["rates"]
    assert (rates.open_link_started, rates.open_link_submitted, rates.total.total) == (1, 0, 0)
    assert alice_client.get(f"/measurements/{opened.pk}/").context["open_link"].endswith(link)


def test_viewers_do_not_see_the_open_link(victor_client, opened):
    assert victor_client.get(f"/measurements/{opened.pk}/").context["open_link"] is None


def test_closing_kills_the_open_link(link, opened):
    actions.close_measurement(opened, by=None)
    assert Client().get(link).status_code == 404


def test_new_answers_through_the_open_link_are_rate_limited_per_address(link):
    statuses = [Client(REMOTE_ADDR="10.1.1.1").post(link).status_code for _ in range(31)]
    assert statuses[:30] == [302] * 30 and statuses[30] == 429
