"""CSV and Excel exports: aggregates only, withheld groups without figures, no formula injection."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.urls import reverse

from mognad.results.exports import safe_cell
from mognad.results.tests.helpers import url


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_every_node_of_every_shown_group(alice_client, ankeby, results_2026):
    response = alice_client.get(url("export_csv", ankeby))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Organisation"
    organization = [r for r in body if r[3] == "Organisation"]
    # overall + 2 dimensions + 6 categories + 33 capabilities + 33 statements
    assert len(organization) == 75
    assert all(r[9] for r in organization)


def test_hidden_groups_have_no_figures_in_the_export(alice_client, ankeby, results_2026):
    body = csv_rows(alice_client.get(url("export_csv", ankeby)))[1:]
    education = [r for r in body if r[4] == "Utbildningsförvaltningen"]
    management = [r for r in body if r[4] == "Kommunledningsförvaltningen"]
    for rows in (education, management):
        assert len(rows) == 1
        assert rows[0][5] == "" and rows[0][9] == ""
    roles = {r[4]: r for r in body if r[3] == "Roll"}
    assert roles["Chef"][5] == ""


def test_a_unit_admin_exports_only_their_subtree(bob_client, ankeby, results_2026):
    body = csv_rows(bob_client.get(url("export_csv", ankeby)))[1:]
    assert {r[4] for r in body} == {"Socialförvaltningen", "Äldreomsorg"}


def test_text_that_could_be_a_formula_is_neutralized(alice_client, ankeby, results_2026):
    ankeby.name = '=HYPERLINK("http://evil.example")'
    ankeby.save()
    unit = ankeby.units.get(name="Äldreomsorg")
    unit.name = "@SUM(A1:A9)"
    unit.save()
    body = csv_rows(alice_client.get(url("export_csv", ankeby)))[1:]
    assert body[0][0].startswith("'=HYPERLINK")
    assert any(r[4] == "'@SUM(A1:A9)" for r in body)
    workbook = openpyxl.load_workbook(
        io.BytesIO(alice_client.get(url("export_xlsx", ankeby)).content)
    )
    sheet = workbook.active
    assert sheet["A2"].value.startswith("'=")
    assert sheet["A2"].data_type == "s"


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell(-3.5) == -3.5
    assert safe_cell("Ankeby") == "Ankeby"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "x") == "'" + start + "x"


def test_the_excel_file_has_the_same_rows(alice_client, ankeby, results_2026):
    csv_body = csv_rows(alice_client.get(url("export_csv", ankeby)))
    response = alice_client.get(url("export_xlsx", ankeby))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == len(csv_body)
    assert sheet["J2"].value == float(csv_body[1][9])


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    for name in ("export_csv", "export_xlsx"):
        assert charlie_client.get(url(name, ankeby)).status_code == 404
        response = client.get(url(name, ankeby))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_viewer_can_download(victor_client, ankeby, results_2026):
    assert victor_client.get(url("export_xlsx", ankeby)).status_code == 200


def test_a_bad_year_is_a_clear_error(alice_client, ankeby, results_2026):
    assert alice_client.get(url("export_csv", ankeby, year="x")).status_code == 400
