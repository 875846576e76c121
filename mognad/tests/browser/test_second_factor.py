"""A key user enrols a second factor in Chromium, saves the recovery codes and later logs in with
one of them; a coordinator resets someone's second factor (issue 15). Axe at 1280 and 360 px on
every new page."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from mognad.tests.browser.conftest import log_in_with_password

pytestmark = pytest.mark.browser


@pytest.fixture
def key_users_required(settings):
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]


def test_a_key_user_enrols_by_the_shown_key_and_later_logs_in_with_a_recovery_code(
    page, persona, key_users_required, check_page
):
    alice = persona("alice")
    log_in_with_password(page, alice.email)
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/enroll/"))
    expect(page.get_by_role("img", name="QR-kod för din autentiseringsapp")).to_be_visible()
    check_page(page, "2fa-enroll")

    # What a person does with an app that cannot scan: type in the key shown beside the QR code.
    key = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Sexsiffrig kod").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Slå på").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    check_page(page, "2fa-recovery-codes")
    page.get_by_role("link", name="Jag har sparat koderna").click()
    expect(page).to_have_url(re.compile(r"/orgs/"))

    # The phone is lost: log out, log in with the password and a recovery code.
    page.get_by_role("button", name="Logga ut").click()
    expect(page.locator(".messages")).to_contain_text("Du har loggat ut.")
    log_in_with_password(page, alice.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
    check_page(page, "2fa-verify")
    page.get_by_label("Sexsiffrig kod från din autentiseringsapp, eller en reservkod").fill(
        codes[0]
    )
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".messages")).to_contain_text("9 finns kvar")
    page.goto("/accounts/2fa/recovery-codes/")
    expect(page.locator("main")).to_contain_text("Du har 9 oanvända reservkoder.")
    check_page(page, "2fa-recovery-codes-left")

    # The same code does not work twice.
    page.get_by_role("button", name="Logga ut").click()
    log_in_with_password(page, alice.email)
    page.get_by_label("Sexsiffrig kod från din autentiseringsapp, eller en reservkod").fill(
        codes[0]
    )
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator("main")).to_contain_text("Reservkoden är inte rätt eller har redan")


def test_a_key_user_enrols_by_scanning_the_qr_code(page, persona, key_users_required):
    """What an authenticator app does: read the QR code as drawn on the screen (a screenshot of
    the element, decoded by ZXing), take the key from its otpauth:// address and show a code."""
    alice = persona("alice")
    log_in_with_password(page, alice.email)
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/enroll/"))
    picture = Image.open(io.BytesIO(page.locator(".totp-qr").screenshot()))
    found = zxingcpp.read_barcodes(picture)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    address = urlparse(found[0].text)
    assert (address.scheme, address.netloc) == ("otpauth", "totp")
    secret = parse_qs(address.query)["secret"][0]
    # The code in the picture and the key printed beside it are the same secret.
    assert secret == page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Sexsiffrig kod").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Slå på").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")


def test_a_coordinator_resets_a_key_users_second_factor(page, persona, log_in, check_page):
    from mognad.test import enroll_totp

    alice = persona("alice")
    enroll_totp(alice)
    log_in(page, persona("nadia"))
    page.goto("/orgs/ankeby-kommun/members/")
    page.get_by_role("link", name="Återställ den andra faktorn alice@ankeby.se").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återställ den andra faktorn")
    check_page(page, "2fa-reset")
    page.get_by_role("button", name="Återställ den andra faktorn").click()
    expect(page.locator(".messages")).to_contain_text("alice@ankeby.se har återställts")
    alice.refresh_from_db()
    assert not alice.has_totp
