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
import uuid
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
from django.utils.text import slugify

from mognad.demo.answers import ItemModel, MeasurementSample, sample_measurement
from mognad.demo.models import GeneratedOrganization
from mognad.demo.population import (
    STREAM_MEASUREMENT,
    OrganizationPlan,
    RegistryEntry,
    plan_existing,
    plan_population,
    rng_for,
)
from mognad.instrument.actions import publish_instrument
from mognad.instrument.models import InstrumentItem, InstrumentVersion
from mognad.instrument.scale import UNANSWERED
from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, Unit
from mognad.platform.bulk import insert_rows
from mognad.results.benchmarks import refresh_due_benchmarks
from mognad.results.compute import compute_many
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.surveys.models import Answer, Measurement, Respondent, Response, UnitWindow

DEFAULT_INSTRUMENT = Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
FIRST_YEAR = 2000
MAX_ORGANIZATIONS = 3000  # the invented names run out a little above this
# Share of measurements that are identified rather than anonymous.
IDENTIFIED = 0.15
# Random streams of organizations filled by `fill_organization` start here (by primary key).
FILLED_INDEX = 1_000_000
# Measurements written per transaction.
BATCH = 100
# Fields of a registry organization the generator fills in when they are empty.
FILLED_FIELDS = (
    "employees",
    "size_class",
    "municipality_group",
    "named_in_comparisons",
    "named_in_comparisons_decided_at",
    "research_consent",
    "research_consent_decided_at",
)


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


# --- Bulk writing -----------------------------------------------------------------------------


def _insert(
    alias: str, model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]
) -> int:
    """Insert rows into the model's table in one go. Values must already be in the database's form
    (see `_Adapt`)."""
    return insert_rows(alias, model, names, rows)


class _Adapt:
    """Python values in the form the raw insert needs on this connection."""

    def __init__(self, alias: str) -> None:
        self.connection = connections[alias]
        self.native_uuid = self.connection.features.has_native_uuid_field

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex

    def datetime(self, value: datetime.datetime) -> Any:
        return self.connection.ops.adapt_datetimefield_value(value)


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


def _decided_at(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 15, 12, 0, tzinfo=datetime.UTC)


def _write_organizations(
    plans: Sequence[OrganizationPlan],
    existing: dict[tuple[str, str], Organization],
    *,
    seed: int,
) -> dict[int, Organization]:
    """The organizations of the plan, created or filled in; by plan index."""
    taken_slugs = set(Organization.objects.values_list("slug", flat=True))
    by_index: dict[int, Organization] = {}
    new: list[tuple[int, Organization]] = []
    marks: list[GeneratedOrganization] = []
    changed: list[Organization] = []
    for plan in plans:
        decided = _decided_at(plan.years[0]) if plan.years else _decided_at(2019)
        wanted = {
            "employees": plan.employees,
            "size_class": plan.size_class,
            "municipality_group": plan.municipality_group,
            "named_in_comparisons": plan.named_in_comparisons,
            "named_in_comparisons_decided_at": decided,
            "research_consent": plan.research_consent,
            "research_consent_decided_at": decided,
        }
        if plan.registry_code is not None:
            org = existing[(plan.kind, plan.registry_code)]
            previous: dict[str, Any] = {}
            # Fill in only what nobody has decided yet; remember it to restore on replace.
            blank = {
                "employees": org.employees is None,
                "size_class": not org.size_class,
                "municipality_group": not org.municipality_group,
                "named_in_comparisons": org.named_in_comparisons_decided_at is None,
                "research_consent": org.research_consent_decided_at is None,
            }
            for name, value in wanted.items():
                if blank.get(name.removesuffix("_decided_at"), False):
                    old = getattr(org, name)
                    previous[name] = old.isoformat() if isinstance(old, datetime.datetime) else old
                    setattr(org, name, value)
            changed.append(org)
            by_index[plan.index] = org
            marks.append(
                GeneratedOrganization(organization=org, created=False, previous=previous, seed=seed)
            )
        else:
            base = slugify(plan.name)[:90] or "organization"
            slug, n = base, 1
            while slug in taken_slugs:
                n += 1
                slug = f"{base}-{n}"
            taken_slugs.add(slug)
            org = Organization(
                name=plan.name,
                slug=slug,
                kind=plan.kind,
                code=plan.code,
                county=plan.county,
                county_code=plan.county_code,
                # The generated respondents' addresses are person0001@<slug>.example.
                email_domains=f"{slug}.example",
                **wanted,
            )
            new.append((plan.index, org))
    Organization.objects.bulk_update(changed, list(FILLED_FIELDS), batch_size=500)
    Organization.objects.bulk_create([org for _, org in new], batch_size=500)
    for index, org in new:
        by_index[index] = org
        marks.append(GeneratedOrganization(organization=org, created=True, seed=seed))
    GeneratedOrganization.objects.bulk_create(marks, batch_size=500)
    return by_index


