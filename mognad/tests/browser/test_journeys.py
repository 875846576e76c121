"""Journeys a person makes with the keyboard alone, checked with axe on every page they reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mognad.tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-8731"
EMAIL_FIELD = "main form input:is([type=email], [type=text])"
PASSWORD_FIELD = "main form input[type=password]"


@pytest.fixture
def alice_with_password(persona):
    alice = persona("alice")
    alice.set_password(PASSWORD)
    alice.save()
    return alice


def test_a_visitor_switches_to_english_and_back_by_keyboard(page, check_page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    tab_to(page, "footer button[lang=en]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Digital maturity in the public sector")
    check_page(page, "front-page-english")

    tab_to(page, "footer button[lang=sv]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital mognad i offentlig sektor")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_a_key_user_logs_in_by_keyboard_and_opens_the_questionnaire_preview(
    page, alice_with_password, check_page
):
    page.goto("/")
    tab_to(page, "header nav a[href*='login']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(EMAIL_FIELD)).to_have_count(1)

    tab_to(page, EMAIL_FIELD)
    page.keyboard.type(alice_with_password.email)
    # The e-mail comes first (single sign-on routing); Ankeby has none, so the password follows.
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tab_to(page, PASSWORD_FIELD)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("header form[action*='logout'] button")).to_be_visible()

    page.goto("/")
    tab_to(page, "header nav a[href*='instrument']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/instrument/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "instrument-preview-after-login")


def test_a_wrong_password_gets_an_accessible_error_and_no_session(
    page, alice_with_password, check_page
):
    page.goto("/")
    tab_to(page, "header nav a[href*='login']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tab_to(page, EMAIL_FIELD)
    page.keyboard.type(alice_with_password.email)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tab_to(page, PASSWORD_FIELD)
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_be_empty()
    expect(page.locator("header form[action*='logout']")).to_have_count(0)
    # What was typed in the email field is kept, so the person only retypes the password.
    expect(page.locator(EMAIL_FIELD)).to_have_value(alice_with_password.email)
    check_page(page, "login-wrong-password")


def test_an_unknown_address_shows_the_404_page_with_a_way_back(page, check_page):
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    tab_to(page, "main a[href='/']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital mognad i offentlig sektor")
