"""The built-in registry (data/registry.csv) and `mognad orgs load-registry`."""

import csv
from collections import Counter

import pytest
from django.core.management import call_command

from mognad.orgs.models import Organization
from mognad.orgs.registry import REGISTRY_CSV, counties, load_registry

ROWS = list(csv.DictReader(REGISTRY_CSV.open(encoding="utf-8")))
BY_CODE = {row["code"]: row for row in ROWS}


def test_it_lists_290_municipalities_and_21_regions_with_unique_codes():
    kinds = Counter(row["kind"] for row in ROWS)
    assert kinds == {"municipality": 290, "region": 21}
    assert len(BY_CODE) == len(ROWS) == 311


def test_there_are_21_counties_and_every_region_is_one_of_them():
    assert len(counties()) == 21
    assert {row["code"] for row in ROWS if row["kind"] == "region"} == {c for c, _ in counties()}
    assert counties()[0] == ("01", "Stockholms län")
    assert counties()[-1] == ("25", "Norrbottens län")


def test_every_municipality_code_has_four_digits_starting_with_its_county_code():
    for row in ROWS:
        if row["kind"] == "municipality":
            assert len(row["code"]) == 4 and row["code"].isdigit(), row
            assert row["code"][:2] == row["county_code"], row


@pytest.mark.parametrize(
    ("code", "name", "county"),
    [
        ("0180", "Stockholm", "Stockholms län"),
        ("1480", "Göteborg", "Västra Götalands län"),
        ("1280", "Malmö", "Skåne län"),
        ("0380", "Uppsala", "Uppsala län"),
        ("2480", "Umeå", "Västerbottens län"),
        ("0114", "Upplands Väsby", "Stockholms län"),
        ("0980", "Gotland", "Gotlands län"),
        ("2584", "Kiruna", "Norrbottens län"),
        ("2023", "Malung-Sälen", "Dalarnas län"),
        ("01", "Region Stockholm", "Stockholms län"),
        ("14", "Västra Götalandsregionen", "Västra Götalands län"),
        ("12", "Region Skåne", "Skåne län"),
        ("23", "Region Jämtland Härjedalen", "Jämtlands län"),
    ],
)
def test_spot_checks_of_official_codes(code, name, county):
    assert (BY_CODE[code]["name"], BY_CODE[code]["county"]) == (name, county)


@pytest.mark.django_db
def test_loading_is_idempotent_and_every_installation_has_the_registry():
    load_registry()
    assert Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).count() == 290
    assert Organization.objects.filter(kind=Organization.Kind.REGION).count() == 21
    assert load_registry() == (0, 0)
    assert Organization.objects.get(kind="municipality", code="1480").slug == "goteborg"


@pytest.mark.django_db
def test_the_command_corrects_a_changed_name_and_keeps_local_settings():
    load_registry()
    Organization.objects.filter(code="0180", kind="municipality").update(
        name="Stockholm (old)", employees=40000, named_in_comparisons=True
    )
    call_command("orgs", "load-registry")
    stockholm = Organization.objects.get(code="0180", kind="municipality")
    assert stockholm.name == "Stockholm"
    assert (stockholm.employees, stockholm.named_in_comparisons) == (40000, True)


@pytest.mark.parametrize(
    ("employees", "size_class"),
    [
        (None, ""),
        (1, "XS"),
        (500, "XS"),
        (501, "S"),
        (2000, "S"),
        (2001, "M"),
        (5999, "M"),
        (6000, "L"),
        (15000, "L"),
        (15001, "XL"),
    ],
)
def test_size_classes_follow_the_number_of_employees(employees, size_class):
    assert Organization.size_class_for(employees) == size_class
