"""The publishing pages: the coordinator drafts, sees flags, publishes and downloads; a key user
sees their organization's row and flags an error."""

from __future__ import annotations

import io
import zipfile

import pytest

from mognad.national.publishing import actions
from mognad.national.publishing.models import PublicationFlag, PublishedRelease
from mognad.test import logged_in_client, make_member, make_user


@pytest.fixture
def kim_client(two_years):
    user = make_user("kim@kommun5.se", name="Kim Key")
    make_member(user, two_years[5])
    return logged_in_client(user)


def test_the_coordinator_drafts_a_year_and_publishes_it(two_years, nadia_client):
    response = nadia_client.post(
        "/national/publishing/", {"year": "2026", "window_days": "7", "note": ""}
    )
    assert response.status_code == 302
    draft_page = nadia_client.get(response["Location"])
    assert "2026" in draft_page.content.decode()
    refused = nadia_client.post(response["Location"] + "publish/", {"errata": ""})
    assert "Rättelsefönstret är fortfarande öppet" in refused.content.decode()
    done = nadia_client.post(response["Location"] + "publish/", {"errata": "", "early": "on"})
    assert done.status_code == 302
    assert PublishedRelease.objects.get().version == 1
    listing = nadia_client.get("/national/publishing/").content.decode()
    assert "/national/publishing/2026/1/opendata.zip" in listing


def test_the_coordinator_downloads_open_data_and_research_data_per_version(
    two_years, nadia, nadia_client
):
    actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    response = nadia_client.get("/national/publishing/2026/1/opendata.zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "mognad-opendata-2026-v1/datapackage.json" in names
    assert "mognad-opendata-2026-v1/README.md" in names
    research = nadia_client.get("/national/publishing/2026/1/research.zip")
    assert (
        "mognad-research-2026-v1/DATA-USE.md"
        in zipfile.ZipFile(io.BytesIO(research.content)).namelist()
    )
    assert nadia_client.get("/national/publishing/2026/1/report-en.html").status_code == 200
    assert nadia_client.get("/national/publishing/2026/2/opendata.zip").status_code == 404


def test_a_key_user_sees_the_own_row_and_flags_an_error(two_years, nadia, kim_client):
    before = kim_client.get("/orgs/kommun-5/publication/").content.decode()
    assert "Ingen publicering är öppen för rättelser" in before
    actions.draft_year(2026, by=nadia)
    page = kim_client.get("/orgs/kommun-5/publication/").content.decode()
    assert "Kommun 5" in page and "overall_score" in page
    assert "Kommun 0" not in page
    response = kim_client.post("/orgs/kommun-5/publication/", {"text": "Fel antal svarande."})
    assert response.status_code == 302
    assert PublicationFlag.objects.get().text == "Fel antal svarande."


def test_a_key_user_cannot_review_another_organization(two_years, nadia, kim_client):
    actions.draft_year(2026, by=nadia)
    assert kim_client.get("/orgs/kommun-0/publication/").status_code == 404


def test_only_the_coordinator_reaches_the_publishing_pages(two_years, kim_client):
    assert kim_client.get("/national/publishing/").status_code == 404


def test_the_national_page_offers_the_latest_releases_downloads(two_years, nadia, nadia_client):
    page = nadia_client.get("/national/?year=2026").content.decode()
    assert "/national/publishing/" in page and "opendata.zip" not in page
    actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    page = nadia_client.get("/national/?year=2026").content.decode()
    assert "/national/publishing/2026/1/opendata.zip" in page
    assert "/national/publishing/2026/1/research.zip" in page


def test_the_report_page_points_to_the_published_versions(two_years, nadia_client):
    page = nadia_client.get("/national/report/").content.decode()
    assert 'href="/national/publishing/"' in page
