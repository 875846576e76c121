"""Year two (issue 13): a new measurement with last year's people (without those who left), the
roster exported as CSV or Excel, no silent default role, only free years offered, and a draft page
that says what stands before opening."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mognad.orgs.models import AuditEvent
from mognad.platform.actions import ActionError
from mognad.surveys import actions
from mognad.surveys.models import Measurement, Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent
from mognad.tests.hostile import assert_nothing_written, row_counts

IGNORE = ("platform.RateLimitCounter",)


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.fixture
def last_year(ankeby, social_services, education, elder_care):
    """2025, closed: Sara (manager, social services), Eero (staff, elder care, English), Ulf (IT,
    education, has left), Maja (strategist, no unit) and one erased address."""
    measurement = make_measurement(ankeby, year=2025, state=Measurement.State.CLOSED)
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    make_respondent(measurement, "eero@ankeby.se", unit=elder_care, language="en")
    make_respondent(measurement, "ulf@ankeby.se", unit=education, role="it")
    make_respondent(measurement, "maja@ankeby.se", role="strategist")
    make_respondent(measurement, "erased:abc", role="staff")
    return measurement


def _left(client, measurement, email, left="1"):
    person = measurement.respondents.get(email=email)
    url = f"/measurements/{measurement.pk}/respondents/{person.pk}/left/"
    return client.post(url, {"left": left})


def test_a_new_year_starts_with_last_years_people_except_those_who_left(
    alice_client, ankeby, last_year
):
    assert _left(alice_client, last_year, "ulf@ankeby.se").status_code == 302
    page = alice_client.get(f"/orgs/{ankeby.slug}/measurements/")
    assert "Kopiera personerna från 2025 (3, utan dem som markerats som slutat)" in _text(page)
    created = alice_client.post(
        f"/orgs/{ankeby.slug}/measurements/", {"year": "2026", "copy_from": last_year.pk}
    )
    new = Measurement.objects.get(year=2026)
    assert created["Location"] == f"/measurements/{new.pk}/"
    copied = {
        r.email: (r.unit.name if r.unit else None, r.role, r.language, r.status)
        for r in new.respondents.select_related("unit")
    }
    assert copied == {
        "sara@ankeby.se": ("Socialförvaltningen", "manager", "sv", "pending"),
        "eero@ankeby.se": ("Äldreomsorg", "staff", "en", "pending"),
        "maja@ankeby.se": (None, "strategist", "sv", "pending"),
    }
    event = AuditEvent.objects.get(action="respondent.copy")
    assert event.details["copied"] == 3
    assert last_year.respondents.count() == 5  # last year's list is untouched


def test_a_new_year_can_start_empty(alice_client, ankeby, last_year):
    alice_client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2026", "copy_from": ""})
    assert not Measurement.objects.get(year=2026).respondents.exists()


def test_copying_from_another_organization_is_refused_and_writes_nothing(
    alice_client, ankeby, bebyholm, last_year
):
    foreign = make_measurement(bebyholm, year=2025)
    make_respondent(foreign, "spy@bebyholm.se")
    before = row_counts()
    page = alice_client.post(
        f"/orgs/{ankeby.slug}/measurements/", {"year": "2026", "copy_from": foreign.pk}
    )
    assert page.status_code == 400 and page.context["form"].errors["copy_from"]
    assert_nothing_written(before, ignore=IGNORE)


def test_copying_needs_an_earlier_year_and_a_draft(ankeby, alice, last_year):
    from mognad.surveys.roster import copy_respondents

    draft_2026 = make_measurement(ankeby, year=2026)
    with pytest.raises(ActionError):
        copy_respondents(draft_2026, last_year, by=alice)
    actions.open_measurement(draft_2026, by=None)
    with pytest.raises(ActionError):
        copy_respondents(last_year, draft_2026, by=alice)
    assert not draft_2026.respondents.exists()


def test_new_measurement_offers_only_years_without_one(alice_client, ankeby, last_year):
    make_measurement(ankeby, year=2026)
    page = alice_client.get(f"/orgs/{ankeby.slug}/measurements/")
    assert [year for year, _label in page.context["form"].fields["year"].choices] == [2027]
    refused = alice_client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2026"})
    assert refused.status_code == 400
    make_measurement(ankeby, year=2027)
    page = alice_client.get(f"/orgs/{ankeby.slug}/measurements/")
    assert "Det här året och nästa år har redan en mätning." in _text(page)
    assert "Skapa mätning" not in _text(page)


def test_marking_someone_as_left_can_be_undone_and_is_for_managers(
    alice_client, victor_client, charlie_client, last_year
):
    _left(alice_client, last_year, "sara@ankeby.se")
    assert last_year.respondents.get(email="sara@ankeby.se").left_at is not None
    listing = _text(alice_client.get(f"/measurements/{last_year.pk}/respondents/"))
    assert "Har slutat Ångra" in listing
    _left(alice_client, last_year, "sara@ankeby.se", left="0")
    assert last_year.respondents.get(email="sara@ankeby.se").left_at is None
    assert _left(victor_client, last_year, "sara@ankeby.se").status_code == 403
    assert _left(charlie_client, last_year, "sara@ankeby.se").status_code == 404
    assert not last_year.respondents.exclude(left_at=None).exists()


def _export(client, measurement, kind):
    return client.get(f"/measurements/{measurement.pk}/respondents/export/{kind}/")


def test_the_csv_export_opens_in_swedish_excel_and_imports_again(alice_client, ankeby, last_year):
    make_respondent(last_year, "=cmd@ankeby.se", role="staff")
    Respondent.objects.filter(email="ulf@ankeby.se").update(unit=None)
    page = _export(alice_client, last_year, "csv")
    assert page["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="respondenter-ankeby-kommun-2025.csv"' in page["Content-Disposition"]
    data = page.content
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == '"email";"unit";"role";"language";"status";"left"'
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[2][:4] == [
        "eero@ankeby.se",
        "Socialförvaltningen / Äldreomsorg",
        "Medarbetare",
        "en",
    ]
    assert rows[1][:3] == ["'=cmd@ankeby.se", "", "Medarbetare"]
    assert AuditEvent.objects.filter(action="respondent.export").count() == 1
    # The file is in the import's format: a new draft takes it back.
    draft = make_measurement(ankeby, year=2026)
    preview = alice_client.post(
        f"/measurements/{draft.pk}/respondents/import/",
        {"file": SimpleUploadedFile("tillbaka.csv", data)},
    ).context["preview"]
    assert sorted(row.email for row in preview.rows) == [
        "'=cmd@ankeby.se",  # guarded: a text, never a formula
        "eero@ankeby.se",
        "maja@ankeby.se",
        "sara@ankeby.se",
        "ulf@ankeby.se",
    ]
    assert [error.line for error in preview.errors] == [4]  # the erased address


def test_the_excel_export_has_a_frozen_header_and_widths(alice_client, last_year):
    page = _export(alice_client, last_year, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(page.content)).active
    assert sheet.title == "Respondenter 2025"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= 30
    assert [cell.value for cell in sheet[2]][:4] == [
        "eero@ankeby.se",
        "Socialförvaltningen / Äldreomsorg",
        "Medarbetare",
        "en",
    ]


def test_the_export_is_scoped_and_not_for_viewers(
    bob_client, victor_client, charlie_client, client, last_year
):
    text = _export(bob_client, last_year, "csv").content.decode("utf-8-sig")
    assert {row[0] for row in csv.reader(io.StringIO(text), delimiter=";")} == {
        "email",
        "sara@ankeby.se",
        "eero@ankeby.se",
    }
    assert _export(victor_client, last_year, "csv").status_code == 403
    assert _export(charlie_client, last_year, "csv").status_code == 404
    assert _export(client, last_year, "csv").status_code == 302
    assert _export(bob_client, last_year, "pdf").status_code == 404


def test_adding_a_respondent_has_no_silent_default_role(alice_client, ankeby):
    draft = make_measurement(ankeby)
    page = alice_client.get(f"/measurements/{draft.pk}/respondents/")
    assert page.context["form"].fields["role"].choices[0] == ("", "Välj en roll")
    assert '<option value="" selected>Välj en roll</option>' in page.content.decode()
    before = row_counts()
    refused = alice_client.post(
        f"/measurements/{draft.pk}/respondents/", {"email": "ny@ankeby.se", "language": "sv"}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["role"] == ["Välj personens roll."]
    assert_nothing_written(before, ignore=IGNORE)


def test_a_draft_of_next_year_says_why_it_cannot_open_yet(alice_client, ankeby):
    draft = make_measurement(ankeby, year=2027)
    make_respondent(draft, "sara@ankeby.se")
    text = _text(alice_client.get(f"/measurements/{draft.pk}/"))
    assert "Innan den öppnas" in text
    assert "Den kan öppnas från 1 januari 2027" in text
    assert "1 person på listan får en inbjudan när den öppnas." in text
    assert "Öppna mätningen" not in text
    refused = alice_client.get(f"/measurements/{draft.pk}/open/", follow=True)
    assert "Den kan öppnas från 1 januari 2027" in _text(refused)


def test_a_draft_without_people_says_nobody_would_be_invited(alice_client, ankeby):
    draft = make_measurement(ankeby)
    text = _text(alice_client.get(f"/measurements/{draft.pk}/"))
    assert "ingen står på listan, så ingen skulle bjudas in." in text
    assert "Öppna mätningen" in text
