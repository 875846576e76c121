"""`find_instrument(spec)` resolves a file path, `slug@version`, `slug` or None (the default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mognad.instrument.loader import INSTRUMENTS_DIR, InstrumentError, find_instrument
from mognad.instrument.tests.factories import minimal_yaml


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for version in ("1.2", "1.10", "1.9"):
        folder = tmp_path / "tiny"
        folder.mkdir(exist_ok=True)
        (folder / f"{version}.yaml").write_text(minimal_yaml(version=version), encoding="utf-8")
    (tmp_path / "tiny" / "notes.yaml").write_text("not an instrument", encoding="utf-8")
    return tmp_path


def test_none_means_the_highest_version_of_the_standard_instrument():
    instrument = find_instrument(None)
    assert instrument.id == "standard"
    assert instrument.version == "2026.1"


def test_the_instruments_folder_is_at_the_repository_root():
    assert (INSTRUMENTS_DIR / "standard" / "2026.1.yaml").is_file()


def test_a_slug_means_its_highest_version_compared_numerically(root):
    assert find_instrument("tiny", root=root).version == "1.10"


def test_slug_at_version_picks_that_version(root):
    assert find_instrument("tiny@1.9", root=root).key == "tiny@1.9"


def test_standard_at_its_version_is_found_in_the_repository():
    assert find_instrument("standard@2026.1").key == "standard@2026.1"


def test_a_yaml_path_is_loaded_directly(tmp_path):
    path = tmp_path / "my-instrument.yaml"
    path.write_text(minimal_yaml(slug="mine", version="3"), encoding="utf-8")
    assert find_instrument(str(path)).key == "mine@3"


def test_an_unknown_slug_is_a_clear_error(root):
    with pytest.raises(InstrumentError) as caught:
        find_instrument("pulse", root=root)
    assert caught.value.errors == [
        f"unknown instrument 'pulse'; available instruments: tiny (in {root})"
    ]


def test_an_unknown_version_lists_the_available_ones(root):
    with pytest.raises(InstrumentError) as caught:
        find_instrument("tiny@2.0", root=root)
    assert caught.value.errors == [
        "instrument 'tiny' has no version '2.0'; available versions: 1.2, 1.9, 1.10"
    ]


def test_a_slug_cannot_climb_out_of_the_instruments_folder(root):
    with pytest.raises(InstrumentError, match=r"unknown instrument '\.\.'"):
        find_instrument("..@1.2", root=root)


def test_a_missing_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InstrumentError) as caught:
        find_instrument(str(missing))
    assert caught.value.errors == [f"{missing}: file not found"]


def test_a_file_whose_content_disagrees_with_its_place_is_rejected(root):
    (root / "tiny" / "2.0.yaml").write_text(minimal_yaml(version="2.1"), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        find_instrument("tiny@2.0", root=root)
    assert caught.value.errors == [
        f"{root / 'tiny' / '2.0.yaml'}: the file says it is tiny@2.1, but its place in the "
        "instruments folder says tiny@2.0; rename the file or fix its id/version"
    ]


def test_an_invalid_file_reports_its_problems(root):
    (root / "tiny" / "3.0.yaml").write_text("id: tiny\nversion: '3.0'\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        find_instrument("tiny", root=root)
    assert f"{root / 'tiny' / '3.0.yaml'}: name: missing" in caught.value.errors
