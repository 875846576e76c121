"""A second factor people can live with (issue 15): a QR code on enrolment, ten one-time recovery
codes, 2FA required for coordinators and key users by default, and a coordinator's reset."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from django.test import Client

import mognad.settings as shipped
from mognad.orgs import twofactor
from mognad.orgs.models import AuditEvent, Membership, RecoveryCode, User
from mognad.platform.models import OutboxMessage
from mognad.test import (
    PASSWORD,
    enroll_totp,
    logged_in_client,
    make_member,
    make_user,
    settings_refusal,
    totp_code,
)

pytestmark = pytest.mark.django_db
CODE_RE = re.compile(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>")


def _enrol(client: Client) -> list[str]:
    """Enrol through the pages; returns the recovery codes shown once afterwards."""
    page = client.get("/accounts/2fa/enroll/")
    secret = client.session["mognad_2fa_enroll_secret"]
    assert page.status_code == 200
    done = client.post("/accounts/2fa/enroll/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done["Location"].startswith("/accounts/2fa/recovery-codes/")
    return CODE_RE.findall(client.get(done["Location"]).content.decode())


def _at_second_step(user: User) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    return client


# --- QR code -----------------------------------------------------------------------------------


def test_enrolment_shows_the_key_as_an_inline_svg_qr_code_beside_the_typed_key(alice_client):
    page = alice_client.get("/accounts/2fa/enroll/")
    html = page.content.decode()
    secret = alice_client.session["mognad_2fa_enroll_secret"]
    uri = pyotp.TOTP(secret).provisioning_uri(name="alice@ankeby.se", issuer_name="Mognad")
    assert twofactor.qr_svg(uri) in html
    assert twofactor.grouped(secret) in html
    svg = html[html.index("<svg ") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-label="QR-kod för din autentiseringsapp"' in svg
    # CSP-safe: no style attribute or element, no script, nothing fetched.
    for forbidden in ("style", "<script", "href", "xlink"):
        assert forbidden not in svg
    csp = page["Content-Security-Policy"]
    assert "unsafe-inline" not in csp


def test_the_qr_code_encodes_this_secret_and_no_other(db):
    one = twofactor.qr_svg("otpauth://totp/Mognad:a?secret=AAAAAAAAAAAAAAAA&issuer=Mognad")
    two = twofactor.qr_svg("otpauth://totp/Mognad:a?secret=BBBBBBBBBBBBBBBB&issuer=Mognad")
    assert one != two


# --- Recovery codes ------------------------------------------------------------------------------


def test_enrolment_shows_ten_different_recovery_codes_once_and_stores_only_hashes(
    alice, alice_client
):
    codes = _enrol(alice_client)
    assert len(codes) == 10 and len(set(codes)) == 10
    again = alice_client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert CODE_RE.findall(again) == []
    assert "Du har 10 oanvända reservkoder." in again
    stored = " ".join(RecoveryCode.objects.filter(user=alice).values_list("code_hash", flat=True))
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored
    assert AuditEvent.objects.filter(action="account.recovery_codes_created").count() == 1


def test_a_recovery_code_lets_one_in_once_at_the_second_step(alice, alice_client):
    codes = _enrol(alice_client)
    client = _at_second_step(alice)
    response = client.post("/accounts/2fa/verify/", {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert "9 finns kvar" in client.get("/accounts/").content.decode()
    assert RecoveryCode.objects.filter(user=alice, used_at__isnull=False).count() == 1
    event = AuditEvent.objects.get(action="account.recovery_code_used")
    assert event.details == {"left": 9}

    again = _at_second_step(alice)
    refused = again.post("/accounts/2fa/verify/", {"code": codes[3]})
    assert refused.status_code == 200
    assert "Reservkoden är inte rätt eller har redan använts." in refused.content.decode()
    assert again.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")


def test_recovery_codes_count_against_the_attempt_limit(alice, alice_client):
    codes = _enrol(alice_client)
    client = _at_second_step(alice)
    for n in range(5):
        client.post("/accounts/2fa/verify/", {"code": f"aaaa-bbbb-cccc-dd{n + 2}d"})
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 429
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 0


def test_another_users_recovery_code_does_not_work(alice, charlie):
    enroll_totp(alice)
    enroll_totp(charlie)
    alice_codes = twofactor.new_recovery_codes(alice)
    twofactor.new_recovery_codes(charlie)
    assert not twofactor.use_recovery_code(charlie, alice_codes[0])
    assert twofactor.use_recovery_code(alice, alice_codes[0])


def test_new_codes_replace_the_old_ones_and_are_shown_once(alice, alice_client):
    old = _enrol(alice_client)
    response = alice_client.post("/accounts/2fa/recovery-codes/")
    assert response.status_code == 302
    new = CODE_RE.findall(alice_client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    alice.refresh_from_db()
    assert not twofactor.use_recovery_code(alice, old[0])
    assert twofactor.use_recovery_code(alice, new[0])


def test_recovery_codes_are_reachable_only_past_the_second_step(alice, alice_client):
    _enrol(alice_client)
    client = _at_second_step(alice)
    response = client.post("/accounts/2fa/recovery-codes/")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert RecoveryCode.objects.filter(user=alice).count() == 10


def test_turning_2fa_off_deletes_the_recovery_codes(alice, alice_client):
    _enrol(alice_client)
    response = alice_client.post("/accounts/2fa/disable/", {"code": totp_code(alice)})
    assert response.status_code == 302
    assert not RecoveryCode.objects.filter(user=alice).exists()


# --- Who must have a second factor ----------------------------------------------------------------


def test_the_shipped_default_requires_coordinators_and_key_users():
    assert shipped.TWOFACTOR_REQUIRED_ROLES == ["coordinator", "key_user"]


@pytest.fixture
def default_roles(settings: Any) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = list(shipped.TWOFACTOR_REQUIRED_ROLES)


def test_by_default_a_key_user_without_a_factor_is_sent_to_enrolment(default_roles, alice):
    client = logged_in_client(alice)
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/enroll/?next=%2Forgs%2F"
    page = client.get(response["Location"])
    assert "Din roll kräver tvåstegsverifiering." in page.content.decode()
    _enrol(client)
    assert client.get("/orgs/").status_code == 200


def test_by_default_unit_admins_and_viewers_are_not_required(default_roles, bob, victor):
    assert logged_in_client(bob).get("/orgs/").status_code == 200
    assert logged_in_client(victor).get("/orgs/").status_code == 200


def test_the_roles_are_configurable(settings, victor, alice):
    settings.TWOFACTOR_REQUIRED_ROLES = ["viewer"]
    assert logged_in_client(victor).get("/orgs/")["Location"].startswith("/accounts/2fa/enroll/")
    assert logged_in_client(alice).get("/orgs/").status_code == 200


def test_a_key_user_in_any_organization_is_required(default_roles, charlie, ankeby):
    make_member(charlie, ankeby, Membership.Role.VIEWER)
    assert twofactor.is_required(charlie)


def test_a_required_user_cannot_turn_2fa_off(default_roles, alice):
    enroll_totp(alice)
    client = logged_in_client(alice)
    assert "Stäng av tvåstegsverifiering" not in client.get("/accounts/").content.decode()
    response = client.post("/accounts/2fa/disable/", {"code": totp_code(alice)})
    assert "Din roll kräver tvåstegsverifiering." in response.content.decode()
    alice.refresh_from_db()
    assert alice.has_totp


def test_an_unknown_role_stops_startup_with_a_clear_message():
    stopped = settings_refusal(MOGNAD_2FA_REQUIRED_ROLES="coordinator,boss")
    assert "MOGNAD_2FA_REQUIRED_ROLES: unknown role(s) boss" in stopped


# --- A coordinator resets someone's second factor ------------------------------------------------


def test_a_coordinator_resets_a_lost_factor_with_an_audit_event_and_an_email(
    default_roles, nadia, nadia_client, alice
):
    enroll_totp(alice)
    twofactor.new_recovery_codes(alice)
    alice.language = "en"
    alice.save()
    page = nadia_client.get(f"/users/{alice.pk}/second-factor/reset/")
    assert page.status_code == 200 and "alice@ankeby.se" in page.content.decode()
    response = nadia_client.post(f"/users/{alice.pk}/second-factor/reset/")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.has_totp and alice.totp_last_step is None
    assert not RecoveryCode.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="account.2fa_reset")
    assert (event.actor, event.target) == (nadia, "alice@ankeby.se")
    [email] = OutboxMessage.objects.filter(to="alice@ankeby.se")
    assert email.subject == "Your second factor for Mognad has been reset"
    assert "/accounts/login/" in email.body_text
    # At her next login she is sent to enrolment.
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/enroll/")


def test_the_members_page_links_the_reset_for_coordinators_only(nadia_client, alice_client, alice):
    link = f"/users/{alice.pk}/second-factor/reset/"
    assert link in nadia_client.get("/orgs/ankeby-kommun/members/").content.decode()
    assert link not in alice_client.get("/orgs/ankeby-kommun/members/").content.decode()


def test_only_a_coordinator_can_reset_and_nothing_changes_otherwise(alice_client, charlie):
    enroll_totp(charlie)
    assert alice_client.get(f"/users/{charlie.pk}/second-factor/reset/").status_code == 404
    assert alice_client.post(f"/users/{charlie.pk}/second-factor/reset/").status_code == 404
    charlie.refresh_from_db()
    assert charlie.has_totp
    assert not AuditEvent.objects.filter(action="account.2fa_reset").exists()


def test_a_coordinator_cannot_reset_their_own_factor(nadia, nadia_client):
    response = nadia_client.post(f"/users/{nadia.pk}/second-factor/reset/")
    assert response.status_code == 400
    assert "Du kan inte återställa din egen andra faktor" in response.content.decode()
    nadia.refresh_from_db()
    assert nadia.has_totp


def test_resetting_an_unknown_user_is_a_404(nadia_client):
    assert nadia_client.post("/users/999999/second-factor/reset/").status_code == 404


def test_a_second_factor_reset_of_another_coordinator(nadia_client):
    other = make_user("olof@mognad.example", coordinator=True)
    enroll_totp(other)
    assert nadia_client.post(f"/users/{other.pk}/second-factor/reset/").status_code == 302
    other.refresh_from_db()
    assert not other.has_totp
