"""Crafted .xlsx files for the spreadsheet-safety tests: a real workbook with parts replaced."""

from __future__ import annotations

import io
import zipfile

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def inline_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: str, *, dimension: str = "A1:C3") -> str:
    """A worksheet whose <sheetData> is `rows` (XML of <row> elements)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def people_rows(count: int, *, first_row: int = 2) -> str:
    """A header row and `count` valid respondents (unit-less managers)."""
    header = '<row r="1">' + inline_cell("A1", "email") + inline_cell("B1", "role") + "</row>"
    return header + "".join(
        f'<row r="{n}">{inline_cell(f"A{n}", f"p{n}@ankeby.se")}'
        f"{inline_cell(f'B{n}', 'chef')}</row>"
        for n in range(first_row, first_row + count)
    )


def workbook(sheet: str, *, shared_strings: list[str] | None = None) -> bytes:
    """An openpyxl workbook with its sheet replaced by `sheet`, plus shared strings if given."""
    book = openpyxl.Workbook()
    book.active.append(["email"])
    base_bytes = io.BytesIO()
    book.save(base_bytes)
    base = zipfile.ZipFile(base_bytes)
    parts = {name: base.read(name) for name in base.namelist()}
    parts[SHEET] = sheet.encode()
    if shared_strings is not None:
        # A text starting with "<" is the XML inside <si> (rich-text runs), else plain text.
        items = "".join(
            f"<si>{text}</si>" if text.startswith("<") else f"<si><t>{text}</t></si>"
            for text in shared_strings
        )
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{items}</sst>'.encode()
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" '
            + f'ContentType="{_STRINGS_TYPE}"/></Types>'.encode(),
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{_STRINGS_RELATION}" '
            'Target="sharedStrings.xml"/></Relationships>'.encode(),
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
