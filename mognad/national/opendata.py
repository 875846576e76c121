"""Open data for a year: per-organization scores and national aggregates, as a Frictionless Data
Package (CSV files plus `datapackage.json` describing every column).

- `organizations.csv`: organizations that agreed to be named in comparisons (their consent to
  publication), with overall, dimension and category scores, 95 % intervals and respondent counts.
  A figure under the anonymity threshold is left empty; an organization whose whole result is under
  it is left out (the same rule as everywhere, from `mognad.results`).
- `national.csv`: the national means with t intervals (every node), and overall maturity by
  kind of organization, size class, county, municipality group and unit type; hidden groups have
  counts but no figures.

Reproducible: the same database and year give byte-identical files (no timestamps).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from mognad.national import pages, queries, release
from mognad.national.figures import GroupRow
from mognad.national.queries import OVERALL, NodeKey, OrganizationYear
from mognad.national.stats import Mean
from mognad.results.wording import node_names


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def field(name: str, kind: str, description: str, sv: str = "", **extra: Any) -> dict[str, Any]:
    """A column of a table schema; `sv` (the Swedish description) makes it "English / Swedish"."""
    text = f"{description} / {sv}" if sv else description
    return {"name": name, "type": kind, "description": text, **extra}


def resource(
    name: str, path: str, title: str, fields: list[dict[str, Any]], **schema: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": [""], **schema},
    }


def write_package(directory: Path, descriptor: dict[str, Any]) -> None:
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (directory / "datapackage.json").write_text(text, encoding="utf-8")


def _nodes(page: pages.NationalPage) -> list[tuple[NodeKey, str]]:
    """(node, column prefix) for overall, dimensions and categories, in instrument order."""
    found: list[tuple[NodeKey, str]] = [(OVERALL, "overall")]
    found += [(("dimension", d.id), d.id) for d in page.instrument.dimensions]
    found += [(("category", c.id), c.id) for c in page.instrument.categories]
    return found


def _organization_fields(page: pages.NationalPage) -> list[dict[str, Any]]:
    fields = [
        field(
            "organization",
            "string",
            "The organization's name.",
            "Organisationens namn.",
            constraints={"required": True},
        ),
        field(
            "code",
            "string",
            "Official code: municipality (4 digits), region (2), or org number.",
            "Officiell kod: kommunkod (4 siffror), regionkod (2) eller organisationsnummer.",
        ),
        field(
            "kind",
            "string",
            "Kind of organization.",
            "Slag av organisation.",
            constraints={"enum": ["municipality", "region", "agency", "company"]},
        ),
        field("county", "string", "County (län).", "Län."),
        field(
            "size_class",
            "string",
            "Size class by employees: XS, S, M, L or XL.",
            "Storleksklass efter antal anställda: XS, S, M, L eller XL.",
        ),
        field(
            "municipality_group",
            "string",
            "SKR's municipality group (kommungrupp).",
            "SKR:s kommungrupp.",
        ),
        field(
            "year",
            "integer",
            "Year of the measurement.",
            "Mätningens år.",
            constraints={"required": True},
        ),
        field(
            "instrument",
            "string",
            "Questionnaire and version, slug@version.",
            "Enkät och version, slug@version.",
        ),
        field(
            "respondents",
            "integer",
            "Respondents with at least one answer on the scale.",
            "Svarande med minst ett svar på skalan.",
            constraints={"minimum": 0},
        ),
        field(
            "type",
            "string",
            "Maturity type in the capability × legacy matrix (empty when a dimension is hidden).",
            "Mognadstyp i matrisen förmåga × arv (tom när en dimension är dold).",
        ),
    ]
    return fields + _node_fields(page)


def _node_fields(page: pages.NationalPage) -> list[dict[str, Any]]:
    """Score, interval and count columns of overall, every dimension and every category."""
    percent = {"minimum": 0, "maximum": 100}
    fields: list[dict[str, Any]] = []
    names = node_names(page.instrument, page.lang)
    with translation.override("sv"):
        swedish = node_names(page.instrument, "sv")
    for node, prefix in _nodes(page):
        label, namn = names.get(node, prefix), swedish.get(node, prefix)
        fields += [
            field(
                f"{prefix}_score",
                "number",
                f"{label}: percent of optimal preconditions (empty when hidden).",
                f"{namn}: procent av optimala förutsättningar (tom när värdet är dolt).",
                constraints=percent,
            ),
            field(
                f"{prefix}_ci_low",
                "number",
                f"{label}: lower end of the 95 % interval.",
                f"{namn}: 95 %-intervallets nedre gräns.",
                constraints=percent,
            ),
            field(
                f"{prefix}_ci_high",
                "number",
                f"{label}: upper end of the 95 % interval.",
                f"{namn}: 95 %-intervallets övre gräns.",
                constraints=percent,
            ),
            field(
                f"{prefix}_n",
                "integer",
                f"{label}: respondents with an answer.",
                f"{namn}: svarande med ett svar.",
                constraints={"minimum": 0},
            ),
        ]
    return fields


def organization_header(page: pages.NationalPage) -> list[str]:
    return [f["name"] for f in _organization_fields(page)]


def organization_row(page: pages.NationalPage, org: OrganizationYear) -> list[Any]:
    """The organization's row of `organizations.csv` (written only for named organizations)."""
    row: list[Any] = [
        org.name,
        org.code,
        org.kind,
        org.county,
        org.size_class,
        org.municipality_group,
        page.year,
        org.instrument,
        org.respondents,
        org.quadrant or "",
    ]
    for node, _prefix in _nodes(page):
        low, high = org.intervals.get(node, (None, None))
        shown = node in org.scores
        row += [
            _round(org.scores.get(node)),
            _round(low) if shown else None,
            _round(high) if shown else None,
            org.counts.get(node, 0) if shown else None,
        ]
    return row


