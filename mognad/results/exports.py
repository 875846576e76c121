"""CSV and Excel exports of an organization's aggregated results.

Aggregates only (no answer of any person), with the anonymity threshold applied through `figures`,
and protected against formula injection: a text cell that a spreadsheet could read as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mognad.results.figures import ORGANIZATION, OVERALL, NodeKey
from mognad.results.pages import Page
from mognad.results.wording import node_names, role_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Numbers as they are; text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
                    round(figure.score, 1),
                    round(figure.low, 1) if figure.low is not None else "",
                    round(figure.high, 1) if figure.high is not None else "",
                    figure.n,
                    figure.dont_know if node[0] == "item" else "",
                    "",
                ]
            )
    return [[safe_cell(cell) for cell in line] for line in table]


def to_csv(page: Page) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers()])
    writer.writerows(rows(page))
    return out.getvalue()


def to_xlsx(page: Page) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(page.year)
    sheet.append([safe_cell(h) for h in headers()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in rows(page):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
