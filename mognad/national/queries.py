"""Loading the stored data behind the national figures. A fixed number of queries per call.

Nothing here decides what may be shown: stored results are what the disclosure-control door
released (mognad/results/disclosure/), so an organization counts when its organization-level
result was released, a unit when `MeasurementFigures` shows it. What may be shown over groups of
organizations is decided in `release.py`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef

from mognad.orgs.models import Organization
from mognad.results.disclosure.door import threshold, too_small
from mognad.results.figures import MeasurementFigures
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.surveys.models import Measurement, Respondent, Response

NodeKey = tuple[str, str]
OVERALL: NodeKey = ("overall", "")
_SECTIONS = {"dimensions": "dimension", "categories": "category", "capabilities": "capability"}


@dataclass(frozen=True)
class OrganizationYear:
    """One organization's shown organization-level results in one year."""

    organization_id: int
    name: str
    code: str
    named: bool
    research: bool
    kind: str
    size_class: str
    county: str
    municipality_group: str
    measurement_id: int
    instrument: str
    respondents: int
    invited: int | None
    computed_at: datetime
    # Shown node scores (overall, dimension, category, capability) and their 95 % intervals.
    scores: dict[NodeKey, float] = field(default_factory=dict)
    intervals: dict[NodeKey, tuple[float | None, float | None]] = field(default_factory=dict)
    counts: dict[NodeKey, int] = field(default_factory=dict)
    quadrant: str | None = None
    quadrant_uncertain: bool = False
    # Category id → (SD of respondents' category scores, respondents) for shown categories.
    consensus: dict[str, tuple[float, int]] = field(default_factory=dict)
    # Item id → ("Vet ej" answers, answers on the scale).
    items: dict[str, tuple[int, int]] = field(default_factory=dict)
    straight_lining: int = 0
    low_response_rate: bool = False


@dataclass(frozen=True)
class UnitYear:
    """A unit's shown overall score: the unit and everything below it."""

    organization_id: int
    unit_id: int
    unit_type: str
    # The nearest ancestor unit with stored results has the same unit type (a sub-unit of a sector).
    inside_same_type: bool
    respondents: int
    score: float


@dataclass(frozen=True)
class YearData:
    year: int
    organizations: list[OrganizationYear]
    # Organizations with a closed measurement whose results are under the anonymity threshold.
    hidden: int
    units: list[UnitYear]
    k: int

    @property
    def data_date(self) -> datetime | None:
        return max((o.computed_at for o in self.organizations), default=None)


def closed_measurements(year: int) -> list[Measurement]:
    """One closed measurement with results per organization (the latest if several)."""
    has_results = MeasurementResult.objects.filter(
        measurement=OuterRef("pk"), group_kind=MeasurementResult.GroupKind.ORGANIZATION
    )
    found: dict[int, Measurement] = {}
    for measurement in (
        Measurement.objects.filter(year=year, state=Measurement.State.CLOSED)
        .filter(Exists(has_results))
        .select_related("organization", "instrument")
        .order_by("id")
    ):
        found[measurement.organization_id] = measurement
    return [found[key] for key in sorted(found)]


