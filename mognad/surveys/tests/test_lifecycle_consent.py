"""Consent to sharing: decisions are dated only when they change, and every export follows them.

The consents are changed through the same action as the organization's settings page
(`update_organization_settings`), and the exports are run afterwards, so withdrawing a consent is
shown to take effect in the next export.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from mognad import test
from mognad.national.research import pseudonym
from mognad.national.tests.factories import Group, measured, organization, unit_of
from mognad.orgs.actions import update_organization_settings
from mognad.orgs.models import AuditEvent


def _decide(org, by, *, named=None, research=None):
    org.refresh_from_db()
    return update_organization_settings(
        org,
        by=by,
        employees=org.employees,
        municipality_group=org.municipality_group,
        named_in_comparisons=org.named_in_comparisons if named is None else named,
        research_consent=org.research_consent if research is None else research,
    )


@pytest.fixture
def two_measured(db, settings):
    """Two municipalities with a closed 2026 measurement each; neither has consented yet."""
    settings.BOOTSTRAP_RESAMPLES = 100
    orgs = []
    for i in range(2):
        org = organization(f"Kommun {i}", sectors=("social_services",))
        measured(
            org,
            [
                Group(6, level=3.0 + 0.3 * i, unit=unit_of(org, "social_services")),
                Group(6, level=3.6, role="manager"),
            ],
            seed=i,
        )
        orgs.append(org)
    return orgs


def test_decision_dates_are_recorded_and_change_only_when_the_decision_does(
    ankeby, alice, time_machine
):
    def at(day):
        moment = dt.datetime(2026, 4, day, 10, 0, tzinfo=dt.UTC)
        time_machine.move_to(moment, tick=False)
        return moment

    assert ankeby.named_in_comparisons is False and ankeby.research_consent is False
    first = at(1)
    _decide(ankeby, alice, named=True)
    assert ankeby.named_in_comparisons_decided_at == first
    assert ankeby.research_consent_decided_at is None
    at(2)
    _decide(ankeby, alice)  # saved again without a change
    ankeby.refresh_from_db()
    assert ankeby.named_in_comparisons_decided_at == first
    third = at(3)
    _decide(ankeby, alice, research=True)
    ankeby.refresh_from_db()
    assert ankeby.research_consent_decided_at == third
    assert ankeby.named_in_comparisons_decided_at == first
    fourth = at(4)
    _decide(ankeby, alice, named=False)  # withdrawing is a decision too
    ankeby.refresh_from_db()
    assert ankeby.named_in_comparisons_decided_at == fourth
    assert ankeby.research_consent_decided_at == third
    assert AuditEvent.objects.filter(action="organization.settings_changed").count() == 3


def _open_data(folder):
    call_command("export", "opendata", "--year", "2026", "--out", str(folder))
    with (folder / "organizations.csv").open(encoding="utf-8") as handle:
        names = [row["organization"] for row in csv.DictReader(handle)]
    text = "".join(path.read_text(encoding="utf-8") for path in folder.iterdir())
    return names, text


def test_open_data_names_exactly_the_organizations_that_agree_at_the_time_of_export(
    two_measured, nadia, tmp_path
):
    first, second = two_measured
    assert _open_data(tmp_path / "none")[0] == []
    _decide(first, nadia, named=True)
    names, text = _open_data(tmp_path / "first")
    assert names == ["Kommun 0"] and "Kommun 1" not in text
    _decide(first, nadia, named=False)
    _decide(second, nadia, named=True)
    names, text = _open_data(tmp_path / "second")
    assert names == ["Kommun 1"] and "Kommun 0" not in text


def _research(folder):
    call_command("export", "research", "--years", "2026", "--out", str(folder))
    with (folder / "answers.csv").open(encoding="utf-8") as handle:
        return {row["organization"] for row in csv.DictReader(handle)}


def test_the_research_dataset_holds_exactly_the_organizations_that_agree(
    two_measured, nadia, tmp_path
):
    first, second = two_measured
    assert _research(tmp_path / "none") == set()
    _decide(first, nadia, research=True)
    assert _research(tmp_path / "first") == {pseudonym(first.pk)}
    _decide(first, nadia, research=False)
    _decide(second, nadia, research=True)
    assert _research(tmp_path / "second") == {pseudonym(second.pk)}


def test_an_organizations_own_results_export_names_no_other_organization(two_measured, nadia):
    own, peer = two_measured
    _decide(peer, nadia, named=True, research=True)
    key_user = test.make_user("nyckel@kommun0.se")
    test.make_member(key_user, own)
    client: Client = test.logged_in_client(key_user)
    csv_export = client.get(f"/orgs/{own.slug}/results/export.csv")
    assert csv_export.status_code == 200
    text = csv_export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Swedish Excel: semicolons
    assert {row[0] for row in rows[1:]} == {"Kommun 0"} and "Kommun 1" not in text
    xlsx = client.get(f"/orgs/{own.slug}/results/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert "Kommun 0" in cells and not any("Kommun 1" in cell for cell in cells)
