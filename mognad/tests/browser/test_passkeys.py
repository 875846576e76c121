"""Passkeys in Chromium with its virtual authenticator (CDP WebAuthn domain): a key user who must
have a second factor registers a named passkey as the first one, gets the recovery codes, and
passes the second step with it at the next login (issue 15). Axe at 1280 and 360 px."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mognad.tests.browser.conftest import log_in_with_password

pytestmark = pytest.mark.browser


@pytest.fixture
def authenticator(context, page, live_server, settings):
    settings.WEBAUTHN_RP_ID = urlsplit(live_server.url).hostname
    settings.WEBAUTHN_ORIGIN = live_server.url
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_a_passkey_is_registered_and_used_at_the_second_step(
    page, persona, authenticator, check_page
):
    from mognad.orgs.models import Passkey

    alice = persona("alice")
    log_in_with_password(page, alice.email)
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/enroll/"))
    page.get_by_role("link", name="Lägg till en nyckel i stället").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nycklar")
    check_page(page, "passkeys-empty")

    page.get_by_label("Nyckelns namn").fill("Jobbdatorn")
    page.get_by_role("button", name="Lägg till en nyckel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")
    assert len(page.locator("ol.recovery-codes code").all_inner_texts()) == 10
    page.goto("/accounts/2fa/passkeys/")
    expect(page.get_by_role("row", name=re.compile("Jobbdatorn"))).to_be_visible()
    check_page(page, "passkeys-one")
    passkey = Passkey.objects.get(user=alice)
    assert passkey.name == "Jobbdatorn" and passkey.last_used_at is None

    page.get_by_role("button", name="Logga ut").click()
    log_in_with_password(page, alice.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
    check_page(page, "2fa-verify-passkey")
    page.get_by_role("button", name="Använd en nyckel").click()
    expect(page).to_have_url(re.compile(r"/orgs/ankeby-kommun/year/"))
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count > 0


def test_without_the_authenticator_the_second_step_stays_closed(page, persona, authenticator):
    cdp, authenticator_id = authenticator
    alice = persona("alice")
    log_in_with_password(page, alice.email)
    page.goto("/accounts/2fa/passkeys/")
    page.get_by_label("Nyckelns namn").fill("Nyckeln")
    page.get_by_role("button", name="Lägg till en nyckel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")
    page.get_by_role("button", name="Logga ut").click()
    # Another authenticator than the registered one answers: refused.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator_id})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": False,
                "automaticPresenceSimulation": True,
            }
        },
    )
    log_in_with_password(page, alice.email)
    page.get_by_role("button", name="Använd en nyckel").click()
    page.wait_for_timeout(1500)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