def cells(row: Sequence[Any]) -> list[str]:
    """A row's values as written in the CSV file."""
    return [_cell(value) for value in row]


def organization_rows(
    page: pages.NationalPage, organizations: list[OrganizationYear]
) -> list[list[Any]]:
    return [
        organization_row(page, org)
        for org in sorted(organizations, key=lambda o: (o.name, o.organization_id))
        if org.named
    ]


NATIONAL_FIELDS = [
    field("year", "integer", "Year.", "År.", constraints={"required": True}),
    field(
        "breakdown",
        "string",
        "What the row describes: 'all' (the national figure of a node) or the grouping of "
        "organizations (kind, size_class, county, municipality_group) or of sector units "
        "(unit_type), for overall maturity.",
        "Vad raden beskriver: 'all' (en nods nationella värde) eller grupperingen av "
        "organisationer (kind, size_class, county, municipality_group) eller av "
        "verksamhetsenheter (unit_type), för total mognad.",
        constraints={
            "required": True,
            "enum": ["all", "kind", "size_class", "county", "municipality_group", "unit_type"],
        },
    ),
    field(
        "group",
        "string",
        "The group's value (empty for 'all' and for organizations without one).",
        "Gruppens värde (tomt för 'all' och för organisationer utan grupp).",
    ),
    field(
        "node",
        "string",
        "overall, dimension, category or capability.",
        "overall (total), dimension, category (kategori) eller capability (förmåga).",
        constraints={"enum": ["overall", "dimension", "category", "capability"]},
    ),
    field(
        "node_id",
        "string",
        "The node's id in the instrument (empty for overall).",
        "Nodens id i enkäten (tomt för total).",
    ),
    field(
        "organizations",
        "integer",
        "Organizations counted.",
        "Antal organisationer.",
        constraints={"minimum": 0},
    ),
    field(
        "units",
        "integer",
        "Sector units counted (unit_type rows only).",
        "Antal verksamhetsenheter (bara rader med unit_type).",
        constraints={"minimum": 0},
    ),
    field(
        "mean",
        "number",
        "Mean of the organizations' (or units') scores, percent; empty when the group is hidden.",
        "Medelvärde av organisationernas (eller enheternas) värden, procent; tomt när gruppen "
        "är dold.",
        constraints={"minimum": 0, "maximum": 100},
    ),
    field(
        "ci_low",
        "number",
        "Lower end of the 95 % t interval over organizations (or units).",
        "95 %-t-intervallets nedre gräns över organisationer (eller enheter).",
    ),
    field(
        "ci_high",
        "number",
        "Upper end of the 95 % t interval over organizations (or units).",
        "95 %-t-intervallets övre gräns över organisationer (eller enheter).",
    ),
    field(
        "sd",
        "number",
        "Standard deviation between organizations (or units).",
        "Standardavvikelse mellan organisationer (eller enheter).",
    ),
]


def _mean_cells(mean: Mean | None) -> list[float | None]:
    if mean is None or mean.mean is None:
        return [None, None, None, None]
    return [_round(mean.mean), _round(mean.low), _round(mean.high), _round(mean.sd)]


def national_rows(page: pages.NationalPage) -> list[list[Any]]:
    national = page.national
    order: list[NodeKey] = [OVERALL]
    order += [("dimension", d.id) for d in page.instrument.dimensions]
    order += [("category", c.id) for c in page.instrument.categories]
    order += [("capability", c.id) for c in page.instrument.capabilities]
    rows: list[list[Any]] = []
    for node in order:
        mean = national.nodes.get(node)
        rows.append(
            [
                page.year,
                "all",
                "",
                node[0],
                node[1],
                mean.n if mean else 0,
                None,
                *_mean_cells(mean),
            ]
        )
    breakdowns: list[tuple[str, list[GroupRow]]] = [
        ("kind", national.by_kind),
        ("size_class", national.by_size_class),
        ("county", national.by_county),
        ("municipality_group", national.by_municipality_group),
        ("unit_type", national.by_unit_type),
    ]
    for name, groups in breakdowns:
        for group in groups:
            units = group.units if name == "unit_type" else None
            rows.append(
                [
                    page.year,
                    name,
                    group.key,
                    "overall",
                    "",
                    group.organizations,
                    units,
                    *_mean_cells(group.mean),
                ]
            )
    return rows


