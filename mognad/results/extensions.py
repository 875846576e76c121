"""What apps above `results` add to its pages and report, without `results` importing them.

An app registers a function in its `AppConfig.ready()`; the results code calls every registered
one. Two kinds:

- `planned_capabilities(organization, year, scope)`: the capabilities the organization had actions
  for in its plan of `year` – for a unit admin (`scope`, their unit) only the actions of their
  subtree (the *Över tid* tab marks them; `mognad.plans` registers it);
- `report_sections(page)`: extra sections of the organization's PDF report, as HTML rendered from
  the app's own template (the action plan; `mognad.plans` registers it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

from mognad.orgs.models import Organization, Unit

if TYPE_CHECKING:
    from mognad.results.pages.base import Page

PlannedCapabilities = Callable[[Organization, int, Unit | None], frozenset[str]]
ReportSection = Callable[["Page"], SafeString]

_planned: list[PlannedCapabilities] = []
_sections: list[ReportSection] = []


def add_planned_capabilities(source: PlannedCapabilities) -> None:
    if source not in _planned:
        _planned.append(source)


def add_report_section(section: ReportSection) -> None:
    if section not in _sections:
        _sections.append(section)


def planned_capabilities(
    organization: Organization, year: int, scope: Unit | None = None
) -> frozenset[str]:
    found: set[str] = set()
    for source in _planned:
        found |= source(organization, year, scope)
    return frozenset(found)


def report_sections(page: Page) -> list[SafeString]:
    return [section for render in _sections if (section := render(page))]
