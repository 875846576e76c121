"""The frozen snapshot of a year: every file a release publishes, made once, as bytes.

`take(year)` loads the year's national page once (the stored national figures, which read only
the door-released stored results, `mognad.national.store`) and makes from it:

- `figures.json`: the national figures as stored (`store.encode`), the public pages' source;
- `participation.json`, `reliability.json`: the rest of the status report's inputs;
- `opendata/…`: the open data package (`opendata.export_page`) with its README;
- `research/…`: the research dataset of the year with its codebook and a data-use note;
- `report/report-sv.html`, `report/report-en.html`: the status report, self-contained;

and each organization's open-data row, named or not (what a key user checks). The files are
stored by the caller and never made again: a release always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from mognad.national import opendata, pages, queries, report, research, store
from mognad.national.models import ReliabilityYear

DATA_USE_NOTE = """# Data-use note / Villkor för användning

**Svenska.** Forskningsdatamängden innehåller svar på respondentnivå från organisationer som har
samtyckt till forskningsanvändning. Den lämnas ut av den nationella samordnaren för forskning och
uppföljning. Försök inte att identifiera personer eller organisationer, länka inte ihop data med
andra källor för att göra det, och publicera bara sammanställningar där varje grupp omfattar minst
{k} respondenter. Dela inte filerna vidare utan samordnarens medgivande, och radera dem när
ändamålet är uppfyllt.

**English.** The research dataset holds respondent-level answers of organizations that agreed to
research use. The national coordinator hands it out for research and follow-up. Do not try to
identify people or organizations, do not link the data with other sources to do so, and publish
only aggregates in which every group covers at least {k} respondents. Do not pass the files on
without the coordinator's consent, and delete them when the purpose is fulfilled.
"""


@dataclass(frozen=True)
class OrganizationRow:
    organization_id: int
    named: bool
    row: list[tuple[str, str]]  # (column, value as written in organizations.csv)


@dataclass(frozen=True)
class Snapshot:
    year: int
    files: dict[str, bytes]
    organizations: list[OrganizationRow]


def _json(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return (text + "\n").encode()


def _folder(directory: Path, prefix: str) -> dict[str, bytes]:
    return {
        f"{prefix}/{path.name}": path.read_bytes()
        for path in sorted(directory.iterdir())
        if path.is_file()
    }


def _participation(page: pages.NationalPage) -> dict[str, Any]:
    """The participation the report shows: counts only (who has not started is not frozen)."""
    found = dataclasses.asdict(page.participation)
    found["not_started"] = len(page.participation.not_started)
    return found


def _report(page: pages.NationalPage, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string("national/report.html", {"report": report.build(page)})
    css = report.STYLESHEET.read_text(encoding="utf-8")
    return html.replace("</head>", f"<style>\n{css}</style>\n</head>", 1).encode()


def take(year: int) -> Snapshot:
    """Every file of the year's release and each organization's row (raises pages.NoInstrument)."""
    found = store.figures(year)
    page = pages.load(year)
    organizations = queries.year_data(year, units=False).organizations
    reliability = ReliabilityYear.objects.filter(year=year).first()
    files: dict[str, bytes] = {
        "figures.json": store.encode(found).encode(),
        "participation.json": _json(_participation(page)),
        "reliability.json": (reliability.figures if reliability else "null").encode(),
    }
    with translation.override("en"):
        header = opendata.organization_header(page)
        rows = [
            OrganizationRow(
                organization_id=org.organization_id,
                named=org.named,
                row=list(
                    zip(header, opendata.cells(opendata.organization_row(page, org)), strict=True)
                ),
            )
            for org in sorted(organizations, key=lambda o: o.organization_id)
        ]
        with tempfile.TemporaryDirectory() as temp:
            opendata.export_page(page, organizations, Path(temp))
            files.update(_folder(Path(temp), "opendata"))
    with tempfile.TemporaryDirectory() as temp:
        research.export(year, year, Path(temp))
        (Path(temp) / "DATA-USE.md").write_text(DATA_USE_NOTE.format(k=page.k), encoding="utf-8")
        files.update(_folder(Path(temp), "research"))
    for language in report.LANGUAGES:
        files[f"report/report-{language}.html"] = _report(page, language)
    return Snapshot(year=year, files=files, organizations=rows)
