"""CSV and Excel exports of an organization's aggregated results.

Aggregates only (no answer of any person), as the disclosure-control door released them, and
protected against formula injection: every text cell goes through the one guard of every export
(`surveys.importing.safe_cell`). The CSV opens as it is in Swedish Excel – the respondent list's
writer (`surveys.roster.as_csv`): UTF-8 with a byte-order mark, semicolons, every field quoted,
decimal commas in Swedish. The Excel workbook has one sheet per level (overall and dimensions,
categories, capabilities, statements), frozen headers and columns as wide as their contents.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mognad.results.figures import ORGANIZATION, OVERALL, NodeKey
from mognad.results.pages import Page
from mognad.results.wording import node_names, number, role_name, rounded
from mognad.surveys.importing import safe_cell as guard_text
from mognad.surveys.roster import as_csv

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: Any) -> Any:
    """Numbers as they are; text through the one formula guard of every export
    (`surveys.importing.safe_cell`)."""
    return guard_text(value) if isinstance(value, str) else value


def filename(page: Page, extension: str) -> str:
    name = slugify(page.group_name) or "results"
    return f"mognad-{name}-{page.year}.{extension}"


def headers() -> list[str]:
    return [
        _("Organization"),
        _("Year"),
        _("Instrument"),
        _("Group type"),
        _("Group"),
        _("Respondents"),
        _("Level"),
        _("Id"),
        _("Name"),
        _("Score, percent"),
        _("Confidence interval, low"),
        _("Confidence interval, high"),
        _("Answered"),
        _("Don't know"),
        _("Note"),
    ]


def _nodes(page: Page) -> list[NodeKey]:
    instrument = page.instrument
    nodes: list[NodeKey] = [OVERALL]
    nodes += [("dimension", d.id) for d in instrument.dimensions]
    nodes += [("category", c.id) for c in instrument.categories]
    nodes += [("capability", c.id) for c in instrument.capabilities]
    nodes += [("item", i.id) for i in instrument.items]
    return nodes


def rows(page: Page) -> list[list[Any]]:
    """Every group the user may see (their subtree; roles for the whole organization) × node."""
    figures = page.figures
    names = node_names(page.instrument, page.lang)
    levels = {
        "overall": _("Overall"),
        "dimension": _("Dimension"),
        "category": _("Category"),
        "capability": _("Capability"),
        "item": _("Statement"),
    }
    kinds = {"organization": _("Organization"), "unit": _("Unit"), "role": _("Role")}
    groups = list(figures.subtree(page.group))
    if page.group == ORGANIZATION:
        groups += figures.roles()
    hidden_note = _("Hidden: too few respondents (fewer than %(k)s), or derivable from others") % {
        "k": figures.k
    }
    prefix = [page.organization.name, page.year, page.measurement.instrument.key]
    table: list[list[Any]] = []
    for group in groups:
        key = group.key
        if key == ORGANIZATION:
            label = page.organization.name
        elif key[0] == "unit":
            label = group.unit_name or _("A unit that no longer exists")
        else:
            label = role_name(key[1])
        respondents = figures.respondents(key)
        start = [*prefix, kinds[key[0]], label, respondents]
        if respondents is None:
            table.append([*start, "", "", "", "", "", "", "", "", hidden_note])
            continue
        for node in _nodes(page):
            figure = figures.figure(key, node)
            base = [*start, levels[node[0]], node[1], names.get(node, node[1])]
            if figure is None:
                table.append([*base, "", "", "", "", "", hidden_note])
                continue
            table.append(
                [
                    *base,
                    _tenth(figure.score),
                    _tenth(figure.low) if figure.low is not None else "",
                    _tenth(figure.high) if figure.high is not None else "",
                    figure.n,
                    figure.dont_know if node[0] == "item" else "",
                    "",
                ]
            )
    return [[safe_cell(cell) for cell in line] for line in table]


def _tenth(value: float) -> float:
    """A figure to a tenth by the pages' one rounding (`wording.rounded`)."""
    return float(rounded(value, 1))


def _text(cell: Any) -> str:
    """A cell as CSV text: decimals with the language's decimal mark (48,3 in Swedish)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return number(cell, 1)
    return str(cell)


def to_csv(page: Page) -> bytes:
    return as_csv(
        [[_text(h) for h in [safe_cell(h) for h in headers()]]]
        + [[_text(cell) for cell in line] for line in rows(page)]
    )


LEVEL_COLUMN = 6  # "Level": the sheet a row goes to


def _sheets() -> list[tuple[str, set[str]]]:
    """The workbook's sheets: a title and the levels (as written in the Level column) on it."""
    return [
        (_("Overall and dimensions"), {_("Overall"), _("Dimension")}),
        (_("Categories"), {_("Category")}),
        (_("Capabilities"), {_("Capability")}),
        (_("Statements"), {_("Statement")}),
    ]


def to_xlsx(page: Page) -> bytes:
    workbook = Workbook()
    table = rows(page)
    header = [safe_cell(h) for h in headers()]
    for index, (title, levels) in enumerate(_sheets()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        # A withheld group has one row without a level: it is listed on every sheet.
        lines = [line for line in table if line[LEVEL_COLUMN] in levels or not line[LEVEL_COLUMN]]
        for line in lines:
            sheet.append(line)
        sheet.freeze_panes = "A2"
        for column, cells in enumerate(zip(header, *lines, strict=False), start=1):
            longest = max(len(_text(cell)) for cell in cells)
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, longest + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
