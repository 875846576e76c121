"""The publishing workflow: draft (a frozen snapshot), flags in the correction window, versioned
releases that always give the same bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from mognad.national.publishing import actions, files, queries
from mognad.national.publishing.models import Immutable, PublicationFile
from mognad.orgs.models import AuditEvent
from mognad.platform.actions import ActionError
from mognad.platform.models import OutboxMessage
from mognad.results.models import MeasurementScore
from mognad.test import make_member, make_user


@pytest.fixture
def key_user(two_years):
    user = make_user("kim@kommun0.se", name="Kim Key", language="en")
    make_member(user, two_years[0])
    return user


def test_a_draft_freezes_every_file_with_its_sha256(two_years, nadia):
    draft = actions.draft_year(2026, by=nadia)
    names = set(draft.files.values_list("name", flat=True))
    assert {
        "figures.json",
        "participation.json",
        "reliability.json",
        "opendata/datapackage.json",
        "opendata/organizations.csv",
        "opendata/national.csv",
        "opendata/README.md",
        "research/answers.csv",
        "research/organizations.csv",
        "research/datapackage.json",
        "research/codebook.md",
        "research/DATA-USE.md",
        "report/report-sv.html",
        "report/report-en.html",
    } <= names
    for stored in draft.files.all():
        assert stored.sha256 == hashlib.sha256(bytes(stored.content)).hexdigest()
        assert stored.size == len(bytes(stored.content))
    assert draft.number == 1
    assert draft.closes_at - draft.created_at == timedelta(days=14)


def test_a_draft_holds_every_organizations_row_named_or_not(two_years, nadia):
    draft = actions.draft_year(2026, by=nadia)
    rows = {r.organization.name: r for r in draft.organizations.select_related("organization")}
    assert len(rows) == 8
    assert rows["Kommun 0"].named and not rows["Kommun 5"].named
    row = dict(json.loads(rows["Kommun 5"].row))
    assert row["organization"] == "Kommun 5"
    published = draft.file("opendata/organizations.csv").decode()
    assert "Kommun 0" in published and "Kommun 5" not in published


def test_the_snapshot_is_not_recomputed_when_the_data_changes(two_years, nadia):
    draft = actions.draft_year(2026, by=nadia)
    before = draft.file("opendata/organizations.csv")
    MeasurementScore.objects.filter(
        result__measurement__organization=two_years[0], result__measurement__year=2026
    ).update(score=99.0)
    published = actions.publish_draft(draft, by=nadia, early=True)
    assert published.file("opendata/organizations.csv") == before
    assert b"99.0" not in published.file("opendata/organizations.csv")


def test_the_same_release_always_gives_the_same_bytes(two_years, nadia):
    published = actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    for folder in files.FOLDERS:
        first = files.archive(published.draft, folder, "x")
        assert files.archive(queries.release(2026, 1).draft, folder, "x") == first
    assert queries.release(2026, 1).file("report/report-sv.html") == published.file(
        "report/report-sv.html"
    )


def test_stored_files_and_releases_cannot_change(two_years, nadia):
    published = actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    stored = PublicationFile.objects.filter(draft=published.draft).first()
    stored.content = b"changed"
    with pytest.raises(Immutable):
        stored.save()
    with pytest.raises(Immutable):
        stored.delete()
    published.errata = "rewritten"
    with pytest.raises(Immutable):
        published.save()


def test_key_users_get_an_email_when_a_draft_opens(two_years, nadia, key_user):
    actions.draft_year(2026, by=nadia)
    mail = OutboxMessage.objects.get(to="kim@kommun0.se")
    assert "2026" in mail.subject
    assert "/orgs/kommun-0/publication/" in mail.body_text
    assert mail.language == "en"


def test_a_key_user_flags_an_error_within_the_window(two_years, nadia, key_user):
    draft = actions.draft_year(2026, by=nadia, window_days=3)
    flag = actions.flag_error(draft, two_years[0], "Our respondents are 15.", by=key_user)
    assert queries.flags_of(draft) == [flag]
    assert AuditEvent.objects.filter(action="publication.flagged").count() == 1


def test_a_flag_after_the_window_is_refused_with_a_clear_message(two_years, nadia, key_user):
    draft = actions.draft_year(2026, by=nadia, window_days=3)
    later = timezone.now() + timedelta(days=3, seconds=1)
    with time_machine.travel(later), pytest.raises(ActionError, match="Rättelsefönstret stängde"):
        actions.flag_error(draft, two_years[0], "Too late?", by=key_user)
    assert not queries.flags_of(draft)


def test_a_flag_on_a_replaced_draft_is_refused(two_years, nadia, key_user):
    first = actions.draft_year(2026, by=nadia)
    actions.draft_year(2026, by=nadia, note="Kommun 0 corrected")
    with pytest.raises(ActionError, match="inte längre öppet"):
        actions.flag_error(first, two_years[0], "Wrong", by=key_user)


def test_publishing_before_the_window_ends_needs_a_confirmation(two_years, nadia):
    draft = actions.draft_year(2026, by=nadia)
    with pytest.raises(ActionError) as refused:
        actions.publish_draft(draft, by=nadia)
    assert refused.value.field == "early"
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert actions.publish_draft(draft, by=nadia).version == 1


def test_a_correction_is_a_new_version_with_an_errata_note_and_the_old_one_stays(two_years, nadia):
    first = actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    second_draft = actions.draft_year(2026, by=nadia)
    with pytest.raises(ActionError, match="rättelsenotis"):
        actions.publish_draft(second_draft, by=nadia, early=True)
    second = actions.publish_draft(
        second_draft, by=nadia, early=True, errata="Kommun 0's respondents corrected."
    )
    assert (first.version, second.version) == (1, 2)
    assert queries.latest_release(2026) == second
    assert queries.latest_release() == second
    assert queries.release(2026, 1).file("opendata/organizations.csv") == first.file(
        "opendata/organizations.csv"
    )
    with pytest.raises(ActionError):
        actions.publish_draft(second_draft, by=nadia, early=True, errata="again")


def test_only_the_coordinator_drafts_and_publishes(two_years, nadia, key_user):
    with pytest.raises(ActionError):
        actions.draft_year(2026, by=key_user)
    draft = actions.draft_year(2026, by=nadia)
    with pytest.raises(ActionError):
        actions.publish_draft(draft, by=key_user, early=True)


def test_a_year_without_results_cannot_be_drafted(two_years, nadia):
    with pytest.raises(ActionError, match="2031"):
        actions.draft_year(2031, by=nadia)


def test_drafts_and_releases_are_audited_in_plain_sentences(two_years, nadia):
    actions.publish_draft(actions.draft_year(2026, by=nadia), by=nadia, early=True)
    sentences = [e.sentence() for e in AuditEvent.objects.order_by("id")]
    assert any("2026" in s and "utkast 1" in s for s in sentences)
    assert any("2026" in s and "version 1" in s for s in sentences)


def test_the_window_ends_exactly_at_its_closing_time(two_years, nadia, key_user):
    draft = actions.draft_year(2026, by=nadia, window_days=1)
    with time_machine.travel(draft.closes_at - timedelta(seconds=1), tick=False):
        actions.flag_error(draft, two_years[0], "Just in time.", by=key_user)
    with time_machine.travel(draft.closes_at, tick=False), pytest.raises(ActionError):
        actions.flag_error(draft, two_years[0], "Just too late.", by=key_user)
    assert [f.text for f in queries.flags_of(draft)] == ["Just in time."]


def test_a_flag_about_an_organization_the_draft_does_not_publish_is_refused(two_years, nadia):
    from mognad.orgs.models import Organization

    sleeping = Organization.objects.get(name="Sovande kommun")
    draft = actions.draft_year(2026, by=nadia)
    with pytest.raises(ActionError):
        actions.flag_error(draft, sleeping, "Nothing of ours is here.", by=nadia)
