"""The first sheet of an .xlsx as rows of text, in bounded time and memory, or `XlsxError`.

Why not openpyxl's read-only reader: it pads every row to the size a sheet *declares*, so a 4.7 KB
file declaring A1:XFD1048576 cost 24–29 s of CPU per upload, and a truncated sheet, a bad cell
reference or a bad shared-string index escaped as a server error (issue 13). This reader ignores the
declared size, keeps at most `MAX_COLUMNS` columns, checks every reference and index, refuses a DTD,
and streams the sheet one row at a time, so memory stays at one row plus the shared strings. The
caller bounds the number of rows by stopping the iteration.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

# A respondent list has four columns; anything past this column is ignored.
MAX_COLUMNS = 50
# XML elements read from the shared strings and the sheet together; 10,000 rows of four text
# cells take about 130,000. Past this the file is refused (about a second of CPU when the machine
# is busy); a file with more than twice as many tags is refused before parsing.
MAX_ELEMENTS = 200_000
_EXCEL_MAX_COLUMN = 16_384
_EXCEL_MAX_ROW = 1_048_576
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


class XlsxError(Exception):
    """The workbook cannot be read; the message says why in plain words."""


def _local(tag: str) -> str:
    """ "{namespace}name" → "name": transitional and strict OOXML differ only in namespaces."""
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ET.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _damaged(detail: str) -> XlsxError:
    return XlsxError(
        _("The Excel file is damaged: %(detail)s Open it in Excel, save it again and upload it.")
        % {"detail": detail}
    )


def _xml(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        content = archive.read(name)
    except KeyError:
        raise _damaged(_("a part of the workbook is missing.")) from None
    # A workbook never has a DTD; entity tricks (billion laughs, external entities) need one.
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _damaged(_("it contains a document type declaration."))
    return content


def _parse(content: bytes) -> ET.Element:
    try:
        return ET.fromstring(content)  # noqa: S314 (no DTD, see _xml)
    except ET.ParseError:
        raise _damaged(_("a part of the workbook is not well-formed.")) from None


def _part_path(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _first_sheet_and_strings(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    workbook = _parse(_xml(archive, "xl/workbook.xml"))
    sheets = [element for element in workbook.iter() if _local(element.tag) == "sheet"]
    if not sheets:
        raise _damaged(_("it has no sheet."))
    first_id = _attribute(sheets[0], "id")
    relations = _parse(_xml(archive, "xl/_rels/workbook.xml.rels"))
    sheet_path = strings_path = None
    for relation in relations:
        target = relation.get("Target", "")
        if relation.get("Id") == first_id:
            sheet_path = _part_path(target)
        elif relation.get("Type", "").endswith("/sharedStrings"):
            strings_path = _part_path(target)
    if sheet_path is None:
        raise _damaged(_("a part of the workbook is missing."))
    return sheet_path, strings_path


class _Budget:
    """Counts the XML elements read; past MAX_ELEMENTS the file is refused (bounded time)."""

    def __init__(self) -> None:
        self.left = MAX_ELEMENTS

    def check(self, content: bytes) -> bytes:
        """Refuses a part that cannot fit before parsing it: every element has one or two tags."""
        if content.count(b"<") > 2 * self.left + 10:
            self.left = -1
            self.spend()
        return content

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise XlsxError(
                _(
                    "The sheet is too large to read. Keep only the columns email, unit, role and "
                    "language, at most 10,000 rows, and upload it again."
                )
            )


def _text(element: ET.Element) -> str:
    """The text of a shared or inline string: its <t>, or its rich-text runs, without phonetics."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(run.text or "" for run in child if _local(run.tag) == "t")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, path: str | None, budget: _Budget) -> list[str]:
    if path is None:
        return []
    strings = []
    try:
        for _event, element in ET.iterparse(io.BytesIO(budget.check(_xml(archive, path)))):  # noqa: S314
            budget.spend()
            if _local(element.tag) == "si":
                strings.append(_text(element))
                element.clear()
    except ET.ParseError:
        raise _damaged(_("its list of texts is not well-formed.")) from None
    return strings


def _raw_value(cell: ET.Element) -> tuple[str, str]:
    """(type, text) of a cell: the text of an inline string, else of its <v>."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = next((child for child in cell if _local(child.tag) == "is"), None)
        return kind, "" if inline is None else _text(inline)
    return kind, next((child.text or "" for child in cell if _local(child.tag) == "v"), "")


def _value(kind: str, text: str, strings: list[str], row: int) -> str:
    if kind != "s" or text == "":
        return text.strip()
    if not text.isdigit() or int(text) >= len(strings):
        raise _damaged(
            _("a cell on row %(row)s points to a text that is not in the file.") % {"row": row}
        )
    return strings[int(text)].strip()


def _position(reference: str, row: int) -> tuple[int, int]:
    """ "C12" → (12, 3), checked against Excel's limits."""
    match = _CELL_REFERENCE.fullmatch(reference)
    column = 0
    if match:
        for letter in match.group(1):
            column = column * 26 + ord(letter) - ord("A") + 1
    if not match or column > _EXCEL_MAX_COLUMN or int(match.group(2)) != row:
        raise _damaged(
            _("“%(reference)s” on row %(row)s is not a cell reference.")
            % {"reference": reference[:20], "row": row}
        )
    return int(match.group(2)), column


def _row_number(row: ET.Element, previous: int) -> int:
    raw = row.get("r")
    if raw is None:
        return previous + 1
    if not raw.isdigit() or not previous < int(raw) <= _EXCEL_MAX_ROW:
        raise _damaged(
            _("the row number “%(number)s” after row %(row)s is out of order.")
            % {"number": raw[:20], "row": previous}
        )
    return int(raw)


def _row_values(
    cells: list[tuple[str | None, str, str]], row: int, strings: list[str]
) -> list[str]:
    values: dict[int, str] = {}
    column = 0
    for reference, kind, text in cells:
        column = column + 1 if reference is None else _position(reference, row)[1]
        if column <= MAX_COLUMNS:
            values[column] = _value(kind, text, strings, row)
    return [values.get(position, "") for position in range(1, max(values, default=0) + 1)]


def sheet_rows(data: bytes) -> Iterator[list[str]]:
    """The first sheet's rows from row 1, gaps as empty rows, each at most MAX_COLUMNS wide."""
    budget = _Budget()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_path, strings_path = _first_sheet_and_strings(archive)
        strings = _shared_strings(archive, strings_path, budget)
        content = budget.check(_xml(archive, sheet_path))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise XlsxError(_("The file is not a valid Excel (.xlsx) file.")) from None
    return _stream(content, strings, budget)


def _stream(content: bytes, strings: list[str], budget: _Budget) -> Iterator[list[str]]:
    """A cell is reduced to its text as it ends and a row dropped once yielded: memory stays at
    one row however long the sheet."""
    number = 0
    cells: list[tuple[str | None, str, str]] = []
    try:
        for _event, element in ET.iterparse(io.BytesIO(content)):  # noqa: S314 (no DTD)
            budget.spend()
            name = _local(element.tag)
            if name == "c":
                cells.append((element.get("r"), *_raw_value(element)))
                element.clear()
            elif name == "row":
                previous, number = number, _row_number(element, number)
                yield from ([] for _ in range(previous + 1, number))
                yield _row_values(cells, number, strings)
                cells = []
                element.clear()
    except ET.ParseError:
        if number == 0:
            raise _damaged(_("its sheet is not well-formed.")) from None
        raise _damaged(
            _("its sheet is cut off or not well-formed after row %(row)s.") % {"row": number}
        ) from None