def _write_units(
    plans: Sequence[OrganizationPlan], orgs: dict[int, Organization]
) -> dict[tuple[int, int], int]:
    """Every planned unit with its materialized path; unit id by (plan index, unit key)."""
    ids: dict[tuple[int, int], int] = {}
    paths: dict[tuple[int, int], str] = {}
    for top_level in (True, False):  # parents first: sub-units need their ids and paths
        batch: list[tuple[tuple[int, int], str, Unit]] = []
        for plan in plans:
            for unit in plan.units:
                if (unit.parent is None) != top_level:
                    continue
                parent = None if unit.parent is None else (plan.index, unit.parent)
                row = Unit(
                    organization=orgs[plan.index],
                    parent_id=ids[parent] if parent else None,
                    name=unit.name,
                    unit_type=unit.unit_type,
                )
                batch.append(((plan.index, unit.key), paths[parent] if parent else "/", row))
        Unit.objects.bulk_create([row for _, _, row in batch], batch_size=500)
        for key, parent_path, row in batch:
            row.path = f"{parent_path}{row.pk}/"
            ids[key], paths[key] = row.pk, row.path
        Unit.objects.bulk_update([row for _, _, row in batch], ["path"], batch_size=500)
    return ids


def _window(year: int, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """When a generated measurement was open: six autumn weeks (this year: up to now)."""
    start_of_year = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    closed = min(datetime.datetime(year, 11, 15, 16, 0, tzinfo=datetime.UTC), now)
    return max(start_of_year, closed - datetime.timedelta(days=42)), closed


@dataclass
class _Planned:
    plan: OrganizationPlan
    year: int
    earlier: int
    measurement: Measurement


def _write_measurements(
    plans: Sequence[OrganizationPlan],
    orgs: dict[int, Organization],
    instrument: InstrumentVersion,
    *,
    seed: int,
) -> list[_Planned]:
    now = timezone.now()
    planned = []
    for plan in plans:
        for earlier, year in enumerate(plan.years):
            opened, closed = _window(year, now)
            identified = (
                rng_for(seed, STREAM_MEASUREMENT, plan.index, year, 1).random() < IDENTIFIED
            )
            measurement = Measurement(
                organization=orgs[plan.index],
                year=year,
                instrument=instrument,
                state=Measurement.State.CLOSED,
                invitation_mode=Measurement.InvitationMode.EMAIL,
                anonymous=not identified,
                scheduled_reminders_done=2,
                opened_at=opened,
                closed_at=closed,
            )
            planned.append(_Planned(plan, year, earlier, measurement))
    Measurement.objects.bulk_create([p.measurement for p in planned], batch_size=500)
    return planned


@dataclass
class _Counts:
    respondents: int = 0
    responses: int = 0
    answers: int = 0


def _write_people(
    alias: str,
    batch: Sequence[tuple[_Planned, MeasurementSample]],
    *,
    unit_ids: dict[tuple[int, int], int],
    item_pks: np.ndarray,
    seed: int,
) -> _Counts:
    """Respondents, responses and answers of a batch of measurements, one statement per table."""
    adapt = _Adapt(alias)
    counts = _Counts()
    respondents: list[tuple[Any, ...]] = []
    emails: list[list[str]] = []
    for planned, sample in batch:
        m = planned.measurement
        assert m.opened_at is not None
        created = adapt.datetime(m.opened_at - datetime.timedelta(days=7))
        slug = m.organization.slug
        people = [f"person{n + 1:04d}@{slug}.example" for n in range(len(sample.roles))]
        emails.append(people)
        unit_of = [unit_ids[(planned.plan.index, int(u))] for u in sample.units]
        respondents += zip(
            [m.pk] * len(people),
            people,
            unit_of,
            sample.roles,
            sample.languages,
            sample.status,
            [1] * len(people),
            sample.reminders.tolist(),
            [created] * len(people),
            strict=True,
        )
    counts.respondents = _insert(
        alias,
        Respondent,
        (
            "measurement",
            "email",
            "unit",
            "role",
            "language",
            "status",
            "invitations_sent",
            "reminders_sent",
            "created_at",
        ),
        respondents,
    )
    identified = [p.measurement.pk for p, _ in batch if not p.measurement.anonymous]
    respondent_ids = {
        (measurement_id, email): pk
        for measurement_id, email, pk in Respondent.objects.filter(
            measurement_id__in=identified
        ).values_list("measurement_id", "email", "pk")
    }

    responses: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    for (planned, sample), people in zip(batch, emails, strict=True):
        m = planned.measurement
        answering = np.flatnonzero(sample.submitted | sample.started)
        rng = rng_for(seed, STREAM_MEASUREMENT, planned.plan.index, planned.year, 2)
        ids = [adapt.uuid(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(len(answering))]
        submitted = sample.submitted
        for response_id, person in zip(ids, answering.tolist(), strict=True):
            responses.append(
                (
                    response_id,
                    m.pk,
                    respondent_ids.get((m.pk, people[person])),
                    Response.Channel.EMAIL.value,
                    unit_ids[(planned.plan.index, int(sample.units[person]))],
                    sample.roles[person],
                    sample.languages[person],
                    Response.State.SUBMITTED.value
                    if submitted[person]
                    else Response.State.IN_PROGRESS.value,
                )
            )
        values = sample.answers[answering]
        rows, columns = np.nonzero(values != UNANSWERED)
        answers += zip(
            np.array(ids, dtype=object)[rows].tolist(),
            item_pks[columns].tolist(),
            values[rows, columns].tolist(),
            strict=True,
        )
    counts.responses = _insert(
        alias,
        Response,
        ("id", "measurement", "respondent", "channel", "unit", "role", "language", "state"),
        responses,
    )
    counts.answers = _insert(alias, Answer, ("response", "item", "value"), answers)
    return counts


# --- Scoring -------------------------------------------------------------------------------------


@contextmanager
def _resamples(resamples: int | None) -> Iterator[None]:
    if resamples is None:
        yield
        return
    with override_settings(BOOTSTRAP_RESAMPLES=resamples):
        yield


# --- The whole run -----------------------------------------------------------------------------


def _chunks(items: Sequence[_Planned], size: int) -> Iterable[Sequence[_Planned]]:
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
    say = progress or (lambda message: None)
    report = GenerateReport()
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[phase] = report.seconds.get(phase, 0.0) + now - clock
        clock = now

    with pinned_database(database), _resamples(resamples):
        existing = generated_count()
        if existing and not replace:
            raise GenerateError(
                f"The database already holds demo data ({existing} generated organizations). "
                "Run again with --replace to remove it and generate anew."
            )
        if existing:
            with transaction.atomic(using=database):
                report.removed = remove_generated()
            lap("removing")

        try:
            with transaction.atomic(using=database):
                instrument = _instrument()
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
                orgs = _write_organizations(plans, registry_orgs, seed=seed)
                unit_ids = _write_units(plans, orgs)
                planned = _write_measurements(plans, orgs, instrument, seed=seed)
            report.organizations = len(plans)
            report.measurements = len(planned)
            lap("organizations")
            say(f"Planned {len(plans)} organizations and {len(planned)} measurements.")

            items = ItemModel.build(instrument.definition(), seed)
            pk_of = dict(
                InstrumentItem.objects.filter(version=instrument).values_list("item_id", "pk")
            )
            item_pks = np.array([pk_of[item_id] for item_id in instrument.definition().item_ids])
            for number, part in enumerate(_chunks(planned, BATCH), start=1):
                samples = [
                    sample_measurement(p.plan, p.year, earlier=p.earlier, items=items, seed=seed)
                    for p in part
                ]
                lap("sampling answers")
                with transaction.atomic(using=database):
                    counts = _write_people(
                        database,
                        list(zip(part, samples, strict=True)),
                        unit_ids=unit_ids,
                        item_pks=item_pks,
                        seed=seed,
                    )
                report.respondents += counts.respondents
                report.responses += counts.responses
                report.answers += counts.answers
                lap("writing answers")
                if number % 10 == 0:
                    written = min(number * BATCH, len(planned))
                    say(f"  wrote {written} of {len(planned)} measurements")

            report.results = compute_many(
                [p.measurement.pk for p in planned], jobs=jobs, database=database, progress=say
            )
            lap("scoring")
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
            lap("benchmarks")
        except BaseException:
            # Half-written data would pass for a finished population: remove it all.
            with transaction.atomic(using=database):
                remove_generated()
            raise
    return report


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
            planned = _write_measurements([plan], {plan.index: org}, instrument, seed=seed)
            samples = [
                sample_measurement(p.plan, p.year, earlier=p.earlier, items=items, seed=seed)
                for p in planned
            ]
            _write_people(
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
