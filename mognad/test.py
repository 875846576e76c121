"""Factories for tests: small functions that build organizations, units, users and memberships.

The shared personas (alice, bob, charlie, nadia, victor …) are pytest fixtures in
mognad/conftest.py, built with these functions. No JSON fixtures anywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyotp
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from mognad.orgs import twofactor
from mognad.orgs.models import Membership, Organization, Unit, User

if TYPE_CHECKING:
    from mognad.surveys.models import Measurement

ROOT = Path(__file__).resolve().parents[1]

PASSWORD = "ett-långt-lösenord-för-test"  # noqa: S105 (tests only)
# Nadia's TOTP secret, fixed so tests can compute her codes.
NADIA_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (tests only)


def make_org(
    name: str = "Ankeby kommun",
    kind: str = Organization.Kind.MUNICIPALITY,
    **fields: Any,
) -> Organization:
    slug = fields.pop("slug", None) or slugify(name) or "org"
    base, n = slug, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Organization.objects.create(name=name, kind=kind, slug=slug, **fields)


def make_unit(
    org: Organization,
    name: str,
    unit_type: str = Unit.UnitType.OTHER,
    parent: Unit | None = None,
) -> Unit:
    return Unit.objects.create(organization=org, name=name, unit_type=unit_type, parent=parent)


def make_user(
    email: str,
    *,
    password: str = PASSWORD,
    coordinator: bool = False,
    name: str = "",
    **fields: Any,
) -> User:
    return User.objects.create_user(
        email,
        password,
        name=name or email.split("@")[0].title(),
        is_coordinator=coordinator,
        **fields,
    )


def make_member(
    user: User, org: Organization, role: str = Membership.Role.KEY_USER, unit: Unit | None = None
) -> Membership:
    return Membership.objects.create(user=user, organization=org, role=role, unit=unit)


def enroll_totp(user: User, secret: str | None = None) -> str:
    """Turn on two-factor authentication for the user; returns the secret."""
    user.totp_secret = secret or pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def totp_code(user: User) -> str:
    """A code the user can still use: the current step's, or the next one's when the current
    step's code was used already (a used step cannot be used again, orgs/twofactor.py)."""
    user.refresh_from_db(fields=["totp_secret", "totp_last_step"])
    step = twofactor.current_step()
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    return pyotp.TOTP(user.totp_secret).generate_otp(step)


def logged_in_client(user: User) -> Client:
    """A test client logged in as the user, past the two-factor step if the user has TOTP."""
    client = Client()
    client.force_login(user)
    if user.has_totp or user.has_passkeys:
        session = client.session
        session[twofactor.SESSION_KEY] = timezone.now().isoformat()
        session.save()
    return client


def log_in_through_2fa(client: Client, user: User, password: str = PASSWORD) -> Any:
    """Log in through the real pages (password form, then the code); returns the last response."""
    client.post("/accounts/login/", {"username": user.email, "password": password})
    return client.post("/accounts/2fa/verify/", {"code": totp_code(user)})


def build_ankeby() -> Organization:
    org = make_org(
        "Ankeby kommun",
        code="9901",
        county="Testlän",
        county_code="99",
        employees=4200,
        email_domains="ankeby.se",
    )
    make_unit(org, "Kommunledningsförvaltningen", Unit.UnitType.MANAGEMENT)
    social = make_unit(org, "Socialförvaltningen", Unit.UnitType.SOCIAL_SERVICES)
    make_unit(org, "Äldreomsorg", Unit.UnitType.SOCIAL_SERVICES, parent=social)
    make_unit(org, "Utbildningsförvaltningen", Unit.UnitType.EDUCATION)
    return org


def build_bebyholm() -> Organization:
    org = make_org(
        "Bebyholm kommun",
        code="9902",
        county="Testlän",
        county_code="99",
        employees=900,
        email_domains="bebyholm.se",
    )
    make_unit(org, "Kommunledningsförvaltningen", Unit.UnitType.MANAGEMENT)
    make_unit(org, "Socialförvaltningen", Unit.UnitType.SOCIAL_SERVICES)
    return org


def email_measurement(
    name: str, slug: str, domain: str, respondents: int, *, english_every: int
) -> Measurement:
    """A municipality with this year's email measurement (a draft: anonymous, no reminders) of the
    standard instrument and `respondents` people `person0000@domain` … spread over the roles,
    every `english_every`-th in English. The set-up of the production-stack test
    (tests/stack/scenario.py) and of the load-and-fault test (bench/reliability/run.py)."""
    from mognad.instrument.actions import publish_instrument
    from mognad.surveys.models import Measurement, Respondent, Role

    version = publish_instrument(ROOT / "instruments" / "standard" / "2026.1.yaml")
    org = Organization.objects.create(name=name, slug=slug, kind=Organization.Kind.MUNICIPALITY)
    measurement = Measurement.objects.create(
        organization=org,
        year=timezone.localdate().year,
        instrument=version,
        invitation_mode=Measurement.InvitationMode.EMAIL,
        anonymous=True,
        reminder_days="",
    )
    roles = [choice for choice, _label in Role.choices]
    Respondent.objects.bulk_create(
        Respondent(
            measurement=measurement,
            email=f"person{index:04d}@{domain}",
            role=roles[index % len(roles)],
            language="en" if index % english_every == 0 else "sv",
        )
        for index in range(respondents)
    )
    return measurement


def settings_refusal(**env: str) -> str:
    """Import the settings in a fresh process with `env` added to the environment; what they stop
    with (stderr). Fails when they start."""
    result = subprocess.run(
        [sys.executable, "-c", "import mognad.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0, "the settings started"
    return result.stderr


def assert_app_migrates_back_and_forth(app: str, tables: set[str]) -> None:
    """Migrate `app` back to nothing (its `tables` go) and every app forward again (they come
    back, the app's leaf migration applied). Needs a transactional database test."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets: list[tuple[str, str | None]]) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        executor.loader.build_graph()

    def present() -> set[str]:
        return tables & set(connection.introspection.table_names())

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    leaf = next(node for node in leaves if node[0] == app)
    assert present() == tables
    try:
        migrate([(app, None)])
        assert present() == set()
    finally:
        migrate(leaves)
    assert present() == tables
    assert leaf in MigrationExecutor(connection).loader.applied_migrations
