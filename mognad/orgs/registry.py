"""The built-in registry of Swedish municipalities and regions, and CSV imports of other bodies.

`data/registry.csv` lists all 290 municipalities (four-digit kommunkod) and 21 regions (two-digit
county code) with their counties. It is loaded by a data migration, so every installation has them,
and again (idempotently) by `mognad orgs load-registry`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.utils.text import slugify
from django.utils.translation import gettext as _

REGISTRY_CSV = Path(__file__).resolve().parent / "data" / "registry.csv"
ORG_NUMBER = re.compile(r"^\d{6}-?\d{4}$")
MUNICIPALITY_GROUP = re.compile(r"^[A-C][1-9]$")


@cache
def registry_rows() -> tuple[dict[str, str], ...]:
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def counties() -> list[tuple[str, str]]:
    """(county code, county name) of the 21 counties, in code order."""
    found = {row["county_code"]: row["county"] for row in registry_rows()}
    return sorted(found.items())


def _unique_slug(model: Any, name: str, taken: set[str], using: str) -> str:
    base = slugify(name)[:90] or "organization"
    slug, n = base, 1
    while slug in taken or model.objects.using(using).filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def load_registry(model: Any = None, *, using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """Create missing municipalities and regions and correct names and counties of existing ones.

    `model` is the Organization model (a historical one in the data migration). Returns
    (created, updated).
    """
    if model is None:
        from mognad.orgs.models import Organization

        model = Organization
    manager = model.objects.using(using)
    existing = {(o.kind, o.code): o for o in manager.filter(kind__in=["municipality", "region"])}
    created = updated = 0
    taken: set[str] = set()
    new = []
    for row in registry_rows():
        org = existing.get((row["kind"], row["code"]))
        wanted = {"name": row["name"], "county": row["county"], "county_code": row["county_code"]}
        if org is None:
            new.append(
                model(
                    kind=row["kind"],
                    code=row["code"],
                    slug=_unique_slug(model, row["name"], taken, using),
                    **wanted,
                )
            )
            created += 1
        elif any(getattr(org, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(org, key, value)
            org.save(using=using, update_fields=list(wanted))
            updated += 1
    manager.bulk_create(new)
    return created, updated


# --- CSV imports --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_csv(
    text: str, required: Iterable[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        return [], [_("line 1: missing column(s): %(columns)s") % {"columns": ", ".join(missing)}]
    reader.fieldnames = header
    rows = [
        (line, {key: (value or "").strip() for key, value in row.items() if key})
        for line, row in enumerate(reader, start=2)
    ]
    return rows, []


def parse_organizations(text: str) -> ImportResult:
    """Agencies and municipal companies: name, kind, code (org number), county, employees."""
    from mognad.orgs.models import Organization

    result = ImportResult()
    rows, result.errors = _read_csv(text, ["name", "kind", "code", "county", "employees"])
    county_names = {name.lower(): code for code, name in counties()}
    county_codes = {code for code, _name in counties()}
    seen: set[str] = set()
    kinds = {"agency": "agency", "myndighet": "agency", "company": "company", "bolag": "company"}
    for line, row in rows:
        problems = []
        kind = kinds.get(row.get("kind", "").lower())
        if kind is None:
            problems.append(_("kind must be agency or company"))
        name = row.get("name", "")
        if not name:
            problems.append(_("name is empty"))
        code = row.get("code", "")
        if not ORG_NUMBER.match(code):
            problems.append(_("code must be an organization number of ten digits"))
        else:
            digits = code.replace("-", "")
            code = f"{digits[:6]}-{digits[6:]}"
            if code in seen:
                problems.append(_("the code appears twice in the file"))
            seen.add(code)
        county_raw = row.get("county", "")
        county_code = ""
        if county_raw:
            county_code = (
                county_raw.zfill(2) if county_raw.zfill(2) in county_codes else ""
            ) or county_names.get(county_raw.lower(), "")
            if not county_code:
                problems.append(_("unknown county %(county)s") % {"county": county_raw})
        employees: int | None = None
        if row.get("employees"):
            try:
                employees = int(row["employees"].replace(" ", ""))
                if not 1 <= employees <= Organization.MAX_EMPLOYEES:
                    raise ValueError
            except ValueError:
                problems.append(
                    _("employees must be a whole number from 1 to %(max)s")
                    % {"max": f"{Organization.MAX_EMPLOYEES:,}".replace(",", " ")}
                )
        if problems:
            result.errors.append(
                _("line %(line)d: %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        result.rows.append(
            {
                "name": name,
                "kind": kind,
                "code": code,
                "county_code": county_code,
                "county": dict(counties()).get(county_code, ""),
                "employees": employees,
                "size_class": Organization.size_class_for(employees),
            }
        )
    return result


def parse_groups(text: str) -> ImportResult:
    """SKR's municipality groups: code (kommunkod), group (e.g. A1 … C9)."""
    result = ImportResult()
    rows, result.errors = _read_csv(text, ["code", "group"])
    known = {row["code"] for row in registry_rows() if row["kind"] == "municipality"}
    seen: set[str] = set()
    for line, row in rows:
        problems = []
        code = row.get("code", "").zfill(4)
        if code not in known:
            problems.append(
                _("%(code)s is not a municipality code") % {"code": row.get("code", "")}
            )
        elif code in seen:
            problems.append(_("the code appears twice in the file"))
        seen.add(code)
        group = row.get("group", "").upper()
        if not MUNICIPALITY_GROUP.match(group):
            problems.append(_("group must be a letter A–C and a digit, e.g. B3"))
        if problems:
            result.errors.append(
                _("line %(line)d: %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        result.rows.append({"code": code, "group": group})
    return result
