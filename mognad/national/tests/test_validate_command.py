"""`mognad validate instrument --year Y` (mognad/national/reliability.py)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from mognad.national import research
from mognad.national.models import ReliabilityYear
from mognad.national.reliability import minimum_organizations
from mognad.national.report import render_html
from mognad.national.tests.conftest import FAST
from mognad.national.tests.factories import Group, measured, organization

DRAWS = ["--draws", "5"]
# 6 organizations × 60 respondents = 360 ≥ 10 per statement (33) for the factor analysis.
RESPONDENTS = 60


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**FAST), transaction.atomic():
        for i in range(6):
            kind = "municipality" if i < 4 else "agency"
            org = organization(f"Org {i}", kind=kind)
            measured(
                org,
                [Group(RESPONDENTS, level=2.5 + 0.3 * i, dont_know=0.05, unknown=("tek.vendor",))],
                year=2026,
                seed=i,
            )
        # Too few respondents to count (under k = 5): left out.
        measured(organization("Tiny"), [Group(3, level=4)], year=2026, seed=9)
        # 2025: only three organizations, fewer than the door's minimum.
        for i in range(3):
            measured(organization(f"Old {i}"), [Group(20, level=3)], year=2025, seed=20 + i)
        yield
        transaction.set_rollback(True)


def _run(*args):
    out = StringIO()
    call_command("validate", "instrument", *args, *DRAWS, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_reports_every_figure_as_json(national):
    report = json.loads(_run("--year", "2026", "--format", "json"))
    assert report["year"] == 2026
    assert report["organizations"] == 6  # the tiny one is left out
    assert report["respondents"] == 6 * RESPONDENTS
    assert report["demo_data"] is False
    assert report["bootstrap"]["draws"] == 5
    assert report["missing"]["method"] == "pairwise"
    categories = {c["category"]: c for c in report["categories"]}
    assert len(categories) == 6
    for category in categories.values():
        alpha, low, high = category["alpha"]
        assert -1 <= alpha <= 1
        assert low <= high
        assert category["icc1"] is not None and category["icc2"] is not None
        assert category["rwg_organizations"] == 6
    # Everybody said "Vet ej" to tek.vendor: it is left out, with its rate.
    assert report["left_out"] == [{"item": "tek.vendor", "dont_know_rate": 1.0}]
    assert "tek.vendor" not in {i["item"] for i in categories["technology"]["items"]}
    other = categories["technology"]["items"][0]
    assert 0 < other["dont_know_rate"] < 0.2
    assert report["cfa"]["six_factors"]["df"] > 0
    # The answers are independent noise around each organization's level: no category structure,
    # so ICC(1) is clearly above 0 (levels differ) while the statements hardly cohere.
    assert categories["efficiency"]["icc1"] > 0.1
    kinds = report["invariance"]["kinds"]
    assert kinds["levels"] == []  # two agencies are fewer than the door's minimum
    assert "agency" in kinds["left_out"]
    assert "years" not in report["invariance"]  # 2025 has too few organizations


@pytest.mark.django_db
def test_it_prints_a_text_report(national):
    text = _run("--year", "2026")
    assert "The instrument's reliability, 2026" in text
    assert "360 responses from 6 organizations" in text
    assert "DEMO DATA" not in text
    assert "Confirmatory factor analysis" in text
    assert "Left out (fewer than 10 answers on the scale, or no variance): tek.vendor" in text


@pytest.mark.django_db
def test_it_writes_the_report_to_a_file(national, tmp_path):
    target = tmp_path / "reliability.json"
    out = _run("--year", "2026", "--format", "json", "--out", str(target))
    assert str(target) in out
    assert json.loads(target.read_text(encoding="utf-8"))["year"] == 2026


@pytest.mark.django_db
def test_the_bootstrap_is_seeded(national):
    first = json.loads(_run("--year", "2026", "--format", "json", "--seed", "3"))
    again = json.loads(_run("--year", "2026", "--format", "json", "--seed", "3"))
    assert first["categories"] == again["categories"]


@pytest.mark.django_db
def test_it_refuses_a_year_with_too_few_organizations(national):
    with pytest.raises(
        CommandError, match=f"2025: 3 organizations .* at least {minimum_organizations()}"
    ):
        _run("--year", "2025")


@pytest.mark.django_db
def test_it_refuses_a_year_without_measurements(national):
    with pytest.raises(CommandError, match="1999: 0 organizations"):
        _run("--year", "1999")


@pytest.mark.django_db
def test_it_refuses_negative_draws_and_a_missing_subcommand(national):
    with pytest.raises(CommandError, match="--draws cannot be negative"):
        call_command("validate", "instrument", "--year", "2026", "--draws", "-1")
    with pytest.raises(CommandError, match="Say what to validate"):
        call_command("validate")


@pytest.mark.django_db
def test_it_stores_the_figures_for_the_report_and_the_codebook(national, tmp_path):
    printed = json.loads(_run("--year", "2026", "--format", "json"))
    stored = ReliabilityYear.objects.get(year=2026)
    assert json.loads(stored.figures) == printed
    english = render_html(2026, "en")
    assert "The instrument's reliability" in english
    assert "Reliability per category" in english
    assert "Demo data" not in english
    assert "mognad validate instrument --year 2026" in english
    swedish = render_html(2026, "sv")
    assert "Instrumentets tillförlitlighet" in swedish
    assert "Tillförlitlighet per kategori" in swedish
    research.export(2026, 2026, tmp_path)
    codebook = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    assert "## The instrument's reliability" in codebook
    assert "### 2026" in codebook
    assert f"{6 * RESPONDENTS} responses from 6 organizations" in codebook


@pytest.mark.django_db
def test_the_report_says_when_the_reliability_was_not_computed(national, tmp_path):
    assert not ReliabilityYear.objects.filter(year=2026).exists()
    assert "has not been computed for 2026" in render_html(2026, "en")
    research.export(2026, 2026, tmp_path)
    assert "Not computed for these years." in (tmp_path / "codebook.md").read_text("utf-8")


@pytest.mark.django_db
def test_demo_figures_are_marked_as_demo_data(national):
    _run("--year", "2026")
    stored = ReliabilityYear.objects.get(year=2026)
    figures = json.loads(stored.figures)
    figures["demo_data"] = True
    stored.figures = json.dumps(figures)
    stored.save()
    assert "these figures come from generated demo data" in render_html(2026, "en")
    assert "siffrorna kommer från genererade demodata" in render_html(2026, "sv")


@pytest.mark.django_db
def test_generated_organizations_make_the_output_say_demo_data(national):
    from mognad.demo.models import GeneratedOrganization
    from mognad.orgs.models import Organization

    for org in Organization.objects.filter(name__startswith="Org ")[:2]:
        GeneratedOrganization.objects.create(organization=org, created=True, seed=1)
    text = _run("--year", "2026")
    assert "DEMO DATA: 2 of the 6 organizations are generated demo data" in text
    assert json.loads(ReliabilityYear.objects.get(year=2026).figures)["demo_organizations"] == 2
