"""Rotating the secret key vs respondents' links (issue 15: the audit found reminders sent after a
rotation carrying links that 404, while the links in invitations kept working).

Decided (docs/security.md, "Rotating the secret key"): links survive a rotation – they are found by
the hash of their token – and every email after it carries the same, working link, as long as the
old key is in MOGNAD_SECRET_KEY_FALLBACKS. When the old key is dropped altogether, the next email
carries a new working link instead of a dead one.
"""

from __future__ import annotations

import pytest
from django.test import Client

from mognad.platform.models import OutboxMessage
from mognad.surveys import actions
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import link_in

pytestmark = pytest.mark.django_db
NEW_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghij"


def _last_email(respondent: Respondent, template: str) -> OutboxMessage:
    message = (
        OutboxMessage.objects.filter(to=respondent.email, dedupe_key__contains=f":{template}:")
        .order_by("-pk")
        .first()
    )
    assert message is not None, f"no {template} to {respondent.email}"
    return message


def _works(token: str) -> bool:
    return Client().get(f"/r/{token}/").status_code == 200


def _rotate(settings, *, keep_old: bool) -> None:
    old = settings.SECRET_KEY
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [old] if keep_old else []


def test_links_survive_a_rotation_and_reminders_carry_the_same_working_link(
    settings, open_measurement
):
    sara = open_measurement.respondents.get(email="sara@ankeby.se")
    invited = link_in(_last_email(sara, "invitation"))
    assert _works(invited)

    _rotate(settings, keep_old=True)
    assert _works(invited), "the invitation's link stopped working after the rotation"
    assert actions.send_reminders(open_measurement, by=None) == 3
    reminded = link_in(_last_email(sara, "reminder"))
    assert reminded == invited
    assert _works(reminded)


def test_a_started_answer_continues_through_the_reminder_after_a_rotation(
    settings, open_measurement
):
    sara = open_measurement.respondents.get(email="sara@ankeby.se")
    token = link_in(_last_email(sara, "invitation"))
    client = Client()
    assert client.get(f"/r/{token}/").status_code == 200
    _rotate(settings, keep_old=True)
    actions.send_reminders(open_measurement, by=None)
    assert link_in(_last_email(sara, "reminder")) == token
    sara.refresh_from_db()
    # The link (and so the saved answers, found through it) did not change.
    assert actions.link_for(sara).endswith(f"/r/{token}/")


def test_when_the_old_key_is_gone_the_reminder_carries_a_new_link_that_works(
    settings, open_measurement
):
    sara = open_measurement.respondents.get(email="sara@ankeby.se")
    invited = link_in(_last_email(sara, "invitation"))
    _rotate(settings, keep_old=False)
    actions.send_reminders(open_measurement, by=None)
    reminded = link_in(_last_email(sara, "reminder"))
    assert reminded != invited
    assert _works(reminded), "a reminder after a rotation carried a link that does not work"
    assert not _works(invited)


def test_new_links_after_a_rotation_are_made_with_the_new_key(settings, measurement):
    from mognad.surveys import tokens
    from mognad.surveys.tests.factories import make_respondent

    _rotate(settings, keep_old=True)
    make_respondent(measurement, "nina@ankeby.se")
    actions.open_measurement(measurement, by=None)
    nina = measurement.respondents.get(email="nina@ankeby.se")
    token = link_in(_last_email(nina, "invitation"))
    assert token == tokens.token_for(nina.nonce, secret_key=NEW_KEY)
    assert _works(token)


def test_the_open_link_shown_to_key_users_survives_a_rotation(settings, ankeby, alice):
    from mognad.surveys.tests.factories import make_measurement

    measurement = make_measurement(ankeby, invitation_mode="open_link")
    measurement = actions.open_measurement(measurement, by=None)
    before = actions.open_link_token(measurement)
    assert before
    _rotate(settings, keep_old=True)
    assert actions.open_link_token(measurement) == before
    assert Client().get(f"/o/{before}/").status_code == 200
