"""An open-link answer continues on any device (issue 13): every page shows a continue link that
gives another browser the same answers; a wrong or foreign code gets the friendly page."""

import re

import pytest
from django.test import Client

from mognad.surveys import actions, tokens
from mognad.surveys.models import Answer, Response
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of
from mognad.tests.hostile import assert_nothing_written, row_counts

CONTINUE = re.compile(r'id="continue-link"[^>]*value="http://testserver(/o/[^"]+/resume/[^"]+/)"')


@pytest.fixture
def opened(ankeby):
    measurement = make_measurement(ankeby, invitation_mode="both")
    make_respondent(measurement, "sara@ankeby.se")
    return actions.open_measurement(measurement, by=None)


@pytest.fixture
def link(opened):
    return f"/o/{actions.open_link_token(opened)}/"


def _items(client, link, number=1):
    page = client.get(f"{link}{number}/")
    return page, [item["id"] for cap in page.context["capabilities"] for item in cap["items"]]


def _started(link):
    browser = Client()
    browser.post(link)
    page, items = _items(browser, link)
    browser.post(f"{link}1/", {f"item_{items[0]}": "4", "go": "next"})
    return browser, CONTINUE.search(page.content.decode()).group(1), items


def test_the_intro_promises_only_what_the_open_link_does(link):
    html = Client().get(link).content.decode()
    assert "fortsätta senare i den här webbläsaren, eller på en annan enhet" in html
    assert "på vilken enhet som helst" not in html


def test_another_device_continues_the_same_answers(link):
    _first, continue_path, items = _started(link)
    other = Client()
    arrived = other.get(continue_path)
    assert arrived.status_code == 302 and arrived["Location"] == link
    assert "Fortsätt svara" in other.get(link).content.decode()
    page, _ = _items(other, link)
    assert page.context["capabilities"][0]["items"][0]["value"] == "4"
    other.post(f"{link}1/", {f"item_{items[0]}": "6", "go": "next"})
    assert Response.objects.count() == 1
    assert Answer.objects.get().value == 6


@pytest.mark.parametrize("code", ["x", "A" * 43, "!" * 43, "a" * 200])
def test_a_wrong_code_gets_the_friendly_page_and_changes_nothing(link, code):
    _started(link)
    before = row_counts()
    page = Client().get(f"{link}resume/{code}/")
    assert page.status_code == 404
    assert "mognad_open_" not in page.cookies
    assert_nothing_written(before, ignore=("platform.RateLimitCounter",))


def test_a_code_of_another_measurement_does_not_open_this_one(bebyholm, link):
    other = make_measurement(bebyholm, invitation_mode="open_link")
    other_link = f"/o/{actions.open_link_token(actions.open_measurement(other, by=None))}/"
    _first, continue_path, _ = _started(other_link)
    code = continue_path.rstrip("/").rsplit("/", 1)[1]
    assert Client().get(f"{link}resume/{code}/").status_code == 404


def test_personal_links_have_no_continue_link_and_no_resume(opened):
    sara = opened.respondents.get()
    link = f"/r/{token_of(sara)}/"
    browser = Client()
    browser.post(link)
    assert "continue-link" not in browser.get(f"{link}1/").content.decode()
    assert Client().get(f"{link}resume/{tokens.new_browser_id()}/").status_code == 404


def test_after_closing_the_continue_link_is_dead(link, opened):
    _first, continue_path, _ = _started(link)
    actions.close_measurement(opened, by=None)
    assert Client().get(continue_path).status_code == 404
