"""Prepare a demo installation: what `make run` needs to show a newcomer a working Mognad.

- the default instrument, published;
- demo logins: the national coordinator and, in Ankeby kommun, a key user, a unit admin and a
  viewer;
- a generated population (`POPULATION` organizations measuring since 2019), so national figures
  and peer comparisons have data;
- Ankeby kommun with its units, closed and scored measurements of the last years, and an open
  measurement this year whose respondent links are printed, so a newcomer can answer.

Idempotent: running it again changes nothing and prints the same report. It only ever creates what
is missing and never changes what a user did: a measurement the user closed stays closed, no
invitation goes out again, a removed membership is not given back (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from mognad.demo.generate import fill_organization, generate, generated_count
from mognad.demo.models import GeneratedOrganization
from mognad.demo.plans import ensure_demo_plan
from mognad.examples.models import Example
from mognad.examples.seeds import ensure_demo_examples
from mognad.instrument.actions import publish_instrument
from mognad.orgs.models import Membership, Organization, Unit, User
from mognad.results.benchmarks import refresh_due_benchmarks
from mognad.surveys.demo import ensure_demo_measurement
from mognad.surveys.models import Measurement

DEFAULT_INSTRUMENT = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
DEMO_PASSWORD = "demo-mognad-2026"  # noqa: S105 - printed for newcomers; demo databases only
DEMO_ORG_SLUG = "ankeby-kommun"
# The demo population: small enough to be ready in well under a minute.
POPULATION = 40
FIRST_YEAR = 2019
SEED = 2026
# Fewer bootstrap resamples than a real close uses, so the population is scored quickly; the
# intervals are a little less precise. Measurements closed in the running demo use the setting.
RESAMPLES = 400
# Ankeby's closed measurements: the five years before this one.
HISTORY_YEARS = 5
# Ankeby is a little more mature than the average municipality (in scale points).
ANKEBY_MATURITY = 0.1

ANKEBY_UNITS: tuple[tuple[str, str, str | None], ...] = (
    ("Kommunledningsförvaltningen", Unit.UnitType.MANAGEMENT, None),
    ("IT-avdelningen", Unit.UnitType.IT, "Kommunledningsförvaltningen"),
    ("Socialförvaltningen", Unit.UnitType.SOCIAL_SERVICES, None),
    ("Äldreomsorg", Unit.UnitType.SOCIAL_SERVICES, "Socialförvaltningen"),
    ("Individ- och familjeomsorg", Unit.UnitType.SOCIAL_SERVICES, "Socialförvaltningen"),
    ("Utbildningsförvaltningen", Unit.UnitType.EDUCATION, None),
    ("Samhällsbyggnadsförvaltningen", Unit.UnitType.URBAN_PLANNING, None),
    ("Kultur- och fritidsförvaltningen", Unit.UnitType.OTHER, None),
)


@dataclass
class SetupReport:
    instrument: str
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    population: str = ""
    history: str = ""
    plan: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    examples: str = ""

    def describe(self) -> str:
        lines = [
            "",
            "Mognad demo is ready: http://127.0.0.1:8000/",
            f"Instrument: {self.instrument} (preview at http://127.0.0.1:8000/instrument/)",
            f"Population: {self.population}",
            f"Ankeby kommun: {self.history}; {self.plan}",
            f"Examples from other organizations: {self.examples}",
            "Logins (email / password):",
        ]
        lines += [f"  {role:<22} {email} / {password}" for role, email, password in self.logins]
        lines.append(
            "Emails the demo sends: http://127.0.0.1:8000/outbox/ (log in as the key user)"
        )
        lines.append(
            "  (the national coordinator and key users set up two-factor authentication with any"
            " TOTP app at the first login: MOGNAD_2FA_REQUIRED_ROLES)"
        )
        if self.links:
            lines.append("Answer Ankeby's open measurement as a respondent:")
            lines += [f"  {who:<30} {link}" for who, link in self.links]
        return "\n".join(lines) + "\n"


def _user(email: str, name: str, *, coordinator: bool = False) -> tuple[User, bool]:
    """The demo login and whether it was created now."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    return User.objects.create_user(
        email, DEMO_PASSWORD, name=name, is_coordinator=coordinator
    ), True


def _member(
    user_created: tuple[User, bool], org: Organization, role: str, unit: Unit | None = None
) -> None:
    """A membership for a login created now: one a user removed later is not given back."""
    user, created = user_created
    if created:
        Membership.objects.create(user=user, organization=org, role=role, unit=unit)


