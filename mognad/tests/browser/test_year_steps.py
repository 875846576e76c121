"""The key user's steps that mail people or end links, and damaged spreadsheets (issue 13).

Alice reminds, closes and reopens an open measurement; each step shows a confirmation page with
the recipient counts first (axe at 1280 and 360 px), and Cancel changes nothing. Importing into an
open measurement says how many invitations saving sends; the imported people show as waiting for
their mail. Damaged and oversized Excel files get their error within 2 s and write nothing.
"""

from __future__ import annotations

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def opened(transactional_db, persona):
    from mognad.surveys import actions
    from mognad.surveys.tests.factories import make_measurement, make_respondent

    ankeby = persona("alice").memberships.get().organization
    measurement = make_measurement(ankeby, year=timezone.localdate().year)
    for name in ("sara", "eero", "ulf", "maja"):
        make_respondent(measurement, f"{name}@ankeby.se", role="manager")
    return actions.open_measurement(measurement, by=None)


def _mails(kind: str) -> int:
    from mognad.platform.models import OutboxMessage

    return OutboxMessage.objects.filter(dedupe_key__contains=f":{kind}:").count()


def test_remind_close_and_reopen_are_confirmed_with_their_counts(
    page, persona, log_in, opened, check_page
):
    log_in(page, persona("alice"))
    page.goto(f"/measurements/{opened.pk}/")
    expect(page.locator(".facts")).to_contain_text("Ingen påminnelse har gått ut än.")

    page.get_by_role("link", name="Skicka en påminnelse nu").click()
    facts = page.locator("#confirm-facts")
    expect(facts).to_contain_text("4 personer som inte har svarat klart får en påminnelse")
    expect(facts).to_contain_text("4 av dem fick inbjudan för mindre än ett dygn sedan.")
    check_page(page, "year-confirm-remind")
    page.get_by_role("link", name="Avbryt").click()
    assert _mails("reminder") == 0
    page.get_by_role("link", name="Skicka en påminnelse nu").click()
    page.get_by_role("button", name="Ja, skicka påminnelsen").click()
    expect(page.locator(".facts")).to_contain_text("4 påminnelser väntar i utkorgen.")
    assert _mails("reminder") == 4

    page.get_by_role("link", name="Stäng mätningen").click()
    expect(page.locator("#confirm-facts")).to_contain_text(
        "4 inbjudna personer har inte svarat klart: deras länkar slutar fungera"
    )
    check_page(page, "year-confirm-close")
    page.get_by_role("button", name="Ja, stäng mätningen").click()
    opened.refresh_from_db()
    assert opened.is_closed()

    invitations = _mails("invitation")
    page.get_by_role("link", name="Öppna mätningen igen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppna mätningen igen?")
    expect(page.locator("#confirm-facts")).to_contain_text("4 personer får en inbjudan")
    check_page(page, "year-confirm-reopen")
    page.get_by_role("link", name="Avbryt").click()
    opened.refresh_from_db()
    assert opened.is_closed() and _mails("invitation") == invitations
    page.get_by_role("link", name="Öppna mätningen igen").click()
    page.get_by_role("button", name="Ja, öppna igen och skicka inbjudningarna").click()
    opened.refresh_from_db()
    assert opened.is_open() and _mails("invitation") == invitations + 4


def test_importing_into_an_open_measurement_says_it_sends_invitations(
    page, persona, log_in, opened, check_page
):
    log_in(page, persona("alice"))
    page.goto(f"/measurements/{opened.pk}/respondents/import/")
    csv = "e-post;roll\nny1@ankeby.se;chef\nny2@ankeby.se;medarbetare\n"
    page.get_by_label("CSV- eller Excelfil").set_input_files(
        files=[{"name": "nya.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#import-sends")).to_contain_text(
        "importen skickar 2 inbjudningar via e-post direkt"
    )
    check_page(page, "year-import-sends-invitations")
    assert opened.respondents.count() == 4
    page.get_by_role("button", name="Importera och skicka 2 inbjudningar").click()
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="ny1@ankeby.se")).to_contain_text("Inbjudan väntar på att skickas")
    check_page(page, "year-respondents-invitations-waiting")
    assert _mails("invitation") == 6


