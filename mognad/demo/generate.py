"""`mognad demo generate`: write a synthetic public sector into the database and score it.

What is written is what the real workflow leaves behind once a measurement has closed: units,
closed measurements, respondents (links destroyed), responses (no response keys; linked to the
respondent only in identified measurements) and answers. The results are then computed by
`mognad.results.compute.compute_and_store`, the scoring the worker runs after a real close, so
every page, export and report works on generated data exactly as on real data.

Speed: rows are written with one multi-row statement per table and batch (PostgreSQL: COPY), never
one ORM save per row; scoring can run in several processes (`jobs`).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.test.utils import override_settings
from django.utils import timezone

from mognad.demo.answers import ItemModel, sample_measurement
from mognad.demo.models import GeneratedOrganization
from mognad.demo.population import (
    OrganizationPlan,
    RegistryEntry,
    plan_existing,
    plan_population,
)
from mognad.demo.writing import (
    Planned,
    write_measurements,
    write_organizations,
    write_people,
    write_units,
)
from mognad.instrument.actions import publish_instrument
from mognad.instrument.models import InstrumentItem, InstrumentVersion
from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, Unit
from mognad.results.benchmarks import refresh_due_benchmarks
from mognad.results.compute import compute_many
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.surveys.models import Answer, Measurement, Respondent, Response, UnitWindow

DEFAULT_INSTRUMENT = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
FIRST_YEAR = 2000
MAX_ORGANIZATIONS = 3000  # the invented names run out a little above this
# Random streams of organizations filled by `fill_organization` start here (by primary key).
FILLED_INDEX = 1_000_000
# Measurements written per transaction.
BATCH = 100


class GenerateError(Exception):
    """The generator cannot run as asked; the message says why and what to do."""


@dataclass
class GenerateReport:
    organizations: int = 0
    measurements: int = 0
    respondents: int = 0
    responses: int = 0
    answers: int = 0
    results: int = 0
    removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        lines = []
        if self.removed:
            lines.append(f"Removed the earlier demo data of {self.removed} organizations.")
        lines.append(
            f"Generated {self.organizations} organizations, {self.measurements} measurements, "
            f"{self.respondents} respondents, {self.responses} responses and {self.answers} "
            f"answers; stored {self.results} results."
        )
        timings = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.seconds.items())
        lines.append(f"Time: {timings} (total {sum(self.seconds.values()):.1f} s).")
        return "\n".join(lines) + "\n"


def parse_years(text: str, today: datetime.date | None = None) -> list[int]:
    """ "2019-2026" or "2024" → the years; raises GenerateError with the reason otherwise."""
    current = (today or timezone.localdate()).year
    parts = text.replace("–", "-").split("-")
    try:
        if len(parts) == 1:
            first = last = int(parts[0])
        elif len(parts) == 2:
            first, last = int(parts[0]), int(parts[1])
        else:
            raise ValueError(text)
    except ValueError:
        raise GenerateError(
            f"--years must be a year or a range such as 2019-{current}, not {text!r}."
        ) from None
    if first > last:
        raise GenerateError(f"--years {text}: the first year comes after the last.")
    if first < FIRST_YEAR:
        raise GenerateError(f"--years {text}: years before {FIRST_YEAR} are not supported.")
    if last > current:
        raise GenerateError(
            f"--years {text}: {last} has not begun; a measurement of a future year cannot have "
            f"closed (the last possible year is {current})."
        )
    return list(range(first, last + 1))


# --- Database selection -----------------------------------------------------------------------


class _Pinned:
    """A database router sending every query to one alias."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return self.alias


@contextmanager
def pinned_database(alias: str) -> Iterator[None]:
    """Send every ORM query to `alias` while inside, so that code written for the default
    database (publishing the instrument, computing results) works on another one unchanged.

    (Django reads its routers from `router.routers`; a router put first there wins.)
    """
    if alias not in connections.settings:
        known = ", ".join(sorted(connections.settings))
        raise GenerateError(f"--database {alias!r} is not a configured database; known: {known}.")
    if alias == DEFAULT_DB_ALIAS:
        yield
        return
    had = "routers" in router.__dict__
    saved = router.routers
    router.routers = [_Pinned(alias), *saved]
    try:
        yield
    finally:
        if had:
            router.routers = saved
        else:
            del router.__dict__["routers"]


# --- Removing earlier generated data --------------------------------------------------------


def generated_count() -> int:
    return GeneratedOrganization.objects.count()


