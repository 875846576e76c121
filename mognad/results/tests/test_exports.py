"""CSV and Excel exports: aggregates only, withheld groups without figures, no formula injection."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.urls import reverse

from mognad.results.exports import safe_cell
from mognad.results.tests.helpers import url


def csv_rows(response):
    """The rows as Swedish Excel reads them: UTF-8 with a byte-order mark, semicolons."""
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


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


def test_the_csv_opens_in_swedish_excel(alice_client, ankeby, results_2026):
    raw = alice_client.get(url("export_csv", ankeby)).content.decode("utf-8-sig")
    lines = raw.split("\r\n")
    # Every field quoted, semicolons between them, decimal commas.
    assert lines[0].startswith('"Organisation";"År";')
    first = next(line for line in lines if '"Totalt"' in line)
    assert all(field.startswith('"') and field.endswith('"') for field in first.split(";"))
    score = csv_rows(alice_client.get(url("export_csv", ankeby)))[1][9]
    assert "," in score and "." not in score


def test_a_formula_after_leading_spaces_or_line_breaks_is_guarded_too(
    alice_client, ankeby, results_2026
):
    unit = ankeby.units.get(name="Äldreomsorg")
    unit.name = "  =cmd|' /C calc'!A0"
    unit.save()
    body = csv_rows(alice_client.get(url("export_csv", ankeby)))[1:]
    assert any(r[4] == "'  =cmd|' /C calc'!A0" for r in body)
    assert safe_cell("\n+1") == "'\n+1" and safe_cell("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"


def test_the_excel_file_has_a_sheet_per_level_with_the_same_rows(
    alice_client, ankeby, results_2026
):
    csv_body = csv_rows(alice_client.get(url("export_csv", ankeby)))
    response = alice_client.get(url("export_xlsx", ankeby))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Totalt och dimensioner", "Kategorier", "Förmågor", "Påståenden"]
    withheld = [r for r in csv_body[1:] if not r[6]]
    shown = sum(sheet.max_row - 1 - len(withheld) for sheet in workbook.worksheets)
    assert shown == len(csv_body) - 1 - len(withheld)
    first = workbook.worksheets[0]
    assert first.freeze_panes == "A2"
    assert first["J2"].value == float(csv_body[1][9].replace(",", "."))
    assert first.column_dimensions["E"].width >= len("Kommunledningsförvaltningen")
    statements = workbook["Påståenden"]
    assert statements.column_dimensions["I"].width == 60  # long texts capped
    assert {row[6].value for row in statements.iter_rows(min_row=2)} <= {"Påstående", None}


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
