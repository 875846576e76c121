"""`mognad instrument load|validate|list|show`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mognad.instrument.actions import publish_instrument
from mognad.instrument.loader import INSTRUMENTS_DIR
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.tests.factories import minimal_instrument, minimal_yaml, to_yaml

STANDARD = str(INSTRUMENTS_DIR / "standard" / "2026.1.yaml")


def run(*args: str) -> str:
    out = StringIO()
    call_command("instrument", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def bad_file(tmp_path):
    data = minimal_instrument()
    del data["dimensions"][0]["categories"][0]["capabilities"][0]["items"][0]["text"]["en"]
    data["cutoffs"]["legacy"] = 100
    path = tmp_path / "bad.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    return path


# --- load ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_publishes_a_file_and_says_so():
    output = run("load", STANDARD)
    assert output == "Published standard@2026.1 (Mognad standard): 33 items.\n"
    assert InstrumentVersion.objects.get().key == "standard@2026.1"


@pytest.mark.django_db
def test_load_again_says_it_is_already_there():
    run("load", STANDARD)
    output = run("load", STANDARD)
    assert output == "standard@2026.1 is already published with this content; nothing to do.\n"
    assert InstrumentVersion.objects.count() == 1


@pytest.mark.django_db
def test_load_of_an_invalid_file_exits_2_with_every_problem(bad_file):
    with pytest.raises(CommandError) as caught:
        run("load", str(bad_file))
    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        "the instrument is not valid (2 problems):",
        f"  {bad_file}: cutoffs.legacy: must be strictly between 0 and 100 (percent), got 100",
        f"  {bad_file}: dimensions[0].categories[0].capabilities[0].items[0].text.en: missing",
    ]
    assert not InstrumentVersion.objects.exists()


@pytest.mark.django_db
def test_load_of_changed_content_under_a_published_version_exits_2(tmp_path):
    publish_instrument(minimal_yaml())
    changed = minimal_instrument()
    changed["intro"]["sv"] = "Hej"
    path = tmp_path / "changed.yaml"
    path.write_text(to_yaml(changed), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("load", str(path))
    assert caught.value.returncode == 2
    assert "already published with different content; publish a new version" in str(caught.value)


# --- validate --------------------------------------------------------------------------------


def test_validate_checks_a_file_without_the_database():
    output = run("validate", STANDARD)
    assert output == (
        f"{STANDARD} is valid: standard@2026.1, 6 categories, 33 capabilities, 33 items.\n"
    )


def test_validate_of_an_invalid_file_exits_2(bad_file):
    with pytest.raises(CommandError) as caught:
        run("validate", str(bad_file))
    assert caught.value.returncode == 2
    assert "text.en: missing" in str(caught.value)


def test_validate_of_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("validate", str(tmp_path / "none.yaml"))
    assert caught.value.returncode == 2
    assert f"{tmp_path / 'none.yaml'}: file not found" in str(caught.value)


def test_a_subcommand_is_required():
    with pytest.raises(CommandError, match="SUBCOMMAND"):
        run()


# --- list ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_every_published_version():
    publish_instrument(minimal_yaml(version="1.0"))
    publish_instrument(minimal_yaml(version="1.1"))
    lines = run("list").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["tiny@1.0", "tiny@1.1"]
    assert "5 items" in lines[0]


@pytest.mark.django_db
def test_list_says_when_nothing_is_published():
    assert "No instrument version is published yet" in run("list")


# --- show ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_show_json_has_exactly_the_documented_structure():
    publish_instrument(STANDARD)
    data = json.loads(run("show", "--json"))

    assert list(data) == [
        "id",
        "version",
        "name",
        "languages",
        "scale",
        "dont_know",
        "cutoffs",
        "dimensions",
        "types",
        "glossary",
    ]
    assert (data["id"], data["version"]) == ("standard", "2026.1")
    assert data["name"] == {"sv": "Mognad standard", "en": "Mognad standard"}
    assert data["languages"] == ["sv", "en"]
    assert data["scale"][0] == {
        "value": 1,
        "label": {"sv": "Stämmer inte alls", "en": "Not true at all"},
    }
    assert data["dont_know"] == {"sv": "Vet ej", "en": "Don't know"}
    assert data["cutoffs"] == {"capability": 50, "legacy": 50}
    dimension = data["dimensions"][0]
    assert list(dimension) == ["id", "role", "name", "weight", "categories"]
    category = dimension["categories"][0]
    assert list(category) == ["id", "name", "weight", "capabilities"]
    capability = category["capabilities"][0]
    assert list(capability) == ["id", "name", "weight", "items"]
    assert capability["items"][0] == {
        "id": "eff.strategy",
        "text": {
            "sv": "I vår organisation är digitala satsningar tydligt kopplade till verksamhetens "
            "mål och planering.",
            "en": "In our organization, digital initiatives are clearly linked to the "
            "organization's goals and planning.",
        },
        "weight": 1.0,
        "technical": False,
    }
    assert list(data["types"][0]) == [
        "id",
        "capability",
        "legacy",
        "name",
        "description",
        "recommendations",
    ]
    assert list(data["glossary"][0]) == ["term", "definition"]


@pytest.mark.django_db
def test_show_json_weights_are_normalized_so_siblings_sum_to_one():
    publish_instrument(STANDARD)
    data = json.loads(run("show", "--json"))
    assert sum(d["weight"] for d in data["dimensions"]) == pytest.approx(1)
    for dimension in data["dimensions"]:
        assert sum(c["weight"] for c in dimension["categories"]) == pytest.approx(1)
        for category in dimension["categories"]:
            assert sum(c["weight"] for c in category["capabilities"]) == pytest.approx(1)
            for capability in category["capabilities"]:
                assert sum(i["weight"] for i in capability["items"]) == pytest.approx(1)


@pytest.mark.django_db
def test_show_picks_a_slug_and_version():
    publish_instrument(minimal_yaml(version="1.0"))
    publish_instrument(minimal_yaml(version="1.1"))
    data = json.loads(run("show", "--slug", "tiny", "--version", "1.0", "--json"))
    assert data["version"] == "1.0"
    assert json.loads(run("show", "--slug", "tiny", "--json"))["version"] == "1.1"


@pytest.mark.django_db
def test_show_without_json_prints_a_readable_outline():
    publish_instrument(STANDARD)
    output = run("show")
    assert output.startswith("Mognad standard (standard@2026.1)\n")
    assert "Digital capability [capability, capability] 50 %" in output
    assert "      tek.debt (technical): In our organization, old systems" in output
    assert (
        "  Forerunner [forerunner]: capability high, legacy enabling, 4 recommendations" in output
    )


@pytest.mark.django_db
def test_show_when_nothing_is_published_is_a_clear_error():
    with pytest.raises(CommandError, match="No instrument version is published yet"):
        run("show")


@pytest.mark.django_db
def test_show_of_an_unknown_version_lists_the_published_ones():
    publish_instrument(minimal_yaml())
    with pytest.raises(CommandError) as caught:
        run("show", "--slug", "tiny", "--version", "9.9")
    assert str(caught.value) == "No published instrument tiny@9.9; published versions: tiny@1.0."
