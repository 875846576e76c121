"""The research dataset: respondent-level answers of organizations that agreed to research use.

Files (a Frictionless Data Package, plus a codebook for people):

- `answers.csv`: one row per submitted response. `respondent` is a running number with no link to
  anybody; `organization` a pseudonym, the same in every year (HMAC of the organization with the
  installation's secret key: stable between exports, not reversible without the key); `year`,
  `instrument`, the `unit_type` of the respondent's unit and the `role`, then one column per
  statement: 1–6, `-` for "Vet ej", empty for unanswered. No email, name, unit name, token,
  timestamp or database id.
- `organizations.csv`: each pseudonym's kind of organization, size class and county.
- `codebook.md` and `datapackage.json`.

Only organization-years with at least k respondents (`mognad.results` threshold) are included.
Small cells are coarsened so no group under k can be singled out:

- inside each organization-year, every combination of `unit_type` and `role` that occurs has at
  least k respondents: a smaller combination first loses its role (`*`), then, if still too small,
  its unit type; if the fully coarsened rest is still under k, the smallest other combinations are
  coarsened into it until it is not;
- every combination of `kind`, `size_class` and `county` in `organizations.csv` has at least k
  organizations, coarsening county first, then size class, then type, the same way.

Coarsening never drops a row or changes an answer, so each organization-year's rows re-scored with
`mognad score` give exactly its published point scores.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import translation

from mognad.instrument.models import InstrumentVersion
from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.instrument.schema import Instrument
from mognad.national.opendata import field, resource, write_csv, write_package
from mognad.national.reliability import codebook_lines as reliability_codebook
from mognad.orgs.models import Organization, Unit
from mognad.results.answers import load_answers
from mognad.results.disclosure.door import threshold, too_small
from mognad.results.models import MeasurementResult
from mognad.surveys.models import Measurement, Role

COARSENED = "*"


def pseudonym(organization_id: int) -> str:
    """A stable, non-reversible name for an organization (HMAC-SHA256 with the secret key)."""
    # Keyed on purpose (not platform.hashing.sha256_hex): without the key, ids cannot be tried.
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"research-organization:{organization_id}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"O-{digest[:12]}"


def coarsen(records: list[list[str]], columns: Sequence[int], k: int) -> list[list[str]]:
    """Coarsen `columns` of the records (in order, first coarsened first) until every combination
    of their values that occurs covers at least k records, or all records are fully coarsened.

    Returns new records; other columns are untouched, no record is dropped.
    """
    rows = [list(r) for r in records]

    def key(row: list[str]) -> tuple[str, ...]:
        return tuple(row[c] for c in columns)

    for depth in range(len(columns)):
        counts = Counter(key(r) for r in rows)
        # Coarsen this column of every too-small combination …
        for row in rows:
            if counts[key(row)] < k:
                row[columns[depth]] = COARSENED
        # … and, while one is still too small, the same column of its smallest sibling (same
        # values in the later columns), so the detail is lost here before a later column.
        while True:
            counts = Counter(key(r) for r in rows)
            small = sorted(c for c, n in counts.items() if n < k and c[depth] == COARSENED)
            merged = False
            for combination in small:
                siblings = [
                    c
                    for c in counts
                    if c[depth] != COARSENED
                    and c[:depth] == combination[:depth]
                    and c[depth + 1 :] == combination[depth + 1 :]
                ]
                if siblings:
                    target = min(siblings, key=lambda c: (counts[c], c))
                    for row in rows:
                        if key(row) == target:
                            row[columns[depth]] = COARSENED
                    merged = True
                    break
            if not merged:
                break
    full = tuple(COARSENED for _ in columns)
    while True:
        counts = Counter(key(r) for r in rows)
        rest = counts.get(full, 0)
        if rest == 0 or rest >= k:
            small = [c for c, n in counts.items() if n < k and c != full]
            if not small:
                return rows
            target = min(small, key=lambda c: (counts[c], c))
        else:
            others = [c for c in counts if c != full]
            if not others:
                return rows
            target = min(others, key=lambda c: (counts[c], c))
        for row in rows:
            if key(row) == target:
                for c in columns:
                    row[c] = COARSENED


@dataclass(frozen=True)
class ResearchExport:
    answers: int
    organizations: int
    organization_years: int


def _measurements(first: int, last: int) -> list[Measurement]:
    """One closed measurement with results per consenting organization and year (the latest)."""
    has_results = MeasurementResult.objects.filter(
        measurement=OuterRef("pk"), group_kind=MeasurementResult.GroupKind.ORGANIZATION
    )
    found: dict[tuple[int, int], Measurement] = {}
    for measurement in (
        Measurement.objects.filter(
            year__gte=first,
            year__lte=last,
            state=Measurement.State.CLOSED,
            organization__research_consent=True,
        )
        .filter(Exists(has_results))
        .select_related("organization", "instrument")
        .order_by("id")
    ):
        found[(measurement.organization_id, measurement.year)] = measurement
    return [found[key] for key in sorted(found, key=lambda pair: (pair[1], pair[0]))]


def _cell(value: int) -> str:
    if value == DONT_KNOW:
        return "-"
    if value == UNANSWERED:
        return ""
    return str(int(value))


def _item_columns(instruments: list[Instrument]) -> list[str]:
    columns: list[str] = []
    for instrument in instruments:
        for item_id in instrument.item_ids:
            if item_id not in columns:
                columns.append(item_id)
    return columns


def export(first: int, last: int, directory: Path) -> ResearchExport:
    """Write the research dataset of the years first..last into `directory`."""
    k = threshold()
    measurements = _measurements(first, last)
    respondents = dict(
        MeasurementResult.objects.filter(
            measurement__in=measurements, group_kind=MeasurementResult.GroupKind.ORGANIZATION
        ).values_list("measurement_id", "respondents")
    )
    measurements = [m for m in measurements if not too_small(respondents.get(m.pk, 0), k)]
    versions = {m.instrument_id: m.instrument for m in measurements}
    if not versions:
        try:
            versions = {0: InstrumentVersion.latest()}
        except InstrumentVersion.DoesNotExist:
            versions = {}
    instruments = [v.definition() for v in versions.values()]
    items = _item_columns(instruments)
    unit_types = dict(
        Unit.objects.filter(
            organization_id__in={m.organization_id for m in measurements}
        ).values_list("id", "unit_type")
    )
    rows: list[list[str]] = []
    for measurement in measurements:
        matrix = load_answers(measurement)
        position = {item_id: n for n, item_id in enumerate(matrix.item_ids)}
        block = []
        order = sorted(range(len(matrix.response_ids)), key=lambda n: matrix.response_ids[n])
        for n in order:
            values = matrix.values[n]
            unit = matrix.units[n]
            block.append(
                [
                    pseudonym(measurement.organization_id),
                    str(measurement.year),
                    measurement.instrument.key,
                    unit_types.get(unit, "") if unit else "",
                    matrix.roles[n] or "",
                    *(
                        _cell(int(values[position[item_id]])) if item_id in position else ""
                        for item_id in items
                    ),
                ]
            )
        rows += coarsen(block, (4, 3), k)  # role first, then unit type
    answers = [[f"R{n:06d}", *row] for n, row in enumerate(rows, start=1)]

    organizations = Organization.objects.filter(
        pk__in={m.organization_id for m in measurements}
    ).values_list("id", "kind", "size_class", "county")
    records = sorted([pseudonym(i), kind, size, county] for i, kind, size, county in organizations)
    records = coarsen(records, (3, 2, 1), k)  # county, then size class, then type

    header = ["respondent", "organization", "year", "instrument", "unit_type", "role", *items]
    write_csv(directory / "answers.csv", header, answers)
    write_csv(
        directory / "organizations.csv", ["organization", "kind", "size_class", "county"], records
    )
    texts = _item_texts(instruments)
    with translation.override("en"):
        write_package(directory, _descriptor(first, last, k, items, texts))
        codebook = _codebook(first, last, k, items, texts)
    (directory / "codebook.md").write_text(codebook, encoding="utf-8")
    return ResearchExport(len(answers), len(records), len(measurements))


def _item_texts(instruments: list[Instrument]) -> dict[str, tuple[str, str]]:
    texts: dict[str, tuple[str, str]] = {}
    for instrument in instruments:
        for item in instrument.items:
            texts.setdefault(item.id, (item.text.sv, item.text.en))
    return texts


def _unit_type_values() -> list[str]:
    return [value for value, _ in Unit.UnitType.choices]


def _answer_fields(items: list[str], texts: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        field(
            "respondent",
            "string",
            "Running number of the response in this file; links to nobody.",
            constraints={"required": True, "unique": True},
        ),
        field(
            "organization",
            "string",
            "The organization's pseudonym (same in every year).",
            constraints={"required": True},
        ),
        field("year", "integer", "Year of the measurement.", constraints={"required": True}),
        field("instrument", "string", "Questionnaire and version, slug@version."),
        field(
            "unit_type",
            "string",
            "Type of the respondent's unit; empty when the respondent had no unit; * coarsened.",
            constraints={"enum": [*_unit_type_values(), COARSENED]},
        ),
        field(
            "role",
            "string",
            "The respondent's role; empty when not known; * coarsened.",
            constraints={"enum": [value for value, _ in Role.choices] + [COARSENED]},
        ),
        *(
            field(
                item,
                "string",
                f"{texts.get(item, ('', ''))[1]} (1 = does not fit at all … 6 = fits completely, "
                "- = don't know, empty = unanswered)",
                constraints={"enum": ["1", "2", "3", "4", "5", "6", "-"]},
            )
            for item in items
        ),
    ]


ORGANIZATION_FIELDS = [
    field(
        "organization",
        "string",
        "The organization's pseudonym.",
        constraints={"required": True, "unique": True},
    ),
    field(
        "kind",
        "string",
        "Kind of organization; * coarsened.",
        constraints={"enum": ["municipality", "region", "agency", "company", COARSENED]},
    ),
    field("size_class", "string", "Size class by employees (XS, S, M, L, XL); * coarsened."),
    field("county", "string", "County (län); * coarsened."),
]


def _descriptor(
    first: int, last: int, k: int, items: list[str], texts: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": f"mognad-research-{first}-{last}",
        "title": f"Mognad research dataset {first}–{last}",
        "description": (
            "Respondent-level answers of organizations that agreed to research use, without "
            f"identifiers; cells smaller than {k} are coarsened (*). See codebook.md."
        ),
        "resources": [
            resource(
                "answers",
                "answers.csv",
                "Answers",
                _answer_fields(items, texts),
                primaryKey=["respondent"],
                foreignKeys=[
                    {
                        "fields": ["organization"],
                        "reference": {"resource": "organizations", "fields": ["organization"]},
                    }
                ],
            ),
            resource(
                "organizations",
                "organizations.csv",
                "Organizations",
                ORGANIZATION_FIELDS,
                primaryKey=["organization"],
            ),
        ],
    }


def _codebook(
    first: int, last: int, k: int, items: list[str], texts: dict[str, tuple[str, str]]
) -> str:
    roles = ", ".join(f"`{value}` ({label})" for value, label in Role.choices)
    unit_types = ", ".join(f"`{value}` ({label})" for value, label in Unit.UnitType.choices)
    lines = [
        f"# Mognad research dataset {first}–{last}: codebook",
        "",
        "Respondent-level answers of the organizations that agreed to research use, for every year "
        f"in which they closed a measurement with at least {k} respondents.",
        "",
        "## Files",
        "",
        "- `answers.csv`: one row per submitted response.",
        "- `organizations.csv`: one row per organization pseudonym.",
        "- `datapackage.json`: the machine-readable description (Frictionless Data Package).",
        "",
        "## answers.csv",
        "",
        "| Column | Meaning |",
        "|---|---|",
        "| `respondent` | Running number of the response in this file. Links to nobody; the same "
        "person in two years has two unrelated numbers. |",
        "| `organization` | Pseudonym of the organization, the same in every year and export of "
        "this installation. |",
        "| `year` | Year of the measurement. |",
        "| `instrument` | Questionnaire and version (`slug@version`); item ids are stable across "
        "versions. |",
        f"| `unit_type` | Type of the respondent's unit: {unit_types}; empty: no unit; "
        "`*`: coarsened. |",
        f"| `role` | Role: {roles}; empty: not known; `*`: coarsened. |",
        "| item columns | One per statement (below): `1` = does not fit at all … `6` = fits "
        'completely, `-` = "Vet ej" (don\'t know), empty = unanswered. |',
        "",
        "## organizations.csv",
        "",
        "| Column | Meaning |",
        "|---|---|",
        "| `organization` | The pseudonym used in `answers.csv`. |",
        "| `kind` | `municipality`, `region`, `agency` or `company`; `*`: coarsened. |",
        "| `size_class` | XS (< 500 employees), S (501–2,000), M (2,001–5,999), L (6,000–15,000), "
        "XL (> 15,000); `*`: coarsened. |",
        "| `county` | County (län); `*`: coarsened. |",
        "",
        "## Coarsening",
        "",
        f"k = {k}. Inside each organization and year, every combination of `unit_type` and `role` "
        f"that occurs covers at least {k} respondents: smaller combinations lose the role first, "
        "then the unit type (shown as `*`), and if the fully coarsened rest is still too small the "
        "smallest other combinations join it. Every combination of `kind`, `size_class` and "
        f"`county` covers at least {k} organizations (county coarsened first, then size class, "
        "then type). No row is dropped and no answer changed.",
        "",
        "## Scoring",
        "",
        "An organization's rows for one year, with the `respondent` and item columns, scored "
        "with `mognad score FILE.csv --instrument <instrument>` give exactly its published point "
        "scores.",
        "Answers map to percent as (x − 1) / 5 × 100; see docs/scoring.md for the method.",
        "",
        *reliability_codebook(first, last),
        "## Statements",
        "",
        "| Item | Svenska | English |",
        "|---|---|---|",
    ]
    for item in items:
        sv, en = texts.get(item, ("", ""))
        lines.append(f"| `{item}` | {sv} | {en} |")
    return "\n".join(lines) + "\n"
