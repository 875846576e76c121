"""A key user prepares and opens the yearly measurement in the browser.

Alice (key user of Ankeby kommun) creates the measurement, imports respondents from a CSV file
whose bad rows the preview names, uploads a fixed file, previews the questionnaire and the
invitation email, opens the measurement and follows the response rate as a respondent answers.
Axe checks every page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HEADER = "e-post;enhet;roll;språk\n"
GOOD_ROWS = [
    "sara@ankeby.se;Socialförvaltningen;chef;sv",
    "eero@ankeby.se;Socialförvaltningen / Äldreomsorg;medarbetare;en",
    "ulf@ankeby.se;Utbildningsförvaltningen;it;sv",
    "maja@ankeby.se;Utbildningsförvaltningen;strateg;sv",
]
# Line 3 is not an address, line 6 repeats line 2's address.
BAD_FILE = (
    HEADER
    + "\n".join(
        [GOOD_ROWS[0], "inte-en-adress;Socialförvaltningen;chef;sv", *GOOD_ROWS[1:], GOOD_ROWS[0]]
    )
    + "\n"
)
FIXED_FILE = HEADER + "\n".join(GOOD_ROWS) + "\n"


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("CSV- eller Excelfil").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Mätning").get_by_role("link", name=name)


@pytest.fixture
def instrument(transactional_db):
    from mognad.surveys.tests.factories import standard_instrument

    return standard_instrument()


def test_a_key_user_imports_respondents_previews_and_opens_the_measurement(
    page, persona, log_in, instrument, check_page, context
):
    from mognad.surveys.models import Measurement, Respondent

    alice = persona("alice")
    ankeby = alice.memberships.get().organization
    year = timezone.localdate().year
    log_in(page, alice)

    # From the organization page to a new measurement of this year.
    page.goto(f"/orgs/{ankeby.slug}/")
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Mätningar"
    ).click()
    page.get_by_label("År", exact=True).select_option(str(year))
    page.get_by_role("button", name="Skapa mätning").click()
    expect(page.get_by_role("status")).to_contain_text("Mätningen skapades som ett utkast.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mätning {year}")
    measurement = Measurement.objects.get(organization=ankeby, year=year)

    # A file with two bad rows: the preview names each with its line and reason, saves nothing.
    nav_link(page, "Respondenter").click()
    page.get_by_role("link", name="Importera från en fil").click()
    check_page(page, "journey-key-user-import")
    upload(page, "respondenter.csv", BAD_FILE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollera importen")
    expect(page.locator("main .lead")).to_contain_text("4 nya respondenter")
    expect(page.locator("main .lead")).to_contain_text("2 rader med fel")
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("Det här är inte en giltig e-postadress.")
    expect(errors.nth(1)).to_contain_text("7")
    expect(errors.nth(1)).to_contain_text("Adressen finns två gånger i filen (först på rad 2).")
    check_page(page, "journey-key-user-import-preview-with-errors")
    assert not Respondent.objects.filter(measurement=measurement).exists()

    # The fixed file has no errors; confirming imports exactly its rows.
    page.get_by_role("link", name="Ladda upp en annan fil").click()
    upload(page, "respondenter-rättad.csv", FIXED_FILE)
    expect(page.locator("table.import-errors")).to_have_count(0)
    expect(page.locator("main .lead")).to_contain_text("0 rader med fel")
    check_page(page, "journey-key-user-import-preview")
    page.get_by_role("button", name="Importera 4 rader").click()
    expect(page.get_by_role("status")).to_contain_text("4 tillagda, 0 uppdaterade")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    check_page(page, "journey-key-user-respondents")
    assert sorted(
        Respondent.objects.filter(measurement=measurement).values_list("email", flat=True)
    ) == sorted(row.split(";")[0] for row in GOOD_ROWS)

    _preview_the_questionnaire_and_the_emails(page, check_page, measurement)
    _open_and_follow_the_first_answer(page, check_page, context, measurement)


def _preview_the_questionnaire_and_the_emails(page, check_page, measurement):
    # The questionnaire as respondents will see it, page by page, in both languages.
    nav_link(page, "Förhandsgranska enkäten").click()
    expect(page.get_by_role("region", name="Förhandsgranskning")).to_be_visible()
    check_page(page, "journey-key-user-preview-intro")
    preview_pages = page.get_by_role("navigation", name="Sidor i förhandsgranskningen")
    preview_pages.get_by_role("link", name="2", exact=True).click()
    expect(page.locator("fieldset.statement").first).to_be_visible()
    check_page(page, "journey-key-user-preview-page-2")
    preview_pages.get_by_role("link", name="In English").click()
    expect(page.locator("main")).to_contain_text("Don't know")

    # The invitation email, and the reminder.
    page.goto(f"/measurements/{measurement.pk}/")
    nav_link(page, "Förhandsgranska inbjudan").click()
    expect(page.locator(".email-subject")).not_to_be_empty()
    expect(page.locator(".email-text")).to_contain_text("/r/EXAMPLE-LINK-")
    check_page(page, "journey-key-user-invitation-preview")
    page.get_by_role("link", name="Visa påminnelsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsgranska påminnelsen")


def _open_and_follow_the_first_answer(page, check_page, context, measurement):
    from mognad.surveys import actions
    from mognad.surveys.models import Respondent

    # Opening invites everyone; the response rate starts at none of four.
    nav_link(page, "Översikt").click()
    page.get_by_role("link", name="Öppna mätningen").click()
    expect(page.locator("#confirm-facts")).to_contain_text("4 personer får en inbjudan")
    page.get_by_role("button", name="Ja, öppna och skicka inbjudningarna").click()
    expect(page.locator("main .lead")).to_contain_text("0 av 4 inbjudna har svarat färdigt (0 %)")
    check_page(page, "journey-key-user-measurement-open")

    # Sara answers through her personal link in another tab and submits at once.
    sara = Respondent.objects.get(measurement=measurement, email="sara@ankeby.se")
    respondent_tab = context.new_page()
    respondent_tab.goto(urlsplit(actions.link_for(sara)).path)
    respondent_tab.get_by_role("button", name="Börja").click()
    respondent_tab.goto(re.sub(r"/\d+/$", "/summary/", respondent_tab.url))
    respondent_tab.get_by_role("button", name="Skicka in mina svar").click()
    expect(respondent_tab.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    respondent_tab.close()

    page.reload()
    expect(page.locator("main .lead")).to_contain_text("1 av 4 inbjudna har svarat färdigt (25 %)")
    by_unit = page.get_by_role("region", name="Per enhet")
    expect(by_unit.get_by_role("row", name=re.compile("^Socialförvaltningen"))).to_contain_text(
        "100 %"
    )
    check_page(page, "journey-key-user-response-rate")


def test_a_file_that_is_not_a_respondent_list_is_refused_with_a_clear_error(
    page, persona, log_in, instrument, check_page
):
    from mognad.surveys.models import Measurement

    alice = persona("alice")
    ankeby = alice.memberships.get().organization
    measurement = Measurement.objects.create(
        organization=ankeby, year=timezone.localdate().year, instrument=instrument
    )
    log_in(page, alice)
    page.goto(f"/measurements/{measurement.pk}/respondents/import/")
    upload(page, "anteckningar.csv", "namn;telefon\nSara;123\n")
    field = page.get_by_label("CSV- eller Excelfil")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby") or ""
    errors = " ".join(
        page.locator(f"[id='{name}']").inner_text() for name in described.split() if name
    )
    assert "Första raden måste" in errors, errors
    check_page(page, "journey-key-user-import-bad-file")
    assert not measurement.respondents.exists()
