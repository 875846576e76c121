"""docs/architecture.md maps every app in one screen (issue 16), and the map is the contracts'.

Every Mognad app in INSTALLED_APPS is a box in the picture "Imports flow one way", a line of the
layout (`mognad/<app>/`) and a name in the import-linter contracts (pyproject.toml); the picture's
rows from top to bottom are the layers contract's layers (boxes side by side: siblings that must
not import each other); and the picture fits on one screen.
"""

from __future__ import annotations

import re
import tomllib
from itertools import pairwise
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
SCREEN_LINES, SCREEN_COLUMNS = 40, 100
BOX_NAME = re.compile(r"│ ([a-z]+)  ")


def apps() -> set[str]:
    return {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("mognad.")}


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def layers() -> list[set[str]]:
    (layered,) = [c for c in contracts() if c["type"] == "layers"]
    return [
        {name.strip().removeprefix("mognad.") for name in row.split("|")}
        for row in layered["layers"]
    ]


def picture(text: str) -> list[str]:
    section = text.split("## Imports flow one way", 1)[1]
    return section.split("```", 2)[1].strip("\n").splitlines()


def rows(lines: list[str]) -> list[set[str]]:
    """The app names of each row of boxes, top to bottom (a row's first text line names them)."""
    found = []
    for above, line in pairwise(lines):
        if above.lstrip().startswith("┌"):
            found.append(set(BOX_NAME.findall(line)))
    return found


def test_the_pictures_rows_are_the_contracts_layers():
    assert rows(picture(ARCHITECTURE.read_text(encoding="utf-8"))) == layers()


def test_every_app_is_in_the_picture_the_layout_and_the_contracts():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert set().union(*layers()) == apps()
    layout = text.split("## Layout", 1)[1].split("```", 2)[1]
    assert {app for app in apps() if f"mognad/{app}/ " in layout} == apps()
    (platform,) = [c for c in contracts() if c.get("source_modules") == ["mognad.platform"]]
    assert {f"mognad.{app}" for app in apps() - {"platform"}} <= set(platform["forbidden_modules"])


def test_the_picture_fits_on_one_screen():
    lines = picture(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(lines) <= SCREEN_LINES
    assert max(len(line) for line in lines) <= SCREEN_COLUMNS


def test_the_reading_finds_boxes_side_by_side_and_their_order():
    sample = [
        "  ┌─────────┐ ┌─────────┐",
        "  │ api  x  │ │ demo  y │",
        "  └─────────┘ └─────────┘",
        "  ┌───────────────────┐",
        "  │ orgs  users, and  │",
        "  │ more  not a name  │",
        "  └───────────────────┘",
    ]
    assert rows(sample) == [{"api", "demo"}, {"orgs"}]
    assert rows(sample[3:] + sample[:3]) != rows(sample)
