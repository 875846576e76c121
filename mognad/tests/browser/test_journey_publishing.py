"""The coordinator publishes a year in a real browser: draft → the key user sees their row and
flags an error → a corrected draft → publish → the open data (download and API) shows the release;
a second release keeps the first one downloadable. axe at 1280 and 360 px on every page."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from mognad.tests.browser.test_journey_respondent import new_device  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

SLOW = 120_000  # a draft freezes the whole year (report included): seconds on a busy machine


@pytest.fixture
def two_years(transactional_db, settings):
    from mognad.national.tests.factories import build_two_years

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    return build_two_years()


@pytest.fixture
def kim(two_years):
    """Key user of Kommun 0, which agreed to be named."""
    from mognad.test import make_member, make_user

    user = make_user("kim@kommun0.se", name="Kim Nyckel")
    make_member(user, two_years[0])
    return user


def make_draft(page: Page, note: str = "") -> None:
    page.goto("/national/publishing/")
    page.get_by_label("År", exact=True).select_option("2026")
    page.get_by_label("Rättelsefönster (dagar)").fill("14")
    if note:
        page.get_by_label("Vad utkastet rättar (frivilligt)").fill(note)
    page.get_by_role("button", name="Gör ett utkast").click(timeout=SLOW)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^2026, utkast \d$"), timeout=SLOW
    )


def publish(page: Page, errata: str = "") -> None:
    if errata:
        page.get_by_label("Rättelsenotis (vad som ändrats sedan förra versionen)").fill(errata)
    page.get_by_label("Publicera innan rättelsefönstret tar slut").check()
    page.get_by_role("button", name="Publicera utkastet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicering")


def download(page: Page, link: str, tmp_path: Path) -> bytes:
    with page.expect_download(timeout=SLOW) as arrived:
        page.get_by_role("link", name=link).click()
    file = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(file)
    return file.read_bytes()


def review_path() -> str:
    """The review link of the e-mail Kim got when the draft opened."""
    from mognad.platform.models import OutboxMessage

    mail = OutboxMessage.objects.filter(to="kim@kommun0.se").latest("id")
    return urlsplit(re.search(r"https?://\S+/publication/", mail.body_text).group(0)).path


def test_the_coordinator_publishes_a_year_after_a_key_users_correction(
    page,
    new_device,  # noqa: F811 (the fixture imported above)
    persona,
    log_in,
    kim,
    check_page,
    traffic,
    tmp_path,
):
    log_in(page, persona("nadia"))
    page.goto("/national/")
    page.get_by_role("link", name="Publicering").click()
    check_page(page, "publishing-empty")
    make_draft(page)
    expect(page.locator("main")).to_contain_text("Inga anmälda fel.")
    check_page(page, "publishing-draft")

    # The key user follows the e-mail's link, sees the organization's row and flags an error.
    key_user = new_device()
    log_in(key_user, kim)
    key_user.goto(review_path())
    expect(key_user.get_by_role("heading", level=1)).to_have_text("Inför publicering")
    row = key_user.get_by_role("region", name="Er organisations rad")
    expect(row).to_contain_text("Kommun 0")
    expect(row).to_contain_text("overall_score")
    check_page(key_user, "publishing-review")
    key_user.get_by_label("Vad är fel?").fill("Vi hade 16 svarande, inte 14.")
    key_user.get_by_role("button", name="Skicka till den nationella samordnaren").click()
    expect(key_user.locator("main")).to_contain_text("Vi hade 16 svarande, inte 14.")

    # The coordinator sees the flag, makes a corrected draft and publishes it.
    page.reload()
    expect(page.locator("main")).to_contain_text("Vi hade 16 svarande, inte 14.")
    make_draft(page, note="Kommun 0:s svarande kontrollerade.")
    expect(page.get_by_role("heading", level=1)).to_have_text("2026, utkast 2")
    publish(page)
    expect(page.locator("main")).to_contain_text("2026, version 1")
    check_page(page, "publishing-released")
    first = download(page, "Öppna data 2026 v1 (zip)", tmp_path)
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "mognad-opendata-2026-v1/datapackage.json" in names

    # The open data API shows the release, without logging in.
    anonymous = new_device()
    listed = anonymous.request.get("/api/v1/open-data/").json()["releases"]
    assert [(r["year"], r["version"]) for r in listed] == [(2026, 1)]
    csv_v1 = anonymous.request.get("/api/v1/open-data/2026/1/organizations.csv").body()
    assert b"Kommun 0" in csv_v1 and b"Kommun 5" not in csv_v1
    # … and so does the public open-data page (helper `public`'s page, fed by the release).
    anonymous.goto("/open-data/")
    expect(anonymous.get_by_role("heading", name="2026, version 1")).to_be_visible()

    # A second release (a correction with an errata note) keeps the first downloadable.
    make_draft(page, note="Omräknat.")
    publish(page, errata="Kommun 0:s resultat räknades om.")
    expect(page.locator("main")).to_contain_text("2026, version 2")
    expect(page.locator("main")).to_contain_text("Kommun 0:s resultat räknades om.")
    assert download(page, "Öppna data 2026 v1 (zip)", tmp_path) == first
    listed = anonymous.request.get("/api/v1/open-data/").json()["releases"]
    assert [(r["version"], r["latest"]) for r in listed] == [(2, True), (1, False)]
    assert anonymous.request.get("/api/v1/open-data/2026/1/organizations.csv").body() == csv_v1
    anonymous.goto("/open-data/")
    expect(anonymous.get_by_role("heading", name="2026, version 2")).to_be_visible()
    expect(anonymous.get_by_role("heading", name="2026, version 1")).to_be_visible()

    # The national page offers the newest release's downloads.
    page.goto("/national/?year=2026")
    expect(page.get_by_role("link", name="Ladda ner öppna data (zip)")).to_have_attribute(
        "href", "/national/publishing/2026/2/opendata.zip"
    )
    assert not traffic.problems(), traffic.problems()
