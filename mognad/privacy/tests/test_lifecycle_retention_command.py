"""`mognad retention`: applies both retention periods now and says what it deleted."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from mognad.platform.models import OutboxMessage
from mognad.privacy.tests.builders import answered_measurement
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Respondent


@pytest.fixture
def closed(ankeby, social_services, education):
    # Identified: an anonymous measurement's survey emails go already at closing.
    return answered_measurement(ankeby, [social_services, education], anonymous=False)


def _run():
    out = StringIO()
    call_command("retention", stdout=out)
    return out.getvalue()


def test_it_deletes_addresses_past_the_retention_period_and_old_outbox_messages(
    closed, time_machine
):
    stray = OutboxMessage.objects.create(
        to="old@ankeby.se", subject="x", body_text="x", dedupe_key="x", status="failed"
    )
    time_machine.move_to(closed.closed_at + dt.timedelta(days=90), tick=False)
    output = _run()
    assert (
        "Respondents: 3 email address(es) deleted and 2 identified response(s) unlinked in 1 "
        in output
    )
    assert "closed at least 90 days ago" in output
    assert "Outbox: 4 email(s) deleted" in output
    assert all(r.email.startswith(ERASED_PREFIX) for r in Respondent.objects.all())
    assert not OutboxMessage.objects.filter(pk=stray.pk).exists()


def test_before_the_deadline_it_deletes_nothing(closed, time_machine):
    time_machine.move_to(closed.closed_at + dt.timedelta(days=29), tick=False)
    output = _run()
    assert "Respondents: 0 email address(es)" in output and "Outbox: 0 email(s)" in output
    assert not Respondent.objects.filter(email__startswith=ERASED_PREFIX).exists()
    assert OutboxMessage.objects.count() == 3
