"""Read-only queries behind the key users' pages (tenant access is checked before they run)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from mognad.orgs.models import Organization, Unit
from mognad.surveys.models import Measurement, Respondent, Response, Role


@dataclass
class Rate:
    label: str
    total: int = 0
    invited: int = 0
    started: int = 0
    completed: int = 0

    @property
    def percent(self) -> int | None:
        if not self.invited:
            return None
        return round(100 * self.completed / self.invited)


@dataclass
class ResponseRates:
    total: Rate
    by_unit: list[Rate] = field(default_factory=list)
    by_role: list[Rate] = field(default_factory=list)
    open_link_started: int = 0
    open_link_submitted: int = 0


def _rate(label: str, row: dict[str, int]) -> Rate:
    return Rate(
        label=label,
        total=row["total"],
        invited=row["invited"],
        started=row["started"],
        completed=row["completed"],
    )


_COUNTS = {
    "total": Count("id"),
    "invited": Count("id", filter=~Q(status=Respondent.Status.PENDING)),
    "started": Count("id", filter=Q(status=Respondent.Status.STARTED)),
    "completed": Count("id", filter=Q(status=Respondent.Status.COMPLETED)),
}


def response_rates(
    measurement: Measurement, respondents: QuerySet[Respondent], *, label: str, no_unit: str
) -> ResponseRates:
    """Live response rate of `respondents` (already limited to what the user may see)."""
    total = _rate(label, respondents.aggregate(**_COUNTS))
    unit_names = dict(
        Unit.objects.filter(organization=measurement.organization).values_list("pk", "name")
    )
    unit_paths = dict(
        Unit.objects.filter(organization=measurement.organization).values_list("pk", "path")
    )
    by_unit = [
        _rate(unit_names.get(row["unit"], no_unit) if row["unit"] else no_unit, row)
        for row in sorted(
            respondents.values("unit").annotate(**_COUNTS),
            key=lambda row: unit_paths.get(row["unit"], "~"),
        )
    ]
    role_labels = dict(Role.choices)
    by_role = [
        _rate(str(role_labels.get(row["role"], row["role"])), row)
        for row in respondents.values("role").annotate(**_COUNTS).order_by("role")
    ]
    rates = ResponseRates(total=total, by_unit=by_unit, by_role=by_role)
    if measurement.uses_open_link():
        counts = Response.objects.filter(
            measurement=measurement, channel=Response.Channel.OPEN_LINK
        ).aggregate(
            started=Count("id"), submitted=Count("id", filter=Q(state=Response.State.SUBMITTED))
        )
        rates.open_link_started = counts["started"]
        rates.open_link_submitted = counts["submitted"]
    return rates


def organization_units(org: Organization) -> QuerySet[Unit]:
    return Unit.objects.filter(organization=org)


def existing_respondents(measurement: Measurement) -> dict[str, int | None]:
    return dict(measurement.respondents.values_list("email", "unit_id"))


def latest_instrument() -> object:
    from mognad.instrument.models import InstrumentVersion

    return InstrumentVersion.latest()
