"""The public open-data API: published releases only, each file byte for byte as published,
no token; a second release keeps the first one's files."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from mognad.national.publishing import actions
from mognad.national.tests.factories import build_two_years


@pytest.fixture
def published(db, nadia, settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    build_two_years()
    return actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)


def test_the_list_is_public_and_empty_before_anything_is_published(db):
    response = Client().get("/api/v1/open-data/")
    assert response.status_code == 200
    assert response.json() == {"releases": []}


def test_a_draft_is_never_served(db, nadia, settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    build_two_years()
    actions.draft_year(2026, by=nadia)
    assert Client().get("/api/v1/open-data/").json() == {"releases": []}
    assert Client().get("/api/v1/open-data/2026/1/organizations.csv").status_code == 404


def test_a_release_and_its_files_are_served_without_a_token(published):
    client = Client()
    listed = client.get("/api/v1/open-data/").json()["releases"]
    assert [(r["year"], r["version"], r["latest"]) for r in listed] == [(2026, 1, True)]
    assert listed[0]["licence"] == "CC0-1.0"
    assert listed[0]["datapackage"].endswith("/api/v1/open-data/2026/1/datapackage.json")
    for name in ("datapackage.json", "organizations.csv", "national.csv", "README.md"):
        response = client.get(f"/api/v1/open-data/2026/1/{name}")
        assert response.status_code == 200
        assert response.content == published.file(f"opendata/{name}")
    package = json.loads(client.get("/api/v1/open-data/2026/1/datapackage.json").content)
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert client.get("/api/v1/open-data/2026/1/organizations.csv")["Content-Type"].startswith(
        "text/csv"
    )


def test_unknown_versions_and_files_are_404(published):
    client = Client()
    assert client.get("/api/v1/open-data/2026/2/national.csv").status_code == 404
    assert client.get("/api/v1/open-data/2025/1/national.csv").status_code == 404
    assert client.get("/api/v1/open-data/2026/1/answers.csv").status_code == 404
    assert client.get("/api/v1/open-data/2026/1/figures.json").status_code == 404


def test_a_second_release_keeps_the_first_downloadable(published, nadia):
    first = Client().get("/api/v1/open-data/2026/1/organizations.csv").content
    actions.publish_draft(
        actions.draft_year(2026, by=nadia), by=nadia, early=True, errata="Recomputed."
    )
    listed = Client().get("/api/v1/open-data/").json()["releases"]
    assert [(r["version"], r["latest"], r["errata"]) for r in listed] == [
        (2, True, "Recomputed."),
        (1, False, ""),
    ]
    assert Client().get("/api/v1/open-data/2026/1/organizations.csv").content == first
    assert Client().get("/api/v1/open-data/2026/2/organizations.csv").status_code == 200