def _upload_xlsx(page: Page, data: bytes) -> float:
    """Uploads `data` as an .xlsx and returns the seconds until the next page has loaded."""
    page.get_by_label("CSV- eller Excelfil").set_input_files(
        files=[{"name": "personer.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    started = time.monotonic()
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()
    return time.monotonic() - started


def test_damaged_and_oversized_spreadsheets_get_an_error_within_two_seconds(
    page, persona, log_in, opened, check_page
):
    from mognad.surveys.tests.workbooks import inline_cell, people_rows, sheet_xml, workbook
    from mognad.tests.hostile import assert_nothing_written, row_counts

    log_in(page, persona("alice"))
    url = f"/measurements/{opened.pk}/respondents/import/"
    before = row_counts()
    truncated = sheet_xml(people_rows(30))[:900]
    wide = '<row r="1">' + inline_cell("A1", "email") + "<c><v>1</v></c>" * 1_000_000 + "</row>"
    bad_reference = people_rows(3).replace('r="B2"', 'r="!!2"')
    cases = [
        ("year-import-truncated-sheet", workbook(truncated), "Excelfilen är skadad"),
        ("year-import-bad-reference", workbook(sheet_xml(bad_reference)), "”!!2” på rad 2"),
        ("year-import-huge-row", workbook(sheet_xml(wide)), "Bladet är för stort"),
    ]
    for name, data, message in cases:
        page.goto(url)
        assert _upload_xlsx(page, data) < 2
        field = page.get_by_label("CSV- eller Excelfil")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".field-error")).to_contain_text(message)
        check_page(page, name)
    page.goto(url)
    whole_grid = workbook(sheet_xml(people_rows(150), dimension="A1:XFD1048576"))
    assert _upload_xlsx(page, whole_grid) < 2
    expect(page.locator("main .lead")).to_contain_text("150 nya respondenter")
    assert_nothing_written(before, ignore=("platform.RateLimitCounter", "sessions.Session"))


def test_the_demo_setup_leaves_a_measurement_the_user_closed_closed(
    page, log_in, transactional_db, check_page
):
    """`make run` again once reopened a closed measurement and re-sent its invitations."""
    from mognad.demo.tests.helpers import run_demo_setup
    from mognad.orgs.models import User
    from mognad.platform.models import OutboxMessage
    from mognad.surveys.models import Measurement

    run_demo_setup(2)
    log_in(page, User.objects.get(email="nyckelanvandare@demo.mognad.se"))
    current = Measurement.objects.get(
        organization__slug="ankeby-kommun", year=timezone.localdate().year
    )
    page.goto(f"/measurements/{current.pk}/")
    page.get_by_role("link", name="Stäng mätningen").click()
    page.get_by_role("button", name="Ja, stäng mätningen").click()
    expect(page.locator(".facts")).to_contain_text("Stängd")
    mails = OutboxMessage.objects.count()

    output = run_demo_setup(2)

    page.reload()
    expect(page.locator(".facts")).to_contain_text("Stängd")
    expect(page.get_by_role("link", name="Öppna mätningen igen")).to_be_visible()
    check_page(page, "year-demo-setup-leaves-closed")
    current.refresh_from_db()
    assert current.is_closed() and OutboxMessage.objects.count() == mails
    assert "a closed measurement" in output


def test_a_new_year_is_created_with_last_years_roster_without_those_who_left(
    page, persona, log_in, check_page
):
    from mognad.surveys.models import Measurement
    from mognad.surveys.tests.factories import make_measurement, make_respondent

    alice = persona("alice")
    ankeby = alice.memberships.get().organization
    year = timezone.localdate().year
    last = make_measurement(ankeby, year=year - 1, state=Measurement.State.CLOSED)
    for name, role in (("sara", "manager"), ("eero", "staff"), ("ulf", "it")):
        make_respondent(last, f"{name}@ankeby.se", role=role)
    log_in(page, alice)

    page.goto(f"/measurements/{last.pk}/respondents/")
    page.get_by_role("button", name=re.compile("Markera som slutat.*ulf@ankeby.se")).click()
    expect(page.get_by_role("row", name=re.compile("ulf@ankeby.se"))).to_contain_text("Har slutat")
    check_page(page, "year-roster-marked-left")

    page.goto(f"/orgs/{ankeby.slug}/measurements/")
    copy = page.get_by_label("Respondenter")
    expect(copy).to_have_value(str(last.pk))
    expect(copy.locator("option:checked")).to_have_text(
        f"Kopiera personerna från {year - 1} (2, utan dem som markerats som slutat)"
    )
    check_page(page, "year-new-measurement-copy")
    page.get_by_label("År", exact=True).select_option(str(year))
    page.get_by_role("button", name="Skapa mätning").click()
    expect(page.locator(".messages")).to_contain_text("2 personer kopierades till listan.")
    new = Measurement.objects.get(organization=ankeby, year=year)
    assert sorted(new.respondents.values_list("email", flat=True)) == [
        "eero@ankeby.se",
        "sara@ankeby.se",
    ]
    page.goto(f"/orgs/{ankeby.slug}/measurements/")
    assert [
        o.strip() for o in page.get_by_label("År", exact=True).locator("option").all_inner_texts()
    ] == [str(year + 1)]


def test_the_last_day_to_answer_is_shown_and_the_worker_closes_after_it(
    page, persona, log_in, check_page
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from mognad.surveys import jobs
    from mognad.surveys.tests.factories import make_measurement, make_respondent

    alice = persona("alice")
    ankeby = alice.memberships.get().organization
    today = timezone.localdate()
    last_day = today + dt.timedelta(days=min(10, (dt.date(today.year, 12, 31) - today).days))
    measurement = make_measurement(ankeby, year=today.year, reminder_days="")
    make_respondent(measurement, "sara@ankeby.se", role="manager")
    log_in(page, alice)

    page.goto(f"/measurements/{measurement.pk}/settings/")
    page.get_by_label("Svara senast", exact=True).fill(last_day.isoformat())
    page.get_by_label("Påminnelsedagar före sista svarsdagen").fill("2")
    check_page(page, "year-settings-last-day")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Inställningarna sparades.")
    facts = page.locator(".facts")
    expect(facts).to_contain_text(f"stängs av sig själv när {last_day.day}")
    page.goto(f"/measurements/{measurement.pk}/preview/email/")
    expect(page.locator(".email-text")).to_contain_text(f"Svara senast {last_day.day}")
    check_page(page, "year-invitation-preview-last-day")

    page.goto(f"/measurements/{measurement.pk}/open/")
    page.get_by_role("button", name="Ja, öppna och skicka inbjudningarna").click()
    expect(facts).to_contain_text("Öppen")
    after = dt.datetime.combine(
        last_day + dt.timedelta(days=1), dt.time(0, 5), tzinfo=ZoneInfo("Europe/Stockholm")
    )
    with time_machine.travel(after - dt.timedelta(minutes=10), tick=False):
        jobs.close_at_deadline()
    page.reload()
    expect(facts).to_contain_text("Öppen")
    with time_machine.travel(after, tick=False):
        jobs.close_at_deadline()
    page.reload()
    expect(facts).to_contain_text("Stängd")
    check_page(page, "year-closed-after-last-day")


def test_the_outbox_page_shows_the_invitations_a_key_user_triggered(
    page, persona, log_in, opened, check_page, settings
):
    settings.DEBUG = True  # as under `make run`: key users read their organization's outbox
    log_in(page, persona("alice"))
    page.goto(f"/measurements/{opened.pk}/")
    page.get_by_role("link", name="Se e-posten i utkorgen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utkorg")
    expect(page.locator("main")).to_contain_text("4 e-postmeddelanden")
    first = page.locator("details.outbox-message").filter(has_text="sara@ankeby.se")
    first.locator("summary").click()
    expect(first.locator(".email-text")).to_contain_text("/r/")
    check_page(page, "year-outbox")
    page.get_by_label("Visa").select_option("sent")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("main")).to_contain_text("0 e-postmeddelanden")


def test_an_open_link_respondent_gives_unit_and_role_by_keyboard(page, persona, check_page):
    from mognad.surveys import actions
    from mognad.surveys.models import Response
    from mognad.surveys.tests.factories import make_measurement

    ankeby = persona("alice").memberships.get().organization
    unit = ankeby.units.order_by("path").first()
    measurement = make_measurement(
        ankeby, year=timezone.localdate().year, invitation_mode="open_link"
    )
    measurement = actions.open_measurement(measurement, by=None)
    page.goto(f"/o/{actions.open_link_token(measurement)}/")
    expect(page.get_by_role("group", name="Om dig (valfritt)")).to_be_visible()
    check_page(page, "year-open-link-intro")
    page.get_by_label("Din enhet").select_option(str(unit.pk))
    page.get_by_label("Din roll").select_option("it")
    page.get_by_role("button", name="Börja").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/o/[^/]+/1/$"))
    response = Response.objects.get(measurement=measurement)
    assert (response.unit_id, response.role) == (unit.pk, "it")


def test_an_open_link_answer_continues_on_another_device(
    page, browser, live_server, persona, check_page
):
    from mognad.surveys import actions
    from mognad.surveys.models import Response
    from mognad.surveys.tests.factories import make_measurement

    ankeby = persona("alice").memberships.get().organization
    measurement = make_measurement(
        ankeby, year=timezone.localdate().year, invitation_mode="open_link"
    )
    measurement = actions.open_measurement(measurement, by=None)
    page.goto(f"/o/{actions.open_link_token(measurement)}/")
    page.get_by_role("button", name="Börja").click()
    page.locator("input[type=radio][value='5']").first.check()
    page.get_by_text("Fortsätt på en annan enhet").click()
    continue_link = page.get_by_label("Din länk för att fortsätta").input_value()
    check_page(page, "year-open-link-continue-link")
    page.get_by_role("button", name="Spara och fortsätt").click()

    other = browser.new_context(base_url=live_server.url)
    try:
        phone = other.new_page()
        phone.goto(continue_link)
        expect(phone.get_by_role("button", name="Fortsätt svara")).to_be_visible()
        phone.get_by_role("button", name="Fortsätt svara").click()
        phone.goto(re.sub(r"/\d+/$", "/1/", phone.url))
        expect(phone.locator("input[type=radio][value='5']").first).to_be_checked()
    finally:
        other.close()
    assert Response.objects.filter(measurement=measurement).count() == 1


def test_the_invitation_editor_is_previewed_in_both_languages(page, persona, log_in, check_page):
    from mognad.surveys.tests.factories import make_measurement

    alice = persona("alice")
    ankeby = alice.memberships.get().organization
    measurement = make_measurement(ankeby, year=timezone.localdate().year)
    log_in(page, alice)
    page.goto(f"/measurements/{measurement.pk}/settings/")
    page.get_by_label("Avsändarnamn").fill("Ankeby kommun, digitaliseringsenheten")
    page.get_by_label("Svarsadress").fill("digital@ankeby.se")
    page.get_by_label("Kontaktperson").fill("Anna Berg, 010-123 45 67")
    page.get_by_label("Inbjudningstext (svenska)").fill("Hej från kommundirektören!")
    page.get_by_label("Inbjudningstext (engelska)").fill("Greetings from the chief executive!")
    check_page(page, "year-invitation-editor")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Inställningarna sparades.")

    page.goto(f"/measurements/{measurement.pk}/preview/email/")
    expect(page.locator(".email-from")).to_contain_text("Ankeby kommun, digitaliseringsenheten")
    expect(page.locator(".email-text")).to_contain_text("Hej från kommundirektören!")
    expect(page.locator(".email-text")).to_contain_text("Kontakta Anna Berg, 010-123 45 67.")
    check_page(page, "year-invitation-preview-sv")
    page.get_by_role("link", name="In English").click()
    expect(page.locator(".email-text")).to_contain_text("Greetings from the chief executive!")
    expect(page.locator(".email-text")).to_contain_text("Contact Anna Berg, 010-123 45 67.")
    check_page(page, "year-invitation-preview-en")
