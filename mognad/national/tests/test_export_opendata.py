"""`mognad export opendata`: per-organization scores of organizations that agreed to be named, and
national aggregates, as CSV files described by datapackage.json."""

from __future__ import annotations

import csv

import pytest
from django.core.management import CommandError, call_command

from mognad.national.tests.datapackage import validate
from mognad.national.tests.factories import Group, measured, organization
from mognad.results.models import MeasurementScore


def run(tmp_path, *args):
    call_command("export", "opendata", *args)
    return validate(tmp_path)


def test_it_writes_organizations_and_national_tables_valid_against_their_schema(
    two_years, tmp_path
):
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    assert {p.name for p in tmp_path.iterdir()} == {
        "organizations.csv",
        "national.csv",
        "datapackage.json",
        "README.md",
    }
    assert len(tables["organizations"]) == 2
    assert tables["national"][0]["breakdown"] == "all"


def test_only_organizations_that_agreed_to_be_named_are_published(two_years, tmp_path):
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    assert [r["organization"] for r in tables["organizations"]] == ["Kommun 0", "Kommun 1"]
    text = (tmp_path / "national.csv").read_text() + (tmp_path / "datapackage.json").read_text()
    assert "Kommun 2" not in text


def test_published_scores_are_the_stored_scores_rounded(two_years, tmp_path):
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    row = tables["organizations"][0]
    stored = {
        (s.node, s.node_id): s
        for s in MeasurementScore.objects.filter(
            result__measurement__organization__name="Kommun 0",
            result__measurement__year=2026,
            result__group_kind="organization",
        )
    }
    assert row["overall_score"] == f"{stored[('overall', '')].score:.1f}"
    assert row["overall_ci_low"] == f"{stored[('overall', '')].ci_low:.1f}"
    assert row["overall_n"] == str(stored[("overall", "")].n)
    assert row["efficiency_score"] == f"{stored[('category', 'efficiency')].score:.1f}"
    assert row["respondents"] == "14"


def test_a_figure_under_the_threshold_is_left_empty(db, tmp_path):
    # Four of six answer "Vet ej" to every technology statement: technology has 2 answers.
    org = organization("Öppen kommun", named=True)
    measured(org, [Group(2, value=4), Group(4, value=5, unknown=("tek.",))], seed=1)
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    row = tables["organizations"][0]
    assert row["respondents"] == "6"
    assert row["technology_score"] == row["technology_n"] == row["technology_ci_low"] == ""
    assert row["users_score"] != "" and row["users_n"] == "6"


def test_an_organization_under_the_threshold_is_left_out(db, tmp_path):
    measured(organization("Liten kommun", named=True), [Group(4, value=4)])
    measured(organization("Stor kommun", named=True), [Group(6, value=4)])
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    assert [r["organization"] for r in tables["organizations"]] == ["Stor kommun"]


def test_hidden_groups_have_counts_but_no_figures(two_years, tmp_path):
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    counties = [r for r in tables["national"] if r["breakdown"] == "county"]
    assert {r["group"]: r["organizations"] for r in counties} == {"Alän": "4", "Blän": "4"}
    assert all(r["mean"] == "" for r in counties)


def test_the_export_is_reproducible(two_years, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    call_command("export", "opendata", "--year", "2026", "--out", str(first))
    call_command("export", "opendata", "--year", "2026", "--out", str(second))
    for name in ("organizations.csv", "national.csv", "datapackage.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_national_means_match_the_organizations(two_years, tmp_path):
    tables = run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    overall = tables["national"][0]
    stored = MeasurementScore.objects.filter(
        result__measurement__year=2026, result__group_kind="organization", node="overall"
    ).values_list("score", flat=True)
    assert overall["organizations"] == "8"
    assert float(overall["mean"]) == pytest.approx(sum(stored) / len(stored), abs=0.05)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "twenty"], "--year must be a year"),
        (["--year", "2019"], "No measurement closed with results in 2019"),
    ],
)
def test_bad_arguments_get_a_clear_error(two_years, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", "opendata", *args, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_output_must_be_a_folder(two_years, tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("")
    with pytest.raises(CommandError, match="must be a folder"):
        call_command("export", "opendata", "--year", "2026", "--out", str(target))


def test_csv_files_are_plain_utf8_with_a_header(two_years, tmp_path):
    run(tmp_path, "--year", "2026", "--out", str(tmp_path))
    with open(tmp_path / "organizations.csv", encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert header[:3] == ["organization", "code", "kind"]
