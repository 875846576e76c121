"""Reading and checking a respondent list (the pure part of the import)."""

import io

import openpyxl
import pytest
from django.utils import translation

from mognad.orgs.models import Unit
from mognad.surveys.importing import (
    ImportFileError,
    check_rows,
    read_rows,
    safe_cell,
    unit_lookup,
)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _units():
    social = Unit(pk=2, name="Socialförvaltningen", path="/2/")
    care = Unit(pk=3, name="Äldreomsorg", path="/2/3/")
    school = Unit(pk=4, name="Utbildningsförvaltningen", path="/4/")
    school_care = Unit(pk=5, name="Äldreomsorg", path="/4/5/")
    return [social, care, school, school_care]


def _check(text, *, existing=None, allowed=None):
    rows = read_rows("list.csv", text.encode())
    return check_rows(
        rows,
        units=unit_lookup(_units()),
        allowed_unit_ids=allowed,
        existing=existing or {},
        default_language="sv",
    )


def test_it_reads_comma_or_semicolon_separated_files_with_swedish_headers():
    preview = _check("e-post;enhet;roll;språk\nAnna@Ankeby.se;Socialförvaltningen;Chef;en\n")
    assert [(r.email, r.unit_id, r.role, r.language) for r in preview.rows] == [
        ("anna@ankeby.se", 2, "manager", "en")
    ]
    preview = _check("email,unit,role,language\nbo@ankeby.se,Utbildningsförvaltningen,staff,\n")
    assert preview.rows[0].role == "staff" and preview.rows[0].language == "sv"


def test_every_bad_row_is_listed_with_its_line_and_reason():
    preview = _check(
        "email,unit,role,language\n"
        "good@ankeby.se,Socialförvaltningen,manager,sv\n"
        "not-an-email,Socialförvaltningen,manager,sv\n"
        "x@ankeby.se,Nowhere,manager,sv\n"
        "y@ankeby.se,Socialförvaltningen,astronaut,sv\n"
        "GOOD@ankeby.se,Socialförvaltningen,staff,sv\n"
        "z@ankeby.se,Socialförvaltningen,staff,fi\n"
        ",Socialförvaltningen,staff,sv\n"
        "w@ankeby.se,Socialförvaltningen,,sv\n"
    )
    assert [r.email for r in preview.rows] == ["good@ankeby.se"]
    reasons = {e.line: e.reason for e in preview.errors}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "not a valid email" in reasons[3]
    assert "no unit called “Nowhere”" in reasons[4]
    assert "“astronaut” is not a known role" in reasons[5]
    assert "twice in the file (first on line 2)" in reasons[6]
    assert "use sv or en" in reasons[7]
    assert "email address is missing" in reasons[8]
    assert "role is missing" in reasons[9]


def test_an_ambiguous_unit_name_asks_for_the_full_path_which_then_works():
    preview = _check("email,unit,role\na@ankeby.se,Äldreomsorg,staff\n")
    assert "write the full path" in preview.errors[0].reason
    preview = _check("email,unit,role\na@ankeby.se,Utbildningsförvaltningen / Äldreomsorg,staff\n")
    assert preview.rows[0].unit_id == 5


def test_known_respondents_are_merged_not_duplicated():
    preview = _check(
        "email,unit,role\nold@ankeby.se,Socialförvaltningen,staff\nnew@ankeby.se,,staff\n",
        existing={"old@ankeby.se": 2},
    )
    assert [(r.email, r.merged) for r in preview.rows] == [
        ("old@ankeby.se", True),
        ("new@ankeby.se", False),
    ]
    assert (preview.new_count, preview.merged_count) == (1, 1)


def test_a_unit_admin_cannot_import_outside_the_subtree():
    preview = _check(
        "email,unit,role\n"
        "a@ankeby.se,Socialförvaltningen / Äldreomsorg,staff\n"
        "b@ankeby.se,Utbildningsförvaltningen,staff\n"
        "c@ankeby.se,,staff\n"
        "d@ankeby.se,Socialförvaltningen,staff\n",
        allowed={2, 3},
        existing={"d@ankeby.se": 4},
    )
    assert [r.email for r in preview.rows] == ["a@ankeby.se"]
    assert [e.line for e in preview.errors] == [3, 4, 5]


def test_cell_values_shown_back_cannot_run_as_spreadsheet_formulas():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x" and safe_cell("ok") == "ok"
    preview = _check("email,unit,role\n=cmd|' /C calc'!A0,,staff\n")
    assert preview.errors[0].value.startswith("'=")


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_reads_excel_files():
    data = _xlsx(
        [["Email", "Unit", "Role", "Language"], ["a@ankeby.se", "Socialförvaltningen", "IT", "en"]]
    )
    rows = read_rows("list.xlsx", data)
    assert rows[0].line == 2 and rows[0].values["email"] == "a@ankeby.se"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.pdf", b"%PDF-1.4", "Upload a CSV file"),
        ("list.xlsx", b"not a zip file at all", "not a valid Excel"),
        ("list.xlsx", b"PK\x03\x04broken", "not a valid Excel"),
        ("list.csv", b"", "empty"),
        ("list.csv", b"name,phone\nx,y\n", "must name the columns"),
        ("list.csv", b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        ("list.csv", b"email\n" + b"a@b.se\n" * 10_001, "more than 10,000 rows"),
    ],
)
def test_it_rejects_files_it_cannot_use_with_a_clear_reason(name, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_rows(name, data)


def test_five_thousand_excel_rows_are_read_and_checked():
    data = _xlsx(
        [["email", "unit", "role", "language"]]
        + [[f"person{i}@ankeby.se", "Socialförvaltningen", "staff", "sv"] for i in range(5000)]
    )
    rows = read_rows("list.xlsx", data)
    preview = check_rows(
        rows, units=unit_lookup(_units()), allowed_unit_ids=None, existing={}, default_language="sv"
    )
    assert len(preview.rows) == 5000 and not preview.errors
