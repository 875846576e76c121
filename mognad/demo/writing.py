"""Writing a planned population into the database: organizations, units, measurements, people.

`generate.py` plans the synthetic public sector (population.py) and draws the answers
(answers.py); the functions here turn those plans into rows with one bulk statement per table and
batch. Values go in the database's own form (`Adapt`), since the rows bypass Django's fields.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections, models
from django.utils import timezone
from django.utils.text import slugify

from mognad.demo.answers import MeasurementSample
from mognad.demo.models import GeneratedOrganization
from mognad.demo.population import STREAM_MEASUREMENT, OrganizationPlan, rng_for
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.scale import UNANSWERED
from mognad.orgs.models import Organization, Unit
from mognad.platform.bulk import insert_rows
from mognad.surveys.models import Answer, Measurement, Respondent, Response

# Share of measurements that are identified rather than anonymous.
IDENTIFIED = 0.15
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


# --- Bulk writing -----------------------------------------------------------------------------


def insert(
    alias: str, model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]
) -> int:
    """Insert rows into the model's table in one go. Values must already be in the database's form
    (see `Adapt`)."""
    return insert_rows(alias, model, names, rows)


class Adapt:
    """Python values in the form the raw insert needs on this connection."""

    def __init__(self, alias: str) -> None:
        self.connection = connections[alias]
        self.native_uuid = self.connection.features.has_native_uuid_field

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex

    def datetime(self, value: datetime.datetime) -> Any:
        return self.connection.ops.adapt_datetimefield_value(value)


def decided_at(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 15, 12, 0, tzinfo=datetime.UTC)


def write_organizations(
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
        decided = decided_at(plan.years[0]) if plan.years else decided_at(2019)
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
                if blank.get(name.removesuffix("decided_at"), False):
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


def write_units(
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


def window(year: int, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """When a generated measurement was open: six autumn weeks (this year: up to now)."""
    start_of_year = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    closed = min(datetime.datetime(year, 11, 15, 16, 0, tzinfo=datetime.UTC), now)
    return max(start_of_year, closed - datetime.timedelta(days=42)), closed


@dataclass
class Planned:
    plan: OrganizationPlan
    year: int
    earlier: int
    measurement: Measurement


def write_measurements(
    plans: Sequence[OrganizationPlan],
    orgs: dict[int, Organization],
    instrument: InstrumentVersion,
    *,
    seed: int,
) -> list[Planned]:
    now = timezone.now()
    planned = []
    for plan in plans:
        for earlier, year in enumerate(plan.years):
            opened, closed = window(year, now)
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
            planned.append(Planned(plan, year, earlier, measurement))
    Measurement.objects.bulk_create([p.measurement for p in planned], batch_size=500)
    return planned


@dataclass
class Counts:
    respondents: int = 0
    responses: int = 0
    answers: int = 0


def write_people(
    alias: str,
    batch: Sequence[tuple[Planned, MeasurementSample]],
    *,
    unit_ids: dict[tuple[int, int], int],
    item_pks: np.ndarray,
    seed: int,
) -> Counts:
    """Respondents, responses and answers of a batch of measurements, one statement per table."""
    adapt = Adapt(alias)
    respondents, emails = _write_respondents(alias, adapt, batch, unit_ids)
    responses, answers = _write_responses(
        alias, adapt, batch, emails, unit_ids=unit_ids, item_pks=item_pks, seed=seed
    )
    return Counts(respondents=respondents, responses=responses, answers=answers)


def _write_respondents(
    alias: str,
    adapt: Adapt,
    batch: Sequence[tuple[Planned, MeasurementSample]],
    unit_ids: dict[tuple[int, int], int],
) -> tuple[int, list[list[str]]]:
    """The respondent rows (invented addresses); how many, and each measurement's addresses."""
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
    count = insert(
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
    return count, emails


def _write_responses(
    alias: str,
    adapt: Adapt,
    batch: Sequence[tuple[Planned, MeasurementSample]],
    emails: list[list[str]],
    *,
    unit_ids: dict[tuple[int, int], int],
    item_pks: np.ndarray,
    seed: int,
) -> tuple[int, int]:
    """The responses (linked to their respondent in identified measurements) and their answers."""
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
    responses_written = insert(
        alias,
        Response,
        ("id", "measurement", "respondent", "channel", "unit", "role", "language", "state"),
        responses,
    )
    answers_written = insert(alias, Answer, ("response", "item", "value"), answers)
    return responses_written, answers_written
