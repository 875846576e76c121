"""A small validator of CSV files against their Frictionless table schema (for the tests)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def _check(value: str, spec: dict[str, Any], missing: list[str]) -> str | None:
    constraints = spec.get("constraints", {})
    if value in missing:
        return "required" if constraints.get("required") else None
    kind = spec["type"]
    number: float | None = None
    if kind == "integer":
        try:
            number = int(value)
        except ValueError:
            return f"{value!r} is not an integer"
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
    elif kind != "string":
        return f"unknown type {kind}"
    if "enum" in constraints and value not in [str(v) for v in constraints["enum"]]:
        return f"{value!r} is not one of {constraints['enum']}"
    if number is not None and "minimum" in constraints and number < constraints["minimum"]:
        return f"{value} is under {constraints['minimum']}"
    if number is not None and "maximum" in constraints and number > constraints["maximum"]:
        return f"{value} is over {constraints['maximum']}"
    return None


def validate(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Every resource's rows, after checking headers, types, constraints and keys; raises
    AssertionError naming the file, line and column of the first problem."""
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    tables: dict[str, list[dict[str, str]]] = {}
    for resource in package["resources"]:
        schema = resource["schema"]
        fields = schema["fields"]
        missing = schema.get("missingValues", [""])
        with open(directory / resource["path"], encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        assert rows[0] == [f["name"] for f in fields], f"{resource['path']}: header != schema"
        for f in fields:
            assert f.get("description"), f"{resource['path']}: {f['name']} has no description"
        seen: dict[str, set[str]] = {f["name"]: set() for f in fields}
        for line, row in enumerate(rows[1:], start=2):
            assert len(row) == len(fields), f"{resource['path']} line {line}: wrong cell count"
            for value, spec in zip(row, fields, strict=True):
                problem = _check(value, spec, missing)
                assert problem is None, f"{resource['path']} line {line} {spec['name']}: {problem}"
                if spec.get("constraints", {}).get("unique"):
                    assert value not in seen[spec["name"]], f"{resource['path']} line {line}: dup"
                    seen[spec["name"]].add(value)
        records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        key = schema.get("primaryKey")
        if key:
            keys = [tuple(r[name] for name in key) for r in records]
            assert len(keys) == len(set(keys)), f"{resource['path']}: primary key not unique"
        tables[resource["name"]] = records
    for resource in package["resources"]:
        for foreign in resource["schema"].get("foreignKeys", []):
            target = foreign["reference"]
            allowed = {
                tuple(r[name] for name in target["fields"]) for r in tables[target["resource"]]
            }
            for record in tables[resource["name"]]:
                value = tuple(record[name] for name in foreign["fields"])
                assert value in allowed, f"{resource['path']}: {value} has no {target['resource']}"
    return tables