def remove_generated() -> int:
    """Delete everything the generator wrote; returns how many organizations it had filled."""
    marks = list(GeneratedOrganization.objects.all())
    org_ids = [m.organization_id for m in marks]
    if not org_ids:
        return 0
    measurements = Measurement.objects.filter(organization_id__in=org_ids)
    # The big tables first, each with one statement (none of them has dependants), then the rest
    # through the ORM so that every cascade (also of tables added later) is honoured.
    Answer.objects.filter(response__measurement__in=measurements).delete()
    MeasurementScore.objects.filter(result__measurement__in=measurements).delete()
    MeasurementResult.objects.filter(measurement__in=measurements).delete()
    Response.objects.filter(measurement__in=measurements).delete()
    Respondent.objects.filter(measurement__in=measurements).delete()
    UnitWindow.objects.filter(measurement__in=measurements).delete()
    measurements.delete()
    units = Unit.objects.filter(organization_id__in=org_ids)
    units.update(parent=None)  # a parent is protected while it has sub-units
    units.delete()
    restored = []
    for mark in marks:
        if not mark.created and mark.previous:
            org = Organization(pk=mark.organization_id)
            for name, value in mark.previous.items():
                if name.endswith("_at") and value:
                    value = datetime.datetime.fromisoformat(value)
                setattr(org, name, value)
            restored.append((org, list(mark.previous)))
    for org, names in restored:
        Organization.objects.filter(pk=org.pk).update(**{n: getattr(org, n) for n in names})
    created = [m.organization_id for m in marks if m.created]
    GeneratedOrganization.objects.all().delete()
    Organization.objects.filter(pk__in=created).delete()
    return len(marks)


# --- Writing the population ---------------------------------------------------------------


def _instrument() -> InstrumentVersion:
    try:
        return InstrumentVersion.latest("standard")
    except InstrumentVersion.DoesNotExist:
        return publish_instrument(DEFAULT_INSTRUMENT)


def _registry() -> tuple[list[RegistryEntry], dict[tuple[str, str], Organization]]:
    """Registry municipalities and regions that have no units and no measurements of their own."""
    busy = set(Unit.objects.values_list("organization_id", flat=True).distinct()) | set(
        Measurement.objects.values_list("organization_id", flat=True).distinct()
    )
    orgs = [
        org
        for org in Organization.objects.filter(
            kind__in=[Organization.Kind.MUNICIPALITY, Organization.Kind.REGION]
        ).exclude(code="")
        if org.pk not in busy
    ]
    entries = [RegistryEntry(o.kind, o.code, o.name, o.county, o.county_code) for o in orgs]
    return entries, {(o.kind, o.code): o for o in orgs}


# --- Scoring -------------------------------------------------------------------------------------


@contextmanager
def _resamples(resamples: int | None) -> Iterator[None]:
    if resamples is None:
        yield
        return
    with override_settings(BOOTSTRAP_RESAMPLES=resamples):
        yield


# --- The whole run -----------------------------------------------------------------------------


