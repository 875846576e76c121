"""`mognad export research`: respondent-level answers without identifiers, pseudonyms stable
across years, small cells coarsened, only consenting organizations; re-scoring reproduces scores."""

from __future__ import annotations

import csv
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mognad.national import research
from mognad.national.tests.datapackage import validate
from mognad.national.tests.factories import Group, measured, organization, unit_of
from mognad.results.models import MeasurementScore


@pytest.fixture
def exported(two_years, tmp_path):
    call_command("export", "research", "--years", "2025-2026", "--out", str(tmp_path))
    return validate(tmp_path), tmp_path


def test_it_writes_answers_organizations_a_codebook_and_a_data_package(exported):
    tables, folder = exported
    assert {p.name for p in folder.iterdir()} == {
        "answers.csv",
        "organizations.csv",
        "codebook.md",
        "datapackage.json",
    }
    # Organizations 0–5 agreed; 6 measured in 2025 and 2026, each with 12 or 14 respondents.
    assert len(tables["organizations"]) == 6
    assert len(tables["answers"]) == 6 * 12 + 6 * 14
    codebook = (folder / "codebook.md").read_text()
    assert "## Coarsening" in codebook and "eff.strategy" in codebook


def test_only_organizations_with_research_consent_are_included(exported, two_years):
    tables, _ = exported
    consenting = {research.pseudonym(o.pk) for o in two_years[:6]}
    assert {r["organization"] for r in tables["answers"]} == consenting


def test_no_identifier_or_email_is_in_the_files(exported, two_years):
    _, folder = exported
    text = "".join(p.read_text() for p in folder.iterdir())
    data = (folder / "answers.csv").read_text() + (folder / "organizations.csv").read_text()
    assert "@" not in data.replace("standard@2026.1", "")
    assert ".example" not in text
    for org in two_years:
        assert org.name not in text
        assert org.slug not in text


def test_pseudonyms_are_stable_across_years(exported):
    tables, _ = exported
    years = {}
    for row in tables["answers"]:
        years.setdefault(row["organization"], set()).add(row["year"])
    assert all(found == {"2025", "2026"} for found in years.values())


def test_every_combination_of_unit_type_and_role_has_at_least_k_respondents(exported):
    tables, _ = exported
    cells = Counter(
        (r["organization"], r["year"], r["unit_type"], r["role"]) for r in tables["answers"]
    )
    assert min(cells.values()) >= 5
    # 2025 (six staff in social services, six managers in education) needs no coarsening. In 2026
    # the two IT people without a unit are too few; they are coarsened together with the smallest
    # other group (the managers, first of two groups of six).
    roles_2025 = Counter(r["role"] for r in tables["answers"] if r["year"] == "2025")
    assert roles_2025 == {"staff": 36, "manager": 36}
    roles = Counter(r["role"] for r in tables["answers"] if r["year"] == "2026")
    assert roles == {"staff": 36, research.COARSENED: 48}


def test_small_groups_of_organizations_are_coarsened(exported):
    tables, _ = exported
    cells = Counter((r["kind"], r["size_class"], r["county"]) for r in tables["organizations"])
    assert min(cells.values()) >= 5 or len(cells) == 1


def test_re_scoring_each_organizations_rows_reproduces_its_published_scores(exported, tmp_path):
    tables, folder = exported
    with open(folder / "answers.csv", encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    items = header[6:]
    groups = {}
    for row in tables["answers"]:
        groups.setdefault((row["organization"], row["year"]), []).append(row)
    pseudonyms = {research.pseudonym(o.pk): o for o in _organizations()}
    for (name, year), rows in groups.items():
        path = tmp_path / f"{name}-{year}.csv"
        with open(path, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["respondent", *items])
            for row in rows:
                writer.writerow([row["respondent"], *(row[i] for i in items)])
        out = StringIO()
        call_command(
            "score", str(path), "--json", "--instrument", rows[0]["instrument"], stdout=out
        )
        scored = json.loads(out.getvalue())
        stored = MeasurementScore.objects.filter(
            result__measurement__organization=pseudonyms[name],
            result__measurement__year=int(year),
            result__group_kind="organization",
        ).exclude(node="item")
        assert stored.count() > 30
        for score in stored:
            section = {
                "dimension": "dimensions",
                "category": "categories",
                "capability": "capabilities",
            }.get(score.node)
            found = scored["overall"] if section is None else scored[section][score.node_id]
            assert found["score"] == round(score.score, 1), (name, year, score.node, score.node_id)


def _organizations():
    from mognad.orgs.models import Organization

    return Organization.objects.all()


def test_an_organization_year_under_the_threshold_is_left_out(db, tmp_path):
    measured(organization("Liten kommun", research=True), [Group(4, value=3)], year=2026)
    measured(organization("Stor kommun", research=True), [Group(6, value=3)], year=2026)
    call_command("export", "research", "--years", "2026", "--out", str(tmp_path))
    tables = validate(tmp_path)
    assert len(tables["answers"]) == 6


def test_respondents_in_small_units_lose_unit_and_role_details(db, tmp_path):
    org = organization("Kommun", research=True, sectors=("education", "it"))
    measured(
        org,
        [
            Group(6, value=3, unit=unit_of(org, "education"), role="staff"),
            Group(2, value=4, unit=unit_of(org, "education"), role="politician"),
            Group(1, value=5, unit=unit_of(org, "it"), role="it"),
        ],
    )
    call_command("export", "research", "--years", "2026", "--out", str(tmp_path))
    rows = validate(tmp_path)["answers"]
    cells = Counter((r["unit_type"], r["role"]) for r in rows)
    # The politicians lose their role (merging with the staff of their unit); the one IT person
    # cannot be hidden in their unit, and the rest is too small alone, so all are coarsened.
    assert cells == {(research.COARSENED, research.COARSENED): 9}


def test_a_small_role_is_coarsened_inside_its_unit_first(db, tmp_path):
    org = organization("Kommun", research=True, sectors=("education",))
    measured(
        org,
        [
            Group(6, value=3, unit=unit_of(org, "education"), role="staff"),
            Group(2, value=4, unit=unit_of(org, "education"), role="politician"),
            Group(7, value=5, role="manager"),
        ],
    )
    call_command("export", "research", "--years", "2026", "--out", str(tmp_path))
    cells = Counter((r["unit_type"], r["role"]) for r in validate(tmp_path)["answers"])
    assert cells == {("education", research.COARSENED): 8, ("", "manager"): 7}


@pytest.mark.parametrize(
    ("years", "message"),
    [("2019-", "--years must be a year or a range"), ("2026-2019", "must run forward")],
)
def test_bad_years_get_a_clear_error(db, tmp_path, years, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", "research", "--years", years, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([["a", "x"]] * 5 + [["a", "y"]] * 2, {("a", "*"): 7}),
        ([["a", "x"]] * 5 + [["b", "y"]] * 2 + [["c", "y"]] * 4, {("a", "x"): 5, ("*", "*"): 6}),
        ([["a", "x"]] * 6 + [["b", "y"]] * 1, {("*", "*"): 7}),
    ],
)
def test_coarsening_merges_small_cells_until_each_has_k(records, expected):
    found = research.coarsen([list(r) for r in records], (1, 0), 5)
    assert dict(Counter(tuple(r) for r in found)) == expected
