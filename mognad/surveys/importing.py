"""Reading a respondent list from CSV or Excel and checking every row, without writing anything.

`read_rows(name, data)` turns an upload into raw rows (or raises `ImportFileError`);
`check_rows(...)` turns raw rows into an `ImportPreview` that lists every accepted row and every bad
row with its line number and reason. `actions.import_respondents` writes an accepted preview.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mognad.orgs.models import Unit
from mognad.surveys import xlsx
from mognad.surveys.models import Language, Role

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
# Lines read, blank ones included, before a file is refused as too long.
MAX_LINES = 2 * MAX_ROWS
# An .xlsx is a zip: what it may unpack to (10,000 ordinary rows need a few MB).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# The longest cell a CSV file may have: the csv module's default field limit, held here because
# that limit is process-wide and other libraries raise it (frictionless sets it to sys.maxsize).
MAX_CELL_CHARS = 131_072

_HEADERS = {
    "email": "email",
    "e-mail": "email",
    "e-post": "email",
    "epost": "email",
    "e-postadress": "email",
    "unit": "unit",
    "enhet": "unit",
    "role": "role",
    "roll": "role",
    "language": "language",
    "språk": "language",
}

# Swedish and English names people write in a spreadsheet, besides the stored values.
_ROLE_NAMES = {
    "politician": Role.POLITICIAN,
    "politiker": Role.POLITICIAN,
    "förtroendevald": Role.POLITICIAN,
    "top management": Role.TOP_MANAGEMENT,
    "top_management": Role.TOP_MANAGEMENT,
    "högsta ledning": Role.TOP_MANAGEMENT,
    "ledning": Role.TOP_MANAGEMENT,
    "manager": Role.MANAGER,
    "chef": Role.MANAGER,
    "strategist": Role.STRATEGIST,
    "strategist or business developer": Role.STRATEGIST,
    "business developer": Role.STRATEGIST,
    "strateg": Role.STRATEGIST,
    "verksamhetsutvecklare": Role.STRATEGIST,
    "strateg eller verksamhetsutvecklare": Role.STRATEGIST,
    "it": Role.IT,
    "it and digitalization": Role.IT,
    "it och digitalisering": Role.IT,
    "digitalisering": Role.IT,
    "staff": Role.STAFF,
    "medarbetare": Role.STAFF,
    "other": Role.OTHER,
    "annan": Role.OTHER,
    "övrig": Role.OTHER,
    "övrigt": Role.OTHER,
}

_LANGUAGE_NAMES = {
    "sv": Language.SV,
    "svenska": Language.SV,
    "swedish": Language.SV,
    "en": Language.EN,
    "engelska": Language.EN,
    "english": Language.EN,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class RawRow:
    line: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    unit_id: int | None
    role: str
    language: str
    # True when the email is already a respondent: the row updates unit, role and language.
    merged: bool = False


@dataclass(frozen=True)
class RowError:
    line: int
    value: str
    reason: str


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if not row.merged)

    @property
    def merged_count(self) -> int:
        return sum(1 for row in self.rows if row.merged)


# What a spreadsheet may read as the start of a formula, also in full-width forms.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: str) -> str:
    """A cell value as text that no spreadsheet will run as a formula: one that starts with a
    formula character, also after leading spaces or line breaks, gets a leading apostrophe.
    Every export writes every text cell through this one function."""
    if value[:1] in _FORMULA_START or value.lstrip(" \u00a0\t\r\n")[:1] in _FORMULA_START:
        return "'" + value
    return value


def read_rows(name: str, data: bytes) -> list[RawRow]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise ImportFileError(_("The file is not a valid Excel (.xlsx) file."))
        table = _xlsx_table(data)
    elif lower.endswith((".csv", ".txt")):
        table = _csv_table(data)
    else:
        raise ImportFileError(_("Upload a CSV file (.csv) or an Excel file (.xlsx)."))
    try:
        return _rows_from_table(table)
    except csv.Error:
        # A stray quote or carriage return, or a cell longer than the csv module allows.
        raise ImportFileError(
            _("The file could not be read as CSV. Save it as CSV UTF-8 or as Excel and try again.")
        ) from None


def _csv_table(data: bytes) -> Iterable[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Swedish saves "CSV" as Windows-1252.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file. Upload a CSV or an Excel file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return _bounded_cells(csv.reader(io.StringIO(text), delimiter=delimiter))


def _bounded_cells(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    for row in rows:
        if any(len(cell) > MAX_CELL_CHARS for cell in row):
            raise ImportFileError(
                _(
                    "A cell in the CSV file is longer than %(limit)s characters. Save it as CSV "
                    "UTF-8 or as Excel and try again."
                )
                % {"limit": f"{MAX_CELL_CHARS:,}".replace(",", "\u00a0")}
            )
        yield row


def _xlsx_table(data: bytes) -> Iterable[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) file.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        # A zip bomb, or a sheet of millions of empty rows: parsing it alone takes minutes.
        raise ImportFileError(
            _("The Excel file unpacks to more than 20 MB. Split it into smaller files.")
        )
    return _xlsx_errors_as_file_errors(data)


def _xlsx_errors_as_file_errors(data: bytes) -> Iterator[list[str]]:
    try:
        yield from xlsx.sheet_rows(data)
    except xlsx.XlsxError as error:
        raise ImportFileError(str(error)) from None


def _rows_from_table(table: Iterable[list[str]]) -> list[RawRow]:
    rows: list[RawRow] = []
    columns: list[str | None] | None = None
    for line, cells in enumerate(table, start=1):
        if line > MAX_LINES:
            # Blank lines count too: a small compressed sheet can hold millions of empty rows.
            raise ImportFileError(
                _("The file has more than 10,000 rows. Split it into smaller files.")
            )
        if not any((cell or "").strip() for cell in cells):
            continue
        if columns is None:
            columns = [_HEADERS.get((cell or "").strip().lower()) for cell in cells]
            if "email" not in columns:
                raise ImportFileError(
                    _(
                        "The first row must name the columns: email, unit, role, language "
                        "(or e-post, enhet, roll, språk)."
                    )
                )
            continue
        values = {
            column: (cell or "").strip()
            for column, cell in zip(columns, cells, strict=False)
            if column
        }
        rows.append(RawRow(line=line, values=values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than 10,000 rows. Split it into smaller files.")
            )
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    return rows


def unit_lookup(units: Iterable[Unit]) -> dict[str, Unit | None]:
    """Lower-case name and full path ("Parent / Child") → unit; None when a name is ambiguous."""
    units = list(units)
    by_id = {unit.pk: unit for unit in units}
    lookup: dict[str, Unit | None] = {}
    for unit in units:
        names = [
            by_id[int(pk)].name for pk in unit.path.strip("/").split("/") if pk and int(pk) in by_id
        ]
        if not names or names[-1] != unit.name:
            names.append(unit.name)
        lookup[" / ".join(names).lower()] = unit
        short = unit.name.lower()
        lookup[short] = None if short in lookup and lookup[short] is not unit else unit
    return lookup


class _Refused(Exception):
    """A row that cannot be imported; the message says why."""


def check_rows(
    raw_rows: list[RawRow],
    *,
    units: dict[str, Unit | None],
    allowed_unit_ids: set[int] | None,
    existing: Mapping[str, int | None],
    default_language: str,
    address_refusal: Callable[[str], str | None] | None = None,
) -> ImportPreview:
    """Check each row; `existing` maps current respondents' emails to their unit id.

    `allowed_unit_ids` is None for a key user, or the unit admin's subtree. `address_refusal`
    says why an address may not be a respondent (outside the organization's domains), or None.
    A row is checked field by field in file order and refused with the first problem found.
    """
    preview = ImportPreview()
    seen: dict[str, int] = {}
    for raw in raw_rows:
        try:
            email = _row_email(raw, seen, address_refusal)
            unit = _row_unit(raw, units)
            _check_managed(email, unit, allowed_unit_ids, existing)
            role = _row_role(raw)
            language = _row_language(raw, default_language)
        except _Refused as refused:
            shown = safe_cell(raw.values.get("email", ""))
            preview.errors.append(RowError(raw.line, shown, str(refused)))
            continue
        preview.rows.append(
            ImportRow(
                line=raw.line,
                email=email,
                unit_id=unit.pk if unit else None,
                role=role,
                language=language,
                merged=email in existing,
            )
        )
    return preview


def _row_email(
    raw: RawRow, seen: dict[str, int], address_refusal: Callable[[str], str | None] | None
) -> str:
    """The row's address, lower-case; `seen` remembers the line of each address accepted so far."""
    email = raw.values.get("email", "").lower()
    if not email:
        raise _Refused(_("The email address is missing."))
    try:
        validate_email(email)
    except ValidationError:
        raise _Refused(_("This is not a valid email address.")) from None
    if email in seen:
        raise _Refused(
            _("The address appears twice in the file (first on line %(line)s).")
            % {"line": seen[email]}
        )
    seen[email] = raw.line
    if address_refusal is not None and (refused := address_refusal(email)):
        raise _Refused(refused)
    return email


def _row_unit(raw: RawRow, units: dict[str, Unit | None]) -> Unit | None:
    unit_name = raw.values.get("unit", "")
    if not unit_name:
        return None
    key = " / ".join(part.strip() for part in unit_name.split("/")).lower()
    if key not in units:
        raise _Refused(_("There is no unit called “%(unit)s”.") % {"unit": safe_cell(unit_name)})
    unit = units[key]
    if unit is None:
        raise _Refused(
            _("Several units are called “%(unit)s”; write the full path, e.g. “Parent / Unit”.")
            % {"unit": safe_cell(unit_name)}
        )
    return unit


def _check_managed(
    email: str,
    unit: Unit | None,
    allowed_unit_ids: set[int] | None,
    existing: Mapping[str, int | None],
) -> None:
    """A unit admin imports only into, and only people already in, the units they manage."""
    if allowed_unit_ids is None:
        return
    if unit is None or unit.pk not in allowed_unit_ids:
        raise _Refused(_("The unit is outside the part of the organization you manage."))
    if email in existing and existing[email] not in allowed_unit_ids:
        raise _Refused(_("This person is already a respondent in a unit you do not manage."))


def _row_role(raw: RawRow) -> str:
    role_name = raw.values.get("role", "").lower()
    if not role_name:
        raise _Refused(_("The role is missing."))
    role = _ROLE_NAMES.get(role_name)
    if role is None:
        raise _Refused(
            _("“%(role)s” is not a known role.") % {"role": safe_cell(raw.values.get("role", ""))}
        )
    return str(role)


def _row_language(raw: RawRow, default_language: str) -> str:
    language_name = raw.values.get("language", "").lower()
    language = _LANGUAGE_NAMES.get(language_name) if language_name else default_language
    if language is None:
        raise _Refused(
            _("“%(language)s” is not a language we send in; use sv or en.")
            % {"language": safe_cell(raw.values.get("language", ""))}
        )
    return str(language)