LICENCES = {
    "CC0-1.0": {
        "name": "CC0-1.0",
        "title": "Creative Commons Zero v1.0 Universal",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
}


def licence() -> dict[str, str]:
    """The open data's licence (setting MOGNAD_OPEN_DATA_LICENCE: CC0-1.0 or CC-BY-4.0)."""
    return LICENCES[settings.OPEN_DATA_LICENCE]


def export(year: int, directory: Path) -> dict[str, int]:
    """Write the year's open data into `directory`; returns the rows written per file."""
    with translation.override("en"):
        page = pages.load(year)
        return export_page(page, queries.year_data(year, units=False).organizations, directory)


def _description(page: pages.NationalPage) -> str:
    k, m = page.k, release.MIN_ORGANIZATIONS
    return (
        "Scores in percent of optimal preconditions. Organizations appear only if they "
        f"agreed to be named; figures of groups with fewer than {k} respondents "
        "are left empty. National figures are means over organizations (each counts once) "
        f"with 95 % t intervals; groups need at least {m} organizations and are hidden when "
        "derivable. / Värden i procent av optimala förutsättningar. Organisationer finns med bara "
        "om de har samtyckt till att visas med namn; värden för grupper med färre än "
        f"{k} respondenter lämnas tomma. Nationella värden är medelvärden över organisationer "
        f"(var och en räknas en gång) med 95 % t-intervall; grupper kräver minst {m} "
        "organisationer och döljs när de går att härleda."
    )


def readme(page: pages.NationalPage) -> str:
    """README.md of the package, Swedish and English."""
    year, used = page.year, licence()
    return f"""# Mognad – öppna data {year} / open data {year}

## Svenska

Digital mognad i svensk offentlig sektor {year}, från Mognad.

- `organizations.csv`: resultat per organisation (bara organisationer som har samtyckt till att
  visas med namn): totalt, dimensioner och kategorier i procent av optimala förutsättningar, med
  95 %-intervall och antal svarande. Ett tomt värde är dolt (för få svarande).
- `national.csv`: nationella medelvärden över organisationer med 95 % t-intervall, och total
  mognad per typ av organisation, storleksklass, län, kommungrupp och enhetstyp.
- `datapackage.json`: maskinläsbar beskrivning av varje kolumn (Frictionless Data Package).

Licens: {used["title"]} ({used["name"]}), {used["path"]}

## English

Digital maturity in the Swedish public sector {year}, from Mognad.

- `organizations.csv`: per-organization results (only organizations that agreed to be named):
  overall, dimensions and categories in percent of optimal preconditions, with 95 % intervals and
  respondent counts. An empty value is hidden (too few respondents).
- `national.csv`: national means over organizations with 95 % t intervals, and overall maturity by
  kind of organization, size class, county, municipality group and unit type.
- `datapackage.json`: the machine-readable description of every column (Frictionless Data
  Package).

Licence: {used["title"]} ({used["name"]}), {used["path"]}
"""


def export_page(
    page: pages.NationalPage, shown: list[OrganizationYear], directory: Path
) -> dict[str, int]:
    """Write the open data of a loaded national page (the organizations of its year)."""
    year = page.year
    organization_fields = _organization_fields(page)
    organizations = organization_rows(page, shown)
    national = national_rows(page)
    write_csv(
        directory / "organizations.csv", [f["name"] for f in organization_fields], organizations
    )
    write_csv(directory / "national.csv", [f["name"] for f in NATIONAL_FIELDS], national)
    (directory / "README.md").write_text(readme(page), encoding="utf-8")
    write_package(
        directory,
        {
            "profile": "tabular-data-package",
            "name": f"mognad-opendata-{year}",
            "title": (
                f"Digital maturity in the Swedish public sector {year} (Mognad) / "
                f"Digital mognad i svensk offentlig sektor {year} (Mognad)"
            ),
            "description": _description(page),
            "licenses": [licence()],
            "keywords": ["digital maturity", "public sector", "Sweden", "digital mognad"],
            "resources": [
                resource(
                    "organizations",
                    "organizations.csv",
                    "Per-organization scores / Resultat per organisation",
                    organization_fields,
                    primaryKey=["organization", "year"],
                ),
                resource(
                    "national",
                    "national.csv",
                    "National aggregates / Nationella värden",
                    NATIONAL_FIELDS,
                ),
            ],
        },
    )
    return {"organizations.csv": len(organizations), "national.csv": len(national)}
