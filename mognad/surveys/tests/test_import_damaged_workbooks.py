"""Damaged and oversized Excel files (issue 13): a clear error in bounded time, nothing written.

The files are crafted part by part (mognad/surveys/tests/workbooks.py): a sheet declaring the whole
grid A1:XFD1048576, truncated XML, bad cell references, bad shared-string indexes, a DTD, a row of a
million cells, and random damage.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad.surveys import xlsx
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_respondent
from mognad.surveys.tests.workbooks import inline_cell, people_rows, sheet_xml, workbook
from mognad.tests.hostile import assert_nothing_written, row_counts

IGNORE = ("platform.RateLimitCounter",)


@pytest.fixture
def draft(measurement, social_services):
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    return measurement


def _upload(client, measurement, data, name="people.xlsx"):
    return client.post(
        f"/measurements/{measurement.pk}/respondents/import/",
        {"file": SimpleUploadedFile(name, data)},
    )


def _file_error(page) -> str:
    assert page.status_code == 400
    errors = page.context["form"].errors["file"]
    assert errors
    return " ".join(errors)


def _refused(client, measurement, data) -> str:
    """Uploads `data`, checks it was refused within 2 s of CPU and wrote nothing; returns the error.

    CPU time, not wall time: the bound is on the work done, whatever else the machine is running.
    """
    before = row_counts()
    started = time.process_time()
    error = _file_error(_upload(client, measurement, data))
    assert time.process_time() - started < 2
    assert_nothing_written(before, ignore=IGNORE)
    return error


def test_a_sheet_declaring_the_whole_grid_is_read_as_the_rows_it_has(alice_client, draft):
    """4.7 KB declaring A1:XFD1048576 once cost 24-29 s of CPU: every row was padded to 16,384."""
    data = workbook(sheet_xml(people_rows(150), dimension="A1:XFD1048576"))
    assert len(data) < 8_000
    assert {len(row) for row in xlsx.sheet_rows(data)} == {2}
    before = row_counts()
    started = time.process_time()
    page = _upload(alice_client, draft, data)
    assert time.process_time() - started < 2
    assert page.status_code == 200
    preview = page.context["preview"]
    assert preview.new_count == 150 and not preview.errors
    assert preview.rows[0].email == "p2@ankeby.se" and preview.rows[-1].email == "p151@ankeby.se"
    assert_nothing_written(before, ignore=IGNORE)


def test_a_sheet_declaring_a_smaller_grid_than_it_has_loses_no_rows(alice_client, draft):
    page = _upload(alice_client, draft, workbook(sheet_xml(people_rows(40), dimension="A1:B2")))
    assert page.context["preview"].new_count == 40


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.97])
def test_a_truncated_sheet_gets_a_clear_error(alice_client, draft, cut):
    sheet = sheet_xml(people_rows(30))
    error = _refused(alice_client, draft, workbook(sheet[: int(len(sheet) * cut)]))
    assert "Excelfilen är skadad" in error and "spara den igen" in error


@pytest.mark.parametrize("reference", ["!!2", "XFE2", "A0", "A2B", "a2", "A99999999", "B7"])
def test_a_bad_cell_reference_is_named_in_the_error(alice_client, draft, reference):
    rows = people_rows(3).replace('r="B2"', f'r="{reference}"')
    error = _refused(alice_client, draft, workbook(sheet_xml(rows)))
    assert f"”{reference}” på rad 2 är ingen cellreferens" in error


@pytest.mark.parametrize("index", ["1", "-1", "x", "99999999999999999999", "1.0"])
def test_a_bad_shared_string_index_gets_a_clear_error(alice_client, draft, index):
    rows = (
        f'<row r="1">{inline_cell("A1", "email")}{inline_cell("B1", "role")}</row>'
        f'<row r="2"><c r="A2" t="s"><v>{index}</v></c>{inline_cell("B2", "chef")}</row>'
    )
    error = _refused(alice_client, draft, workbook(sheet_xml(rows), shared_strings=["a@b.se"]))
    assert "en cell på rad 2 pekar på en text som inte finns i filen" in error


def test_shared_strings_with_rich_text_are_read_without_phonetic_runs(alice_client, draft):
    rows = (
        f'<row r="1"><c r="A1" t="s"><v>0</v></c>{inline_cell("B1", "role")}</row>'
        f'<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>'
    )
    rich = "<r><t>nils@</t></r><r><rPr/><t>ankeby.se</t></r><rPh><t>x</t></rPh>"
    page = _upload(
        alice_client, draft, workbook(sheet_xml(rows), shared_strings=["email", rich, "chef"])
    )
    assert [(row.email, row.role) for row in page.context["preview"].rows] == [
        ("nils@ankeby.se", "manager")
    ]


@pytest.mark.parametrize("number", ["x", "1", "0", "2000000"])
def test_a_row_number_out_of_order_gets_a_clear_error(alice_client, draft, number):
    rows = people_rows(3).replace('<row r="3">', f'<row r="{number}">')
    error = _refused(alice_client, draft, workbook(sheet_xml(rows)))
    assert f"radnumret ”{number}” efter rad 2 är i fel ordning" in error


def test_a_document_type_declaration_is_refused(alice_client, draft):
    laughs = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = sheet_xml(people_rows(2)).replace("?>", "?>" + laughs, 1).replace("p2@", "&b;p2@")
    assert "dokumenttypsdeklaration" in _refused(alice_client, draft, workbook(sheet))


def test_a_row_of_a_million_cells_is_refused_in_bounded_time(alice_client, draft):
    row = '<row r="1">' + inline_cell("A1", "email") + "<c><v>1</v></c>" * 1_000_000 + "</row>"
    error = _refused(alice_client, draft, workbook(sheet_xml(row)))
    assert "för stort" in error


@pytest.mark.parametrize(("column", "read"), [("AX", True), ("AY", False), ("XFD", False)])
def test_columns_past_the_fiftieth_are_ignored(alice_client, draft, column, read):
    assert xlsx.MAX_COLUMNS == 50  # AX is the 50th column
    rows = people_rows(1).replace('r="B1"', f'r="{column}1"').replace('r="B2"', f'r="{column}2"')
    preview = _upload(alice_client, draft, workbook(sheet_xml(rows))).context["preview"]
    if read:
        assert [row.role for row in preview.rows] == ["manager"] and not preview.errors
    else:
        assert not preview.rows
        assert [(error.line, error.reason) for error in preview.errors] == [(2, "Rollen saknas.")]


def test_a_closed_measurement_refuses_an_upload_before_reading_it(alice_client, draft):
    draft.state = draft.State.CLOSED
    draft.save()
    before = row_counts()
    page = _upload(alice_client, draft, workbook(sheet_xml(people_rows(5))), "people.xlsx")
    assert page.status_code == 302
    assert page["Location"] == f"/measurements/{draft.pk}/respondents/"
    assert_nothing_written(before, ignore=IGNORE)
    listing = alice_client.get(page["Location"])
    assert "inga respondenter kan importeras" in listing.content.decode()
    assert Respondent.objects.filter(measurement=draft).count() == 1


_VALID = sheet_xml(people_rows(20))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.integers(0, len(_VALID)),
    length=st.integers(0, 40),
    junk=st.text(alphabet='<>/="rcvt AZ019&;!-', max_size=20),
)
def test_random_damage_to_a_sheet_is_never_a_server_error(alice_client, draft, start, length, junk):
    damaged = _VALID[:start] + junk + _VALID[start + length :]
    before = row_counts()
    page = _upload(alice_client, draft, workbook(damaged))
    assert page.status_code in (200, 400)
    if page.status_code == 400:
        assert page.context["form"].errors["file"]
    assert_nothing_written(before, ignore=IGNORE)


def test_reading_a_hostile_workbook_stays_within_bounded_memory():
    """Bounded memory as well as time: the whole-grid sheet is read as the 150 rows it has, the
    row of a million cells (17 MB of XML) is refused; neither holds more than a few times the
    20 MB the unpacked workbook may have (openpyxl padded the whole grid to 16,384 columns)."""
    import tracemalloc

    from mognad.surveys.importing import MAX_UNPACKED_BYTES, ImportFileError, read_rows

    whole_grid = workbook(sheet_xml(people_rows(150), dimension="A1:XFD1048576"))
    row = '<row r="1">' + inline_cell("A1", "email") + "<c><v>1</v></c>" * 1_000_000 + "</row>"
    wide = workbook(sheet_xml(row))
    tracemalloc.start()
    try:
        assert len(read_rows("people.xlsx", whole_grid)) == 150
        _now, grid_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with pytest.raises(ImportFileError, match=r"för stort|too large"):
            read_rows("people.xlsx", wide)
        _now, wide_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak memory: whole grid {grid_peak:,} B, million cells {wide_peak:,} B")
    assert grid_peak < 5 * 1024 * 1024, grid_peak
    assert wide_peak < 4 * MAX_UNPACKED_BYTES, wide_peak
