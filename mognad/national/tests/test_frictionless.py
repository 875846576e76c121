"""The open data package of a release validates against the Frictionless specification
(frictionless-py, an independent implementation) and carries a licence; so does the research
dataset's package."""

from __future__ import annotations

import json

import frictionless
import pytest

from mognad.national.publishing import actions


@pytest.fixture
def release(two_years, nadia, tmp_path):
    return actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)


def _write(release, folder, directory):
    for name in release.file_names():
        if name.startswith(f"{folder}/"):
            (directory / name.removeprefix(f"{folder}/")).write_bytes(release.file(name))
    return directory / "datapackage.json"


def _errors(report):
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


def test_the_open_data_package_validates(release, tmp_path):
    descriptor = _write(release, "opendata", tmp_path)
    report = frictionless.validate(str(descriptor))
    assert report.valid, _errors(report)
    assert report.stats["tasks"] == 2


def test_the_open_data_package_carries_a_licence_and_bilingual_titles(release, tmp_path):
    package = frictionless.Package(str(_write(release, "opendata", tmp_path)))
    assert [(licence["name"], licence["path"]) for licence in package.licenses] == [
        ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    ]
    assert "Digital maturity" in package.title and "Digital mognad" in package.title
    assert "respondents" in package.description and "respondenter" in package.description
    readme = (tmp_path / "README.md").read_text()
    assert "## Svenska" in readme and "## English" in readme and "CC0-1.0" in readme


def test_every_open_data_column_is_described_in_english_and_swedish(release, tmp_path):
    package = frictionless.Package(str(_write(release, "opendata", tmp_path)))
    for resource in package.resources:
        for column in resource.schema.fields:
            english, _, swedish = (column.description or "").partition(" / ")
            assert english and swedish and english != swedish, (resource.name, column.name)
    organizations = package.get_resource("organizations").schema
    assert organizations.get_field("overall_score").description.startswith("Overall maturity:")
    assert " / Övergripande mognad: procent" in organizations.get_field("overall_score").description


def test_the_licence_is_a_setting(two_years, nadia, settings, tmp_path):
    settings.OPEN_DATA_LICENCE = "CC-BY-4.0"
    published = actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    package = json.loads(published.file("opendata/datapackage.json"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert published.licence == "CC-BY-4.0"
    assert frictionless.validate(str(_write(published, "opendata", tmp_path))).valid


def test_a_broken_package_does_not_validate(release, tmp_path):
    """The check can fail: a score above 100 breaks the schema's constraint."""
    descriptor = _write(release, "opendata", tmp_path)
    table = tmp_path / "organizations.csv"
    header, first, *rest = table.read_text().splitlines()
    cells = first.split(",")
    cells[header.split(",").index("overall_score")] = "140.0"
    table.write_text("\n".join([header, ",".join(cells), *rest]) + "\n")
    assert not frictionless.validate(str(descriptor)).valid


def test_the_research_package_validates(release, tmp_path):
    report = frictionless.validate(str(_write(release, "research", tmp_path)))
    assert report.valid, _errors(report)
