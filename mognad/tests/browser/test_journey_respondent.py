"""A respondent answers the whole questionnaire with the keyboard alone, on two devices.

The data is built with the real code paths: the standard instrument is published, Ankeby's demo
measurement is opened by `ensure_demo_measurement` (which invites through `actions`), and the
respondent's personal link is the one an invitation email would carry. The person only uses Tab,
the arrow keys, Space and Enter; axe checks every kind of page they reach at 1280 and 360 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from mognad.tests.browser.conftest import WIDTHS, Traffic, tab_to

pytestmark = pytest.mark.browser

DONT_KNOW = "dk"
SKIP = None
# What the respondent chooses on each page, statement by statement (None: left unanswered).
# Page 3 is answered only halfway before the person closes the page; those choices are never saved.
CHOICES = {
    1: ["4", "5", DONT_KNOW, "6", "1", "3"],
    2: ["2", "4", "4", DONT_KNOW, "5", "6"],
    3: ["3", "3", DONT_KNOW, "4", "5"],
    4: ["5", "4", "3", "2", "1"],
    5: ["6", SKIP, "5", DONT_KNOW, SKIP],
    6: ["4", "4", "4", "5", "5", "5"],
}


@pytest.fixture
def personal_link(ankeby) -> str:
    """The path of Anna's personal link in Ankeby's open demo measurement (Swedish, a manager)."""
    from mognad.surveys.demo import ensure_demo_measurement
    from mognad.surveys.tests.factories import standard_instrument

    standard_instrument()
    links = dict(ensure_demo_measurement(ankeby))
    return urlsplit(links["anna.chef@demo.mognad.se"]).path


@pytest.fixture
def new_device(browser: Browser, live_server, traffic: Traffic) -> Iterator[Callable[..., Page]]:
    """`new_device(**options)`: a page in a new, cookie-less browser context (another computer or
    phone; `options` go to Playwright's new_context, e.g. java_script_enabled=False), guarded like
    the harness's `page`: no other origins, no script errors, no CSP violations."""
    contexts: list[BrowserContext] = []

    def open_device(**options: Any) -> Page:
        ctx = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": WIDTHS[1280]},
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            **options,
        )
        ctx.set_default_timeout(10_000)

        def guard(route, request) -> None:
            if traffic.request(request.url):
                route.continue_()
            else:
                route.abort()

        ctx.route("**/*", guard)
        contexts.append(ctx)
        device_page = ctx.new_page()
        device_page.on("console", lambda message: traffic.console(message.type, message.text))
        device_page.on("pageerror", lambda error: traffic.errors.append(f"script error: {error}"))
        return device_page

    yield open_device
    for ctx in contexts:
        ctx.close()


def statement_names(page: Page) -> list[str]:
    """The radio group name of each statement on the page, in reading order."""
    return page.locator("fieldset.statement").evaluate_all(
        "sets => sets.map(set => set.querySelector('input[type=radio]').name)"
    )