def _organization_year(
    measurement: Measurement, result: MeasurementResult, k: int
) -> OrganizationYear:
    payload: dict[str, Any] = result.payload or {}
    org = measurement.organization
    scores: dict[NodeKey, float] = {}
    intervals: dict[NodeKey, tuple[float | None, float | None]] = {}
    counts: dict[NodeKey, int] = {}

    def take(node: NodeKey, entry: dict[str, Any] | None) -> None:
        if not entry:
            return
        n = int(entry.get("n") or 0)
        counts[node] = n
        if entry.get("score") is None or too_small(n, k):
            return
        scores[node] = float(entry["score"])
        ci = entry.get("ci") or (None, None)
        intervals[node] = (ci[0], ci[1])

    take(OVERALL, payload.get("overall"))
    for section, kind in _SECTIONS.items():
        for node_id, entry in (payload.get(section) or {}).items():
            take((kind, node_id), entry)
    quadrant = payload.get("quadrant") or None
    dimensions = list((payload.get("dimensions") or {}).keys())
    quadrant_shown = quadrant and all(("dimension", d) in scores for d in dimensions)
    consensus = {}
    for category_id, entry in (payload.get("consensus") or {}).items():
        if ("category", category_id) in scores and entry.get("sd") is not None:
            consensus[category_id] = (float(entry["sd"]), int(entry.get("n") or 0))
    items = {
        item_id: (int(entry.get("dont_know") or 0), int(entry.get("n") or 0))
        for item_id, entry in (payload.get("items") or {}).items()
    }
    straight = 0
    low_rate = False
    for flag in payload.get("flags") or []:
        if flag.get("code") == "straight_lining":
            straight = int(flag.get("detail", {}).get("respondents", 0))
        if flag.get("code") == "low_response_rate":
            low_rate = True
    return OrganizationYear(
        organization_id=org.pk,
        name=org.name,
        code=org.code,
        named=org.named_in_comparisons,
        research=org.research_consent,
        kind=org.kind,
        size_class=org.size_class,
        county=org.county,
        municipality_group=org.municipality_group,
        measurement_id=measurement.pk,
        instrument=measurement.instrument.key,
        respondents=int(result.respondents),
        invited=result.invited,
        computed_at=result.computed_at,
        scores=scores,
        intervals=intervals,
        counts=counts,
        quadrant=str(quadrant["type"]) if quadrant_shown and quadrant else None,
        quadrant_uncertain=bool(quadrant.get("uncertain"))
        if quadrant_shown and quadrant
        else False,
        consensus=consensus,
        items=items,
        straight_lining=straight,
        low_response_rate=low_rate,
    )


def _units(measurements: list[Measurement], k: int) -> list[UnitYear]:
    """Every unit whose overall figure its organization would see, with its unit type.

    The stored groups are rebuilt as lightweight results (respondents and the overall score only)
    so `MeasurementFigures` shows exactly what the organization's own pages show.
    """
    by_measurement: dict[int, list[MeasurementResult]] = defaultdict(list)
    results = {
        r.pk: r
        for r in MeasurementResult.objects.filter(measurement__in=measurements)
        .select_related("unit")
        .only(
            "id",
            "measurement_id",
            "group_kind",
            "group_key",
            "respondents",
            "invited",
            "computed_at",
            "unit__id",
            "unit__path",
            "unit__unit_type",
            "unit__name",
            "unit__organization_id",
        )
    }
    overall = {
        result_id: (score, low, high, n)
        for result_id, score, low, high, n in MeasurementScore.objects.filter(
            result_id__in=list(results), node=MeasurementScore.Node.OVERALL
        ).values_list("result_id", "score", "ci_low", "ci_high", "n")
    }
    for result in results.values():
        score, low, high, n = overall.get(result.pk, (None, None, None, 0))
        result.payload = {
            "respondents": result.respondents,
            "overall": {"score": score, "ci": [low, high], "n": n},
        }
        by_measurement[result.measurement_id].append(result)
    found = []
    for measurement in measurements:
        figures = MeasurementFigures(measurement, by_measurement[measurement.pk], k=k)
        types = {
            key[1]: group.result.unit.unit_type
            for key, group in figures.groups.items()
            if key[0] == "unit" and group.result.unit is not None
        }
        for group in figures.units():
            unit = group.result.unit
            figure = figures.figure(group.key, OVERALL)
            if unit is None or figure is None:
                continue
            parent = group.parent
            inside = bool(parent and parent[0] == "unit" and types.get(parent[1]) == unit.unit_type)
            found.append(
                UnitYear(
                    organization_id=measurement.organization_id,
                    unit_id=unit.pk,
                    unit_type=unit.unit_type,
                    inside_same_type=inside,
                    respondents=group.respondents,
                    score=figure.score,
                )
            )
    return found


