"""A release's files come from the same door-released figures as every other channel, and the
same release always gives the same bytes – also the status report as PDF."""

from __future__ import annotations

import pytest

from mognad.national import opendata
from mognad.national.publishing import actions, files


@pytest.fixture
def release(two_years, nadia):
    return actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)


def test_the_open_data_is_what_the_door_released_export_writes(two_years, nadia, tmp_path):
    opendata.export(2026, tmp_path)
    draft = actions.draft_year(2026, by=nadia)
    for name in ("organizations.csv", "national.csv", "datapackage.json", "README.md"):
        assert draft.file(f"opendata/{name}") == (tmp_path / name).read_bytes(), name


def test_the_frozen_figures_are_the_stored_national_figures(two_years, nadia):
    from mognad.national import store

    draft = actions.draft_year(2026, by=nadia)
    assert draft.file("figures.json").decode() == store.encode(store.figures(2026))


def test_who_has_not_started_is_not_frozen(release):
    assert b"Sovande kommun" not in release.file("participation.json")
    for name in release.file_names():
        if name.startswith(("opendata/", "report/")):
            assert b"Sovande kommun" not in release.file(name), name


def test_the_same_release_gives_the_same_report_pdf(release):
    first = files.report_pdf(release.draft, "en")
    assert first.startswith(b"%PDF")
    assert files.report_pdf(release.draft, "en") == first
    assert files.report_pdf(release.draft, "sv") != first


def test_the_coordinator_downloads_the_report_pdf_of_a_version(release, nadia_client):
    response = nadia_client.get("/national/publishing/2026/1/report-sv.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == files.report_pdf(release.draft, "sv")


def test_the_command_line_writes_a_releases_open_data_as_published(release, tmp_path):
    from django.core.management import call_command

    call_command("export", "opendata", "--year", "2026", "--release", "1", "--out", str(tmp_path))
    for name in ("organizations.csv", "national.csv", "datapackage.json", "README.md"):
        assert (tmp_path / name).read_bytes() == release.file(f"opendata/{name}"), name


def test_the_command_line_refuses_a_version_that_is_not_published(release, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"Version 2 of 2026 is not published \(published: 1\)"):
        call_command(
            "export", "opendata", "--year", "2026", "--release", "2", "--out", str(tmp_path)
        )