def focused_name(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name") or ""


def choose_by_keyboard(page: Page, choices: list[str | None]) -> None:
    """Answer the page's statements in order with Tab, arrow keys and Space.

    Tabbing into a radio group focuses its first option (1); Space checks it, ArrowRight moves to
    and checks the next option, ArrowLeft from the first wraps round to the last one ("Vet ej").
    """
    names = statement_names(page)
    assert len(names) == len(choices), f"the page has {len(names)} statements"
    tab_to(page, f"input[name='{names[0]}'] >> nth=0")
    for index, (name, choice) in enumerate(zip(names, choices, strict=True)):
        assert focused_name(page) == name, f"focus is on {focused_name(page)!r}, not {name!r}"
        if choice == DONT_KNOW:
            page.keyboard.press("ArrowLeft")
        elif choice is not None:
            page.keyboard.press("Space")
            for _ in range(int(choice) - 1):
                page.keyboard.press("ArrowRight")
        if index + 1 < len(names):
            page.keyboard.press("Tab")


def checked_values(page: Page) -> list[str | None]:
    return page.locator("fieldset.statement").evaluate_all(
        "sets => sets.map(set => { const on = set.querySelector('input:checked');"
        " return on ? on.value : null; })"
    )


def press_button(page: Page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def expect_page_number(page: Page, number: int) -> None:
    expect(page).to_have_url(re.compile(rf"/r/[^/]+/{number}/$"))
    expect(page.locator("#progress-label")).to_contain_text(f"Sida {number} av 6")


def answer_and_continue(page: Page, number: int, check_page) -> None:
    expect_page_number(page, number)
    check_page(page, f"journey-respondent-page-{number}")
    choose_by_keyboard(page, CHOICES[number])
    assert checked_values(page) == CHOICES[number]
    press_button(page, "button[name=go][value=next]")


def test_a_respondent_answers_everything_by_keyboard_resumes_on_another_device_and_submits(
    page, new_device, personal_link, check_page
):
    from mognad.instrument.scale import DONT_KNOW as ANSWER_DONT_KNOW
    from mognad.surveys.models import Respondent, Response

    # The invitation link opens the introduction; Enter on "Starta" begins.
    page.goto(personal_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital mognad i Ankeby kommun")
    check_page(page, "journey-respondent-intro")
    press_button(page, "form.survey-start button")

    answer_and_continue(page, 1, check_page)
    answer_and_continue(page, 2, check_page)
    # Halfway through page 3 the person closes the page without saving it.
    expect_page_number(page, 3)
    choose_by_keyboard(page, CHOICES[3][:2] + [SKIP] * (len(CHOICES[3]) - 2))
    page.close()

    # Later, on another device, the same link offers to continue where they left off: page 3,
    # with pages 1 and 2 saved (12 statements) and page 3's unsaved choices gone.
    device = new_device()
    device.goto(personal_link)
    continue_button = device.locator("form.survey-start button")
    expect(continue_button).to_have_text("Fortsätt svara")
    press_button(device, "form.survey-start button")
    expect_page_number(device, 3)
    expect(device.locator(".survey-progress")).to_contain_text("12 av 33 påståenden besvarade")
    assert checked_values(device) == [None] * len(CHOICES[3])

    # Going back shows page 2 as it was answered on the first device.
    press_button(device, "button[name=go][value=back]")
    expect_page_number(device, 2)
    assert checked_values(device) == CHOICES[2]
    press_button(device, "button[name=go][value=next]")

    for number in (3, 4, 5):
        answer_and_continue(device, number, check_page)
    expect_page_number(device, 6)
    check_page(device, "journey-respondent-page-6")
    choose_by_keyboard(device, CHOICES[6])
    press_button(device, "button[name=go][value=next]")

    # The summary names the two statements left unanswered on page 5, with a way back to them.
    expect(device).to_have_url(re.compile(r"/summary/$"))
    main = device.locator("main")
    expect(main).to_contain_text("Du har besvarat 31 av 33 påståenden")
    expect(main).to_contain_text("4 av dem med ”Vet ej”")
    expect(main.get_by_role("heading", level=2)).to_have_text("2 påståenden är obesvarade")
    expect(device.locator("main h3 a")).to_have_count(1)
    expect(device.locator("main h3 a")).to_have_attribute("href", re.compile(r"/5/$"))
    expect(device.locator("main h3 + ul li")).to_have_count(2)
    check_page(device, "journey-respondent-summary")

    press_button(device, "main form button[type=submit]")
    expect(device).to_have_url(re.compile(r"/thanks/$"))
    expect(device.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    check_page(device, "journey-respondent-thanks")

    # What the keyboard chose is exactly what is stored.
    respondent = Respondent.objects.get(email="anna.chef@demo.mognad.se")
    assert respondent.status == Respondent.Status.COMPLETED
    response = Response.objects.get(measurement=respondent.measurement)
    assert response.state == Response.State.SUBMITTED
    chosen = [choice for number in CHOICES for choice in CHOICES[number] if choice is not None]
    stored = sorted(response.answers.values_list("value", flat=True))
    expected = sorted(ANSWER_DONT_KNOW if choice == DONT_KNOW else int(choice) for choice in chosen)
    assert stored == expected

    # The link now only leads to the thank-you page; answers cannot be changed.
    device.goto(personal_link)
    expect(device).to_have_url(re.compile(r"/thanks/$"))


def test_a_mistyped_link_shows_the_friendly_page(page, personal_link, check_page):
    broken = personal_link.rstrip("/")[:-3] + "/"
    response = page.goto(broken)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken kan inte användas")
    check_page(page, "journey-respondent-invalid-link")


def test_a_respondent_switches_the_questionnaire_to_english_and_back_by_keyboard(
    page, personal_link, check_page
):
    page.goto(personal_link)
    press_button(page, "form.survey-start button")
    expect_page_number(page, 1)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Effektivitet")

    press_button(page, "footer button[lang=en]")
    expect(page).to_have_url(re.compile(r"/r/[^/]+/1/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Efficiency")
    expect(page.locator("#progress-label")).to_contain_text("Page 1 of 6")
    first = page.locator("fieldset.statement").first
    expect(first.locator(".scale-label")).to_have_text(
        [
            "Not true at all",
            "Mostly untrue",
            "Somewhat untrue",
            "Somewhat true",
            "Mostly true",
            "Completely true",
            "Don't know",
        ]
    )
    check_page(page, "journey-respondent-page-1-english")

    # The choice sticks while answering: the next page is English too.
    choose_by_keyboard(page, CHOICES[1])
    press_button(page, "button[name=go][value=next]")
    expect(page.locator("#progress-label")).to_contain_text("Page 2 of 6")

    press_button(page, "footer button[lang=sv]")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("#progress-label")).to_contain_text("Sida 2 av 6")