def year_data(year: int, *, units: bool = True) -> YearData:
    """The shown results of every organization that closed a measurement in `year`."""
    k = threshold()
    measurements = closed_measurements(year)
    results = {
        r.measurement_id: r
        for r in MeasurementResult.objects.filter(
            measurement__in=measurements, group_kind=MeasurementResult.GroupKind.ORGANIZATION
        )
    }
    shown, hidden = [], 0
    for measurement in measurements:
        result = results[measurement.pk]
        if too_small(int(result.respondents), k):
            hidden += 1
            continue
        shown.append(_organization_year(measurement, result, k))
    # Scored, but the door released nothing (the whole organization has fewer than k responses).
    has_results = MeasurementResult.objects.filter(measurement=OuterRef("pk"))
    hidden += (
        Measurement.objects.filter(
            year=year, state=Measurement.State.CLOSED, results_released_at__isnull=False
        )
        .exclude(Exists(has_results))
        .exclude(organization_id__in=[m.organization_id for m in measurements])
        .values("organization_id")
        .distinct()
        .count()
    )
    shown_ids = {o.measurement_id for o in shown}
    unit_rows = _units([m for m in measurements if m.pk in shown_ids], k) if units else []
    return YearData(year=year, organizations=shown, hidden=hidden, units=unit_rows, k=k)


def years_with_results() -> list[int]:
    """Years with at least one closed measurement with stored results, oldest first."""
    return sorted(
        set(
            MeasurementResult.objects.filter(
                group_kind=MeasurementResult.GroupKind.ORGANIZATION,
                measurement__state=Measurement.State.CLOSED,
            ).values_list("measurement__year", flat=True)
        )
    )


# --- Participation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationStatus:
    """Where one registered organization stands in a year."""

    organization_id: int
    name: str
    kind: str
    county: str
    state: str  # "closed", "open", "draft" or "" (no measurement)
    invited: int
    responded: int
    # Invited by personal link only: the response rate can be computed.
    tracked: bool


def participation_rows(year: int) -> list[OrganizationStatus]:
    """Every registered organization with its measurement state and counts in `year`."""
    # Organization → (measurement id, state, invitation mode) of its most advanced measurement.
    measurements: dict[int, tuple[int, str, str]] = {}
    rank = {"draft": 0, "open": 1, "closed": 2}
    for pk, org_id, state, mode in (
        Measurement.objects.filter(year=year)
        .order_by("id")
        .values_list("id", "organization_id", "state", "invitation_mode")
    ):
        current = measurements.get(org_id)
        if current is None or rank[state] >= rank[current[1]]:
            measurements[org_id] = (pk, state, mode)
    invited = dict(
        Respondent.objects.filter(measurement__year=year)
        .exclude(status=Respondent.Status.PENDING)
        .values_list("measurement_id")
        .annotate(n=Count("id"))
        .values_list("measurement_id", "n")
    )
    responded = dict(
        Response.objects.filter(measurement__year=year, state=Response.State.SUBMITTED)
        .values_list("measurement_id")
        .annotate(n=Count("id"))
        .values_list("measurement_id", "n")
    )
    rows = []
    for org_id, name, kind, county in Organization.objects.order_by("name", "id").values_list(
        "id", "name", "kind", "county"
    ):
        found = measurements.get(org_id)
        if found is None:
            rows.append(OrganizationStatus(org_id, name, kind, county, "", 0, 0, False))
            continue
        pk, state, mode = found
        rows.append(
            OrganizationStatus(
                org_id,
                name,
                kind,
                county,
                state,
                invited.get(pk, 0),
                responded.get(pk, 0),
                # Personal links only (uses_email() and not uses_open_link()).
                mode == Measurement.InvitationMode.EMAIL,
            )
        )
    return rows


def latest_activity(year: int) -> datetime | None:
    """When the year's newest measurement was created, opened or closed (the date of the data)."""
    found = Measurement.objects.filter(year=year).aggregate(
        created=Max("created_at"), opened=Max("opened_at"), closed=Max("closed_at")
    )
    stamps = [value for value in found.values() if value is not None]
    return max(stamps) if stamps else None
