"""Prepare a demo installation: the default instrument, a demo organization and demo logins.

Idempotent: running it again changes nothing and prints the same logins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mognad.instrument.actions import publish_instrument
from mognad.orgs.models import Membership, Organization, User

DEFAULT_INSTRUMENT = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
DEMO_PASSWORD = "demo-mognad-2026"  # noqa: S105 - printed for newcomers; demo databases only
DEMO_ORG_SLUG = "ankeby-kommun"


@dataclass
class SetupReport:
    instrument: str
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            "",
            "Mognad demo is ready: http://127.0.0.1:8000/",
            f"Instrument: {self.instrument} (preview at http://127.0.0.1:8000/instrument/)",
            "Logins (email / password):",
        ]
        lines += [f"  {role:<22} {email} / {password}" for role, email, password in self.logins]
        return "\n".join(lines) + "\n"


def _user(email: str, name: str, *, coordinator: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, name=name, is_coordinator=coordinator)
    return user


@transaction.atomic
def run() -> SetupReport:
    version = publish_instrument(DEFAULT_INSTRUMENT)
    org, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG,
        defaults={
            "name": "Ankeby kommun",
            "kind": Organization.Kind.MUNICIPALITY,
            "size_class": "M",
        },
    )
    coordinator = _user("samordnare@demo.mognad.se", "Nadia Samordnare", coordinator=True)
    key_user = _user("nyckelanvandare@demo.mognad.se", "Alice Nyckelanvändare")
    Membership.objects.get_or_create(
        user=key_user, organization=org, defaults={"role": Membership.Role.KEY_USER}
    )
    report = SetupReport(instrument=f"{version.slug}@{version.version}")
    report.logins = [
        ("national coordinator", coordinator.email, DEMO_PASSWORD),
        ("key user (Ankeby)", key_user.email, DEMO_PASSWORD),
    ]
    return report
