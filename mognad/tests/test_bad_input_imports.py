"""Bad input to every import (issue 6): a clear error or a preview of bad rows, and nothing written.

Respondent files (CSV/XLSX, uploaded by a key user) and the registry command
(`mognad orgs import` / `import-groups`) get random bytes, wrong encodings, files over the size
limit, fake or oversized Excel files and formula cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import time
import zipfile

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad.orgs import registry
from mognad.surveys.importing import MAX_BYTES, MAX_CELL_CHARS
from mognad.surveys.tests.factories import make_measurement, make_respondent
from mognad.tests.hostile import assert_nothing_written, hostile_text, row_counts

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
IGNORE = ("platform.RateLimitCounter",)


@pytest.fixture(autouse=True)
def _spring_2026():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def draft(ankeby, social_services):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    return measurement


def _upload(client, measurement, name, data):
    return client.post(
        f"/measurements/{measurement.pk}/respondents/import/",
        {"file": SimpleUploadedFile(name, data)},
    )


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _assert_file_error(page, fragment=""):
    assert page.status_code == 400
    errors = page.context["form"].errors["file"]
    assert errors and fragment in " ".join(errors)
    html = page.content.decode()
    assert 'aria-describedby="' in html


@FAST
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a.exe"]))
def test_random_bytes_never_crash_and_never_write(alice_client, draft, data, name):
    before = row_counts()
    page = _upload(alice_client, draft, name, data)
    assert page.status_code in (200, 400)
    if page.status_code == 200:
        # A preview: it lists what would happen, and nothing is written until confirmed.
        assert page.templates[0].name == "surveys/import_preview.html"
    assert_nothing_written(before, ignore=IGNORE)


@FAST
@given(cells=st.lists(hostile_text(80), min_size=1, max_size=6))
def test_hostile_cells_are_listed_as_bad_rows_without_writing(alice_client, draft, cells):
    text = "email;unit;role;language\n" + "\n".join(f"{c.replace(chr(0), '')};x;y;z" for c in cells)
    before = row_counts()
    page = _upload(alice_client, draft, "people.csv", text.encode("utf-8"))
    assert page.status_code in (200, 400)
    assert_nothing_written(before, ignore=IGNORE)
    html = page.content.decode()
    assert "<script>alert" not in html


def test_a_file_over_the_size_limit_is_refused(alice_client, draft):
    before = row_counts()
    data = b"email\n" + b"someone@ankeby.se\n" * (MAX_BYTES // 18 + 10)
    _assert_file_error(_upload(alice_client, draft, "big.csv", data), "2 MB")
    assert_nothing_written(before, ignore=IGNORE)


@pytest.mark.parametrize(
    "data",
    [
        "email;unit\nnew@ankeby.se;Socialförvaltningen\n".encode("utf-16"),
        "email;unit\nnew@ankeby.se;Socialförvaltningen\n".encode("utf-16-le"),
    ],
    ids=["utf-16 with bom", "utf-16 without bom"],
)
def test_a_utf16_file_gets_a_clear_error(alice_client, draft, data):
    before = row_counts()
    page = _upload(alice_client, draft, "people.csv", data)
    _assert_file_error(page)
    assert_nothing_written(before, ignore=IGNORE)


def test_a_latin1_file_with_odd_bytes_is_read_and_previewed_without_writing(alice_client, draft):
    data = "email;enhet;roll\nnew@ankeby.se;Socialförvaltningen;chef\n".encode("latin-1")
    data += b"\x81\x8d\x90;;\n"
    before = row_counts()
    page = _upload(alice_client, draft, "people.csv", data)
    assert page.status_code == 200
    preview = page.context["preview"]
    assert [row.email for row in preview.rows] == ["new@ankeby.se"], preview.errors
    assert len(preview.errors) == 1
    assert_nothing_written(before, ignore=IGNORE)


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a spreadsheet",
        b"PK\x03\x04 truncated zip",
        None,  # a real zip that is not a workbook
    ],
    ids=["plain text", "truncated zip", "zip without a workbook"],
)
def test_an_xlsx_that_is_not_a_workbook_gets_a_clear_error(alice_client, draft, data):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hello")
        data = out.getvalue()
    before = row_counts()
    _assert_file_error(_upload(alice_client, draft, "people.xlsx", data), "Excel")
    assert_nothing_written(before, ignore=IGNORE)


def test_a_sheet_with_too_many_rows_is_refused(alice_client, draft):
    data = _xlsx([["email"]] + [[f"p{n}@ankeby.se"] for n in range(10_050)])
    assert len(data) < MAX_BYTES
    before = row_counts()
    _assert_file_error(_upload(alice_client, draft, "many.xlsx", data), "10")
    assert_nothing_written(before, ignore=IGNORE)


def test_a_compressed_sheet_that_unpacks_to_a_huge_table_is_refused(alice_client, draft):
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>p{n}@ankeby.se</t></is></c></row>'
        for n in range(2, 60_000)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    )
    base = zipfile.ZipFile(io.BytesIO(_xlsx([["email"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in base.infolist():
            content = base.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet.encode()
            archive.writestr(item.filename, content)
    data = out.getvalue()
    assert len(data) < MAX_BYTES < len(sheet)
    before = row_counts()
    _assert_file_error(_upload(alice_client, draft, "bomb.xlsx", data), "10")
    assert_nothing_written(before, ignore=IGNORE)


def test_formula_cells_are_bad_rows_shown_defused_and_nothing_is_written(alice_client, draft):
    data = _xlsx(
        [
            ["email", "unit"],
            ["=cmd|' /C calc'!A0", "x"],
            ['=HYPERLINK("http://evil","a@b.se")', "x"],
            ["ok@ankeby.se", "=1+1"],
        ]
    )
    before = row_counts()
    page = _upload(alice_client, draft, "formulas.xlsx", data)
    assert page.status_code == 200
    preview = page.context["preview"]
    assert len(preview.errors) >= 2
    assert all(not error.value.startswith("=") for error in preview.errors)
    assert_nothing_written(before, ignore=IGNORE)


@FAST
@given(forged=hostile_text(200))
def test_a_forged_preview_is_refused_and_nothing_is_written(alice_client, draft, forged):
    before = row_counts()
    page = alice_client.post(
        f"/measurements/{draft.pk}/respondents/import/", {"confirm": "1", "preview": forged}
    )
    assert page.status_code == 302
    assert_nothing_written(before, ignore=IGNORE)


# The registry command -------------------------------------------------------------------------


@pytest.fixture
def csv_path(tmp_path):
    return tmp_path / "registry.csv"


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        hostile_text(500).map(lambda text: text.encode("utf-8")),
        st.lists(hostile_text(40), min_size=5, max_size=5).map(
            lambda cells: ("name,kind,code,county,employees\n" + ",".join(cells)).encode()
        ),
        st.lists(hostile_text(40), min_size=2, max_size=2).map(
            lambda cells: ("code,group\n" + ",".join(cells)).encode()
        ),
    ),
    action=st.sampled_from(["import", "import-groups"]),
)
def test_the_registry_import_refuses_bad_files_and_writes_nothing(db, csv_path, data, action):
    csv_path.write_bytes(data)
    before = row_counts()
    try:
        call_command("orgs", action, str(csv_path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        assert str(error)
        assert_nothing_written(before)
    else:
        # Only a UTF-8 file whose every row is valid gets through.
        parse = registry.parse_organizations if action == "import" else registry.parse_groups
        assert parse(data.decode("utf-8-sig")).ok


@pytest.mark.parametrize(
    "data",
    [
        "name,kind,code,county,employees\nVerket,agency,202100-0001,,10\n".encode("utf-16"),
        b"name,kind,code,county,employees\nVerket \xe5\x81,agency,202100-0001,,10\n",
    ],
    ids=["utf-16", "latin-1"],
)
def test_the_registry_import_names_a_wrong_encoding(db, csv_path, data):
    csv_path.write_bytes(data)
    before = row_counts()
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("orgs", "import", str(csv_path))
    assert_nothing_written(before)


def test_the_registry_import_refuses_a_file_over_5_mb(db, csv_path):
    csv_path.write_bytes(b"code,group\n" + b"0114,A\n" * 800_000)
    before = row_counts()
    with pytest.raises(CommandError, match="5 MB"):
        call_command("orgs", "import-groups", str(csv_path))
    assert_nothing_written(before)


@pytest.mark.parametrize(
    "data",
    [
        b'email;unit\nnew@ankeby.se\r;x\n"open quote\rnext\n',
        b"email\n" + b"a" * 200_000 + b"@ankeby.se\n",
    ],
    ids=["stray carriage return", "cell over the csv field limit"],
)
def test_a_csv_the_reader_chokes_on_gets_a_clear_error_not_a_server_error(
    alice_client, draft, data
):
    before = row_counts()
    _assert_file_error(_upload(alice_client, draft, "people.csv", data), "CSV")
    assert_nothing_written(before, ignore=IGNORE)


def test_a_long_cell_is_refused_even_when_another_library_raised_the_csv_limit(alice_client, draft):
    """The csv module's field limit is process-wide and frictionless (imported by the open-data
    tests) raises it to sys.maxsize; the import holds its own limit and names it."""
    raised = csv.field_size_limit(sys.maxsize)
    try:
        before = row_counts()
        data = b"email\n" + b"a" * (MAX_CELL_CHARS + 1) + b"@ankeby.se\n"
        page = _upload(alice_client, draft, "people.csv", data)
        _assert_file_error(page, "131\u00a0072")
        assert_nothing_written(before, ignore=IGNORE)
    finally:
        csv.field_size_limit(raised)


def test_a_tiny_sheet_with_millions_of_empty_rows_is_refused_quickly(alice_client, draft):
    """A 60 kB workbook of six million empty rows once kept a request busy for minutes."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
        + "<row/>" * 6_000_000
        + "</sheetData></worksheet>"
    )
    base = zipfile.ZipFile(io.BytesIO(_xlsx([["email"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in base.infolist():
            content = base.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet.encode()
            archive.writestr(item.filename, content)
    before = row_counts()
    started = time.monotonic()
    _assert_file_error(_upload(alice_client, draft, "empty.xlsx", out.getvalue()), "20 MB")
    assert time.monotonic() - started < 2
    assert_nothing_written(before, ignore=IGNORE)
