"""The plan as CSV and Excel, through the exports' one writer (`surveys.roster.as_csv`: UTF-8 with
a byte-order mark, semicolons, every field quoted, as Swedish Excel opens it) and the one formula
guard of every export (`results.exports.safe_cell`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from mognad.plans.models import ActionPlan, PlannedAction
from mognad.plans.queries import capability_names
from mognad.results.exports import CSV_TYPE, XLSX_TYPE, safe_cell
from mognad.surveys.roster import as_csv, as_xlsx

__all__ = ["CSV_TYPE", "XLSX_TYPE", "Table", "filename", "to_csv", "to_xlsx"]


@dataclass(frozen=True)
class Table:
    """The plan's actions as rows of text (the header first)."""

    plan: ActionPlan
    rows: list[list[str]]

    @classmethod
    def of(cls, plan: ActionPlan, actions: list[PlannedAction]) -> Table:
        names = capability_names(plan.measurement)
        header = [
            _("Organization"),
            _("Year"),
            _("Action"),
            _("Capabilities"),
            _("Description"),
            _("Expected effect"),
            _("Owner"),
            _("Unit"),
            _("Start"),
            _("Due date"),
            _("Status"),
            _("Origin"),
        ]
        rows = [header] + [_row(plan, a, names) for a in actions]
        return cls(plan, [[str(safe_cell(cell)) for cell in row] for row in rows])


def _row(plan: ActionPlan, action: PlannedAction, names: dict[str, str]) -> list[Any]:
    owner = ", ".join(
        part for part in (action.owner, action.owner_user.name if action.owner_user else "") if part
    )
    return [
        plan.organization.name,
        str(plan.year),
        action.title,
        ", ".join(names.get(c, c) for c in action.capabilities),
        action.description,
        action.expected_effect,
        owner,
        action.unit.name if action.unit else "",
        action.start.isoformat() if action.start else "",
        action.due.isoformat() if action.due else "",
        action.get_status_display(),
        action.get_origin_display(),
    ]


def filename(plan: ActionPlan, extension: str) -> str:
    name = slugify(plan.organization.name) or "plan"
    return f"mognad-handlingsplan-{name}-{plan.year}.{extension}"


def to_csv(table: Table) -> bytes:
    return as_csv(table.rows)


def to_xlsx(table: Table) -> bytes:
    return as_xlsx(table.rows, title=_("Action plan %(year)s") % {"year": table.plan.year})