def _ankeby() -> Organization:
    org, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG,
        defaults={
            "name": "Ankeby kommun",
            "kind": Organization.Kind.MUNICIPALITY,
            "size_class": "M",
            "employees": 4200,
            "county": "Östergötlands län",
            "county_code": "05",
            "municipality_group": "B4",
            "named_in_comparisons": True,
            "named_in_comparisons_decided_at": timezone.now(),
            "research_consent": True,
            "research_consent_decided_at": timezone.now(),
            # The demo respondents' and administrators' domain (surveys/demo.py, _logins).
            "email_domains": "demo.mognad.se",
        },
    )
    if not Unit.objects.filter(organization=org).exists():
        made: dict[str, Unit] = {}
        for name, unit_type, parent in ANKEBY_UNITS:
            made[name] = Unit.objects.create(
                organization=org,
                name=name,
                unit_type=unit_type,
                parent=made[parent] if parent else None,
            )
    return org


def _ensure_population(population: int, current: int) -> str:
    if not generated_count():
        generate(
            organizations=population,
            years=list(range(FIRST_YEAR, current + 1)),
            seed=SEED,
            resamples=RESAMPLES,
            benchmarks=False,
        )
    years = Measurement.objects.filter(
        organization__in=GeneratedOrganization.objects.values("organization")
    ).aggregate(first=Min("year"), last=Max("year"))
    span = f"{years['first']}–{years['last']}" if years["first"] else "no measurements"
    return f"{generated_count()} generated organizations ({span})"


def _ensure_history(org: Organization, current: int) -> None:
    if not Measurement.objects.filter(organization=org, state=Measurement.State.CLOSED).exists():
        fill_organization(
            org,
            years=list(range(current - HISTORY_YEARS, current)),
            seed=SEED,
            maturity=ANKEBY_MATURITY,
            resamples=RESAMPLES,
            benchmarks=False,
        )


def _describe_ankeby(org: Organization, current: int) -> str:
    """Ankeby's measurements as they are now, whatever a user did with them."""
    closed = Measurement.objects.filter(
        organization=org, state=Measurement.State.CLOSED, year__lt=current
    )
    done = sorted(closed.values_list("year", flat=True))
    shown = f"{done[0]}–{done[-1]}" if done else "none"
    this_year = Measurement.objects.filter(organization=org, year=current).first()
    article = "an" if this_year is not None and this_year.state[0] in "aeiou" else "a"
    state = "no measurement" if this_year is None else f"{article} {this_year.state} measurement"
    return f"closed measurements {shown}, {state} {current}"


@transaction.atomic
def _logins(org: Organization) -> list[tuple[str, str, str]]:
    coordinator, _ = _user("samordnare@demo.mognad.se", "Nadia Samordnare", coordinator=True)
    key_user = _user("nyckelanvandare@demo.mognad.se", "Alice Nyckelanvändare")
    unit_admin = _user("enhetsadmin@demo.mognad.se", "Bo Enhetsadministratör")
    viewer = _user("lasare@demo.mognad.se", "Vera Läsare")
    _member(key_user, org, Membership.Role.KEY_USER)
    tops = Unit.objects.filter(organization=org, parent=None).order_by("path")
    social = tops.filter(name="Socialförvaltningen").first() or tops.first()
    _member(unit_admin, org, Membership.Role.UNIT_ADMIN, social)
    _member(viewer, org, Membership.Role.VIEWER)
    return [
        ("national coordinator", coordinator.email, DEMO_PASSWORD),
        ("key user (Ankeby)", key_user[0].email, DEMO_PASSWORD),
        ("unit admin (Ankeby)", unit_admin[0].email, DEMO_PASSWORD),
        ("viewer (Ankeby)", viewer[0].email, DEMO_PASSWORD),
    ]


def run(population: int = POPULATION) -> SetupReport:
    """Each step is idempotent and commits on its own."""
    version = publish_instrument(DEFAULT_INSTRUMENT)
    current = timezone.localdate().year
    with transaction.atomic():
        org = _ankeby()
    report = SetupReport(instrument=f"{version.slug}@{version.version}", logins=_logins(org))
    report.population = _ensure_population(population, current)
    _ensure_history(org, current)
    refresh_due_benchmarks()  # once, for the population and Ankeby together
    report.links = ensure_demo_measurement(org)
    report.history = _describe_ankeby(org, current)
    report.plan = ensure_demo_plan(org, current)
    report.examples = _ensure_examples(current)
    return report


def _ensure_examples(current: int) -> str:
    """Published examples from the generated organizations (never touching a user's)."""
    generated = Organization.objects.filter(
        pk__in=GeneratedOrganization.objects.values("organization")
    )
    ensure_demo_examples(list(generated), current)
    published = Example.objects.filter(status=Example.Status.APPROVED).count()
    return f"{published} published"
