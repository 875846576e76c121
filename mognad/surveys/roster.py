"""The respondent roster across years: a new measurement with last year's people, people marked as
having left, and the roster as a CSV or Excel file (issue 13, "year two").

Actions here follow actions.py's rules: atomic, audited, `ActionError` for what is not allowed now.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.instrument.models import InstrumentVersion
from mognad.orgs import domains
from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, Unit, User
from mognad.platform.actions import ActionError
from mognad.surveys.actions import ERASED_PREFIX, create_measurement
from mognad.surveys.importing import safe_cell
from mognad.surveys.models import Measurement, Respondent, Role


def years_taken(org: Organization) -> set[int]:
    """The years the organization already has a measurement for (a new one is not offered)."""
    return set(Measurement.objects.filter(organization=org).values_list("year", flat=True))


def earlier_measurements(org: Organization, year: int) -> list[tuple[Measurement, int]]:
    """The organization's measurements before `year` with people to copy, newest first, each with
    how many would be copied."""
    staying = Count(
        "respondents",
        filter=Q(respondents__left_at=None) & ~Q(respondents__email__startswith=ERASED_PREFIX),
    )
    found = (
        Measurement.objects.filter(organization=org, year__lt=year)
        .annotate(staying=staying)
        .filter(staying__gt=0)
        .order_by("-year", "-id")
    )
    return [(measurement, measurement.staying) for measurement in found]


@transaction.atomic
def create_with_respondents(
    org: Organization,
    *,
    year: int,
    instrument: InstrumentVersion,
    copy_from: Measurement | None,
    by: User,
) -> tuple[Measurement, int]:
    """A draft for `year`, with the people of `copy_from` if given; returns it and how many were
    copied."""
    measurement = create_measurement(org, year=year, instrument=instrument, by=by)
    copied = copy_respondents(copy_from, measurement, by=by) if copy_from is not None else 0
    return measurement, copied


@transaction.atomic
def copy_respondents(source: Measurement, target: Measurement, *, by: User) -> int:
    """Email, unit, role and language of `source`'s people into the draft `target`, without those
    marked as having left, those whose address was erased and those outside the organization's
    e-mail domains now (orgs/domains.py). Returns how many were copied."""
    target = Measurement.objects.select_for_update().get(pk=target.pk)
    if source.organization_id != target.organization_id or source.year >= target.year:
        raise ActionError(_("Respondents can be copied only from an earlier year's measurement."))
    if not target.is_draft():
        raise ActionError(_("Respondents can be copied only into a draft."))
    people = source.respondents.filter(left_at=None).exclude(email__startswith=ERASED_PREFIX)
    known = set(target.respondents.values_list("email", flat=True))
    outside = set(domains.outside(target.organization, people.values_list("email", flat=True)))
    copies = [
        Respondent(
            measurement=target,
            email=person.email,
            unit_id=person.unit_id,
            role=person.role,
            language=person.language,
        )
        for person in people.order_by("email")
        if person.email not in known and person.email not in outside
    ]
    Respondent.objects.bulk_create(copies, batch_size=500)
    audit(
        "respondent.copy",
        by=by,
        organization=target.organization,
        target=str(target),
        source=str(source),
        copied=len(copies),
        outside_domains=len(outside),
    )
    return len(copies)


@transaction.atomic
def mark_left(respondent: Respondent, *, left: bool, by: User) -> None:
    """Mark a person as having left the organization, or undo it: copies leave them out."""
    respondent.left_at = timezone.now() if left else None
    respondent.save(update_fields=["left_at"])
    measurement = respondent.measurement
    audit(
        "respondent.left" if left else "respondent.returned",
        by=by,
        organization=measurement.organization,
        target=respondent.email,
        measurement=str(measurement),
    )


EXPORT_COLUMNS = ("email", "unit", "role", "language", "status", "left")


def _unit_paths(org: Organization) -> dict[int, str]:
    """Unit id → "Parent / Unit", the form the import reads back even when names repeat."""
    units = {unit.pk: unit for unit in Unit.objects.filter(organization=org)}
    return {
        pk: " / ".join(
            units[int(part)].name for part in unit.path.strip("/").split("/") if int(part) in units
        )
        or unit.name
        for pk, unit in units.items()
    }


@transaction.atomic
def export(
    measurement: Measurement, respondents: QuerySet[Respondent], *, kind: str, by: User
) -> bytes:
    """The roster as "csv" or "xlsx"; audited, since it holds people's addresses."""
    rows = export_rows(measurement, respondents)
    audit(
        "respondent.export",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
        rows=len(rows) - 1,
        format=kind,
    )
    if kind == "xlsx":
        return as_xlsx(rows, title=_("Respondents %(year)s") % {"year": measurement.year})
    return as_csv(rows)


def export_rows(measurement: Measurement, respondents: QuerySet[Respondent]) -> list[list[str]]:
    """The roster as text rows with the import's column names, so the file can be imported again.
    Every cell is guarded against formulas."""
    units = _unit_paths(measurement.organization)
    roles = dict(Role.choices)
    statuses = dict(Respondent.Status.choices)
    rows = [list(EXPORT_COLUMNS)]
    for person in respondents.order_by("email"):
        rows.append(
            [
                safe_cell(cell)
                for cell in (
                    person.email,
                    units.get(person.unit_id, "") if person.unit_id else "",
                    str(roles.get(person.role, person.role)),
                    person.language,
                    _status(measurement, person, statuses),
                    _("yes") if person.left_at else "",
                )
            ]
        )
    return rows


def _status(measurement: Measurement, person: Respondent, statuses: dict[str, Any]) -> str:
    """As on the page: in an anonymous measurement nobody learns who has answered."""
    if measurement.anonymous and person.status != Respondent.Status.PENDING:
        return _("Invitation sent")
    return str(statuses.get(person.status, person.status))


def as_csv(rows: list[list[str]]) -> bytes:
    """Swedish Excel opens it as it is: UTF-8 with a byte-order mark, semicolons, all quoted."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (36, 30, 32, 10, 16, 10), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
