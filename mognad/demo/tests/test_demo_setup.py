from io import StringIO

from django.core.management import call_command

from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import Membership, User


def _setup() -> str:
    out = StringIO()
    call_command("demo", "setup", stdout=out)
    return out.getvalue()


def test_it_publishes_the_default_instrument_and_prints_the_logins(db):
    output = _setup()
    assert InstrumentVersion.objects.filter(slug="standard", version="2026.1").exists()
    assert "http://127.0.0.1:8000/" in output
    assert "samordnare@demo.mognad.se" in output
    assert User.objects.get(email="samordnare@demo.mognad.se").is_coordinator
    key_user = User.objects.get(email="nyckelanvandare@demo.mognad.se")
    assert Membership.objects.get(user=key_user).role == Membership.Role.KEY_USER


def test_running_it_twice_changes_nothing(db):
    first = _setup()
    counts = (User.objects.count(), Membership.objects.count(), InstrumentVersion.objects.count())
    assert _setup() == first
    assert (
        User.objects.count(),
        Membership.objects.count(),
        InstrumentVersion.objects.count(),
    ) == counts
