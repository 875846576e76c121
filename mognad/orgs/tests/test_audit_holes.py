"""The audit's holes in the account pages (issue 15), each with a regression test.

(The parallel-request tests of the login, code and token limits are in
mognad/tests/test_parallel_attempts.py.)
"""

from __future__ import annotations

import time

import pyotp
import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad.orgs import twofactor
from mognad.orgs.models import User
from mognad.test import PASSWORD, enroll_totp, logged_in_client, totp_code

pytestmark = pytest.mark.django_db
NOON = int(time.time()) // 30 * 30 + 10  # 10 s into a 30-second step (sessions made now last)


def _code(user: User, step_offset: int = 0) -> str:
    return pyotp.TOTP(user.totp_secret).generate_otp(twofactor.current_step() + step_offset)


def _logged_in_before_the_code_step(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/verify/")
    return client


# --- (b) a TOTP code cannot be used twice ----------------------------------------------------


def test_a_code_that_let_one_session_in_cannot_let_another_in(nadia):
    with time_machine.travel(NOON, tick=False):
        code = _code(nadia)
        first = _logged_in_before_the_code_step(nadia)
        assert first.post("/accounts/2fa/verify/", {"code": code})["Location"] == "/start/"
        second = _logged_in_before_the_code_step(nadia)
        replay = second.post("/accounts/2fa/verify/", {"code": code})
        assert replay.status_code == 200
        assert "Koden är inte rätt" in replay.content.decode()
        assert second.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")


def test_a_code_of_an_earlier_step_is_refused_after_a_later_one_was_used(nadia):
    with time_machine.travel(NOON, tick=False):
        earlier, later = _code(nadia, -1), _code(nadia, 1)
        first = _logged_in_before_the_code_step(nadia)
        assert first.post("/accounts/2fa/verify/", {"code": later}).status_code == 302
        second = _logged_in_before_the_code_step(nadia)
        assert second.post("/accounts/2fa/verify/", {"code": earlier}).status_code == 200
        # The next step's code is new, so it works (once).
    with time_machine.travel(NOON + 60, tick=False):
        fresh = _code(nadia)
        assert second.post("/accounts/2fa/verify/", {"code": fresh}).status_code == 302


def test_the_code_that_confirmed_enrolment_cannot_be_used_to_log_in(alice):
    client = logged_in_client(alice)
    with time_machine.travel(NOON, tick=False):
        client.get("/accounts/2fa/enroll/")
        secret = client.session["mognad_2fa_enroll_secret"]
        code = pyotp.TOTP(secret).now()
        assert client.post("/accounts/2fa/enroll/", {"code": code}).status_code == 302
        other = _logged_in_before_the_code_step(alice)
        assert other.post("/accounts/2fa/verify/", {"code": code}).status_code == 200


def test_two_requests_with_one_code_at_the_same_moment_let_only_one_in(nadia):
    """use_code is one conditional UPDATE: the second of two identical codes finds it used."""
    with time_machine.travel(NOON, tick=False):
        code = _code(nadia)
        copy = User.objects.get(pk=nadia.pk)  # both requests read the row before either wrote
        assert twofactor.use_code(nadia, code) is True
        assert twofactor.use_code(copy, code) is False


def test_the_code_step_accepts_a_code_of_the_step_before_or_after_only(nadia):
    with time_machine.travel(NOON, tick=False):
        assert twofactor.matching_step(nadia.totp_secret, _code(nadia, -2)) is None
        assert twofactor.matching_step(nadia.totp_secret, _code(nadia, 2)) is None
        step = twofactor.current_step()
        for offset in (-1, 0, 1):
            assert twofactor.matching_step(nadia.totp_secret, _code(nadia, offset)) == step + offset


# --- (c) attempt limits on turning 2FA off and on the old password -------------------------------


def test_five_wrong_codes_lock_turning_2fa_off_even_for_the_right_code(alice):
    enroll_totp(alice)
    client = logged_in_client(alice)
    for n in range(5):
        response = client.post("/accounts/2fa/disable/", {"code": f"{n:06d}"})
        assert response.status_code == 200
    locked = client.post("/accounts/2fa/disable/", {"code": totp_code(alice)})
    assert locked.status_code == 429
    assert "För många felaktiga koder" in locked.content.decode()
    alice.refresh_from_db()
    assert alice.has_totp


def test_turning_2fa_off_with_a_used_code_is_refused(alice):
    enroll_totp(alice)
    with time_machine.travel(NOON, tick=False):
        client = _logged_in_before_the_code_step(alice)
        code = _code(alice)
        assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 302
        assert client.post("/accounts/2fa/disable/", {"code": code}).status_code == 200
        alice.refresh_from_db()
        assert alice.has_totp


def test_five_wrong_current_passwords_lock_the_password_change(alice, alice_client):
    new = {"password1": "ett-helt-nytt-lösenord-1", "password2": "ett-helt-nytt-lösenord-1"}
    for n in range(5):
        response = alice_client.post("/accounts/password/", {"old_password": f"wrong-{n}", **new})
        assert response.status_code == 200
        assert "Ditt nuvarande lösenord är inte rätt." in response.content.decode()
    locked = alice_client.post("/accounts/password/", {"old_password": PASSWORD, **new})
    assert locked.status_code == 429
    assert "För många felaktiga lösenord" in locked.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_mistyped_new_passwords_do_not_use_up_the_attempts(alice, alice_client):
    for _ in range(6):
        alice_client.post(
            "/accounts/password/",
            {"old_password": "", "password1": "a-new-password-1", "password2": "different"},
        )
    new = {"password1": "ett-helt-nytt-lösenord-1", "password2": "ett-helt-nytt-lösenord-1"}
    response = alice_client.post("/accounts/password/", {"old_password": PASSWORD, **new})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("ett-helt-nytt-lösenord-1")


# --- (d) logging out ---------------------------------------------------------------------------


def test_logging_out_lands_on_the_front_page_with_a_notice_and_ends_the_session(alice):
    client = Client()
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert client.get("/orgs/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    front = client.get("/")
    assert front.status_code == 200
    assert "Du har loggat ut." in front.content.decode()
    assert client.get("/orgs/")["Location"].startswith("/accounts/login/")


def test_logging_out_in_english(alice):
    client = Client(headers={"accept-language": "en"})
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert "You have logged out." in client.post("/accounts/logout/", follow=True).content.decode()


def test_logout_is_post_only(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert alice_client.get("/orgs/").status_code == 200


def test_logout_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    refused = client.post("/accounts/logout/")
    assert refused.status_code == 403
    assert client.get("/orgs/").status_code == 200


def test_logging_out_from_the_code_step_works(nadia):
    client = _logged_in_before_the_code_step(nadia)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- Property: no code but the three of the window is ever accepted -----------------------------


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(min_size=0, max_size=12))
def test_no_other_text_passes_the_code_check(nadia, code):
    with time_machine.travel(NOON, tick=False):
        valid = {_code(nadia, offset) for offset in (-1, 0, 1)}
        expected = "".join(code.split()) in valid
        assert (twofactor.matching_step(nadia.totp_secret, code) is not None) is expected


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(guess=st.text(alphabet="abcdefghjkmnpqrstuvwxyz23456789- ", min_size=0, max_size=24))
def test_no_guess_is_a_recovery_code_unless_it_is_one(alice, guess):
    enroll_totp(alice)
    codes = twofactor.new_recovery_codes(alice)
    plain = {code.replace("-", "") for code in codes}
    normalized = "".join(guess.split()).replace("-", "")
    assert twofactor.use_recovery_code(alice, guess) is (normalized in plain)