def _chunks(items: Sequence[Planned], size: int) -> Iterable[Sequence[Planned]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(
    *,
    organizations: int,
    years: Sequence[int],
    seed: int,
    database: str = DEFAULT_DB_ALIAS,
    replace: bool = False,
    resamples: int | None = None,
    jobs: int = 1,
    benchmarks: bool = True,
    progress: Callable[[str], None] | None = None,
    respondents_scale: float = 1.0,
) -> GenerateReport:
    """Generate `organizations` organizations measuring in `years`, write and score them.

    Refuses (GenerateError) when generated data exists already, unless `replace`. `benchmarks`:
    refresh the peer benchmarks afterwards (the worker would, minutes later).
    """
    _check_arguments(organizations, years, resamples, jobs)
    say = progress or (lambda message: None)
    report = GenerateReport()
    clock = _Clock(report)
    with pinned_database(database), _resamples(resamples):
        _remove_earlier(database, replace, report, clock)
        try:
            with transaction.atomic(using=database):
                instrument = _instrument()
                plans, registry_orgs = _plan(
                    organizations, years, seed, instrument, respondents_scale
                )
                orgs = write_organizations(plans, registry_orgs, seed=seed)
                unit_ids = write_units(plans, orgs)
                planned = write_measurements(plans, orgs, instrument, seed=seed)
            report.organizations = len(plans)
            report.measurements = len(planned)
            clock.lap("organizations")
            say(f"Planned {len(plans)} organizations and {len(planned)} measurements.")
            _write_answers(planned, instrument, unit_ids, database, seed, report, clock, say)
            report.results = compute_many(
                [p.measurement.pk for p in planned], jobs=jobs, database=database, progress=say
            )
            clock.lap("scoring")
            if benchmarks:
                refresh_due_benchmarks()
            audit(
                "demo.generate",
                by=None,
                organizations=report.organizations,
                measurements=report.measurements,
                years=f"{years[0]}-{years[-1]}",
                seed=seed,
            )
            clock.lap("benchmarks")
        except BaseException:
            # Half-written data would pass for a finished population: remove it all.
            with transaction.atomic(using=database):
                remove_generated()
            raise
    return report


def _check_arguments(
    organizations: int, years: Sequence[int], resamples: int | None, jobs: int
) -> None:
    if not 1 <= organizations <= MAX_ORGANIZATIONS:
        raise GenerateError(
            f"--orgs must be between 1 and {MAX_ORGANIZATIONS}, not {organizations}."
        )
    if not years:
        raise GenerateError("--years names no year.")
    if resamples is not None and resamples < 100:
        raise GenerateError(f"--resamples must be at least 100, not {resamples}.")
    if jobs < 1:
        raise GenerateError(f"--jobs must be at least 1, not {jobs}.")


class _Clock:
    """Adds the time since the last lap to the report, per phase."""

    def __init__(self, report: GenerateReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.report.seconds[phase] = self.report.seconds.get(phase, 0.0) + now - self.last
        self.last = now


def _remove_earlier(database: str, replace: bool, report: GenerateReport, clock: _Clock) -> None:
    existing = generated_count()
    if existing and not replace:
        raise GenerateError(
            f"The database already holds demo data ({existing} generated organizations). "
            "Run again with --replace to remove it and generate anew."
        )
    if existing:
        with transaction.atomic(using=database):
            report.removed = remove_generated()
        clock.lap("removing")


def _plan(
    organizations: int,
    years: Sequence[int],
    seed: int,
    instrument: InstrumentVersion,
    respondents_scale: float,
) -> tuple[list[OrganizationPlan], dict[tuple[str, str], Organization]]:
    """The population's plans, and the registry's organizations they may fill."""
    entries, registry_orgs = _registry()
    taken = set(Organization.objects.exclude(code="").values_list("kind", "code"))
    plans = plan_population(
        count=organizations,
        years=years,
        seed=seed,
        registry=entries,
        categories=len(instrument.definition().categories),
        taken_codes={(kind, code) for kind, code in taken},
        respondents_scale=respondents_scale,
    )
    return plans, registry_orgs


def _write_answers(
    planned: list[Planned],
    instrument: InstrumentVersion,
    unit_ids: dict[tuple[int, int], int],
    database: str,
    seed: int,
    report: GenerateReport,
    clock: _Clock,
    say: Callable[[str], None],
) -> None:
    """Draw and write the people and answers of every planned measurement, BATCH at a time."""
    items = ItemModel.build(instrument.definition(), seed)
    pk_of = dict(InstrumentItem.objects.filter(version=instrument).values_list("item_id", "pk"))
    item_pks = np.array([pk_of[item_id] for item_id in instrument.definition().item_ids])
    for number, part in enumerate(_chunks(planned, BATCH), start=1):
        samples = [
            sample_measurement(p.plan, p.year, earlier=p.earlier, items=items, seed=seed)
            for p in part
        ]
        clock.lap("sampling answers")
        with transaction.atomic(using=database):
            counts = write_people(
                database,
                list(zip(part, samples, strict=True)),
                unit_ids=unit_ids,
                item_pks=item_pks,
                seed=seed,
            )
        report.respondents += counts.respondents
        report.responses += counts.responses
        report.answers += counts.answers
        clock.lap("writing answers")
        if number % 10 == 0:
            written = min(number * BATCH, len(planned))
            say(f"  wrote {written} of {len(planned)} measurements")


def remove(*, database: str = DEFAULT_DB_ALIAS) -> int:
    """Remove all generated data (and refresh the peer benchmarks); returns the organizations."""
    with pinned_database(database):
        with transaction.atomic(using=database):
            removed = remove_generated()
        refresh_due_benchmarks()
    return removed


def fill_organization(
    org: Organization,
    *,
    years: Sequence[int],
    seed: int,
    maturity: float = 0.0,
    resamples: int | None = None,
    benchmarks: bool = True,
    database: str = DEFAULT_DB_ALIAS,
) -> list[Measurement]:
    """Closed, scored measurements of `years` for one existing organization and its own units
    (the demo organization of `mognad demo setup`). It is not marked as generated: `--replace`
    and `remove` leave it alone."""
    with pinned_database(database), _resamples(resamples):
        instrument = _instrument()
        units = list(Unit.objects.filter(organization=org).order_by("path", "pk"))
        if not units:
            raise GenerateError(f"{org} has no units; add its units first.")
        position = {unit.pk: key for key, unit in enumerate(units)}
        plan = plan_existing(
            index=FILLED_INDEX + org.pk,
            kind=org.kind,
            name=org.name,
            employees=org.employees or 1000,
            units=[
                (u.name, u.unit_type, position.get(u.parent_id) if u.parent_id else None)
                for u in units
            ],
            years=years,
            seed=seed,
            categories=len(instrument.definition().categories),
            maturity=maturity,
        )
        unit_ids = {(plan.index, key): unit.pk for key, unit in enumerate(units)}
        items = ItemModel.build(instrument.definition(), seed)
        pk_of = dict(InstrumentItem.objects.filter(version=instrument).values_list("item_id", "pk"))
        item_pks = np.array([pk_of[item_id] for item_id in instrument.definition().item_ids])
        with transaction.atomic(using=database):
            planned = write_measurements([plan], {plan.index: org}, instrument, seed=seed)
            samples = [
                sample_measurement(p.plan, p.year, earlier=p.earlier, items=items, seed=seed)
                for p in planned
            ]
            write_people(
                database,
                list(zip(planned, samples, strict=True)),
                unit_ids=unit_ids,
                item_pks=item_pks,
                seed=seed,
            )
        compute_many([p.measurement.pk for p in planned], database=database)
        if benchmarks:
            refresh_due_benchmarks()
    return [p.measurement for p in planned]
