"""The plan as CSV and Excel: the exports' one writer (Swedish Excel: BOM, semicolons, quoted),
formula-guarded cells, and only the actions the user may see."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mognad.plans.tests.helpers import a_plan, measured

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ankeby, alice, elder_care, education):
    return a_plan(
        measured(ankeby, year=2025),
        alice,
        {"title": '=HYPERLINK("http://evil")', "owner": "IT-chef", "unit": elder_care},
        {"title": "Skolans systemkarta", "unit": education, "due": "2026-05-31"},
    )


def _csv(response):
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_opens_in_swedish_excel_with_every_action_and_guarded_cells(
    ankeby, alice_client, plan
):
    response = alice_client.get(reverse("plans:export_csv", args=[ankeby.slug, 2025]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert (
        'filename="mognad-handlingsplan-ankeby-kommun-2025.csv"' in response["Content-Disposition"]
    )
    assert b'";"' in response.content  # every field quoted, semicolons between
    header, *rows = _csv(response)
    assert header[:4] == ["Organization", "Year", "Action", "Capabilities"]
    assert [row[2] for row in rows] == ['\'=HYPERLINK("http://evil")', "Skolans systemkarta"]
    assert rows[0][6] == "IT-chef" and rows[1][7] == "Utbildningsförvaltningen"
    assert rows[1][9] == "2026-05-31" and rows[1][10] == "Planned"


def test_a_unit_admin_exports_only_their_subtrees_actions_and_outsiders_nothing(
    ankeby, bob_client, charlie_client, plan
):
    rows = _csv(bob_client.get(reverse("plans:export_csv", args=[ankeby.slug, 2025])))[1:]
    assert [row[7] for row in rows] == ["Äldreomsorg"]
    url = reverse("plans:export_xlsx", args=[ankeby.slug, 2025])
    assert charlie_client.get(url).status_code == 404


def test_the_excel_workbook_has_the_same_rows(ankeby, alice_client, plan):
    response = alice_client.get(reverse("plans:export_xlsx", args=[ankeby.slug, 2025]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Action plan 2025"
    assert [row[2] for row in values[1:]] == [
        '\'=HYPERLINK("http://evil")',
        "Skolans systemkarta",
    ]
