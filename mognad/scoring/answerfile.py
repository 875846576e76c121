"""Reading a CSV file of answers for offline scoring (`mognad score`). No Django, no database.

The format (docs/scoring.md): a header row; a `respondent` column; optional metadata columns
(`organization`, `unit`, `role`, `language`, `year`) that are not scored; every other column is an
item id of the instrument. Cells hold 1–6, `-` for "Vet ej", or nothing for unanswered. Comma or
semicolon separated (a spreadsheet saved as CSV in Swedish settings uses semicolons), UTF-8 with or
without a byte-order mark. Every problem is reported with the file, the line (the header is line 1)
and the column.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST, SCALE, UNANSWERED

RESPONDENT = "respondent"
METADATA = ("organization", "unit", "role", "language", "year")
DONT_KNOW_CELL = "-"
_POINTS = frozenset(str(point) for point in SCALE)
# A file this large is not an organization's answers (100,000 respondents × 40 items is ~10 MB).
MAX_BYTES = 50 * 1024 * 1024


class AnswerFileError(Exception):
    """One clear problem with an answer file: where it is and what is wrong."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        self.path, self.line, self.column, self.message = path, line, column, message
        where = [path]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class AnswerFile:
    respondents: tuple[str, ...]
    # respondents × the instrument's items (in instrument order); items without a column are
    # unanswered.
    answers: npt.NDArray[np.int8]
    # The item ids that had a column in the file.
    columns: tuple[str, ...]


def _describe(index: int, name: str) -> str:
    return f"{index + 1} ({name!r})" if name else str(index + 1)


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        before = raw[start : exc.start].decode("utf-8", errors="replace")
        cell = len(next(csv.reader([before], delimiter=_delimiter(before)), [""]))
        raise AnswerFileError(
            path,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as "
            "'CSV UTF-8' and try again",
            line=line,
            column=str(max(cell, 1)),
        ) from None


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_answers(path: str | Path, item_ids: tuple[str, ...]) -> AnswerFile:
    """Read `path` into an answer matrix for an instrument with `item_ids` (instrument order)."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise AnswerFileError(name, "no such file") from None
    except IsADirectoryError:
        raise AnswerFileError(name, "is a folder, not a CSV file") from None
    except OSError as exc:
        raise AnswerFileError(name, f"cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise AnswerFileError(name, f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    text = _decode(raw, name)
    if not text.strip():
        raise AnswerFileError(
            name,
            "the file is empty; expected a header row with a 'respondent' column and item ids",
            line=1,
        )
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        # Blank lines, and rows of empty cells a spreadsheet leaves at the end, are not respondents.
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise AnswerFileError(
            name, f"not a readable CSV file ({exc})", line=reader.line_num
        ) from None
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    columns = _columns(name, header_line, header, item_ids)
    if len(rows) == 1:
        raise AnswerFileError(
            name, "no respondents: the file has a header row but no answers", line=header_line + 1
        )

    index = {item: n for n, item in enumerate(item_ids)}
    answers = np.full((len(rows) - 1, len(item_ids)), UNANSWERED, dtype=np.int8)
    respondents: list[str] = []
    seen: dict[str, int] = {}
    for r, (line, row) in enumerate(rows[1:]):
        if len(row) != len(header):
            raise AnswerFileError(
                name,
                f"{len(row)} cells, but the header has {len(header)} columns",
                line=line,
            )
        for c, cell in enumerate(row):
            column = header[c]
            value = cell.strip()
            if column == RESPONDENT:
                if not value:
                    raise AnswerFileError(
                        name, "the respondent is empty", line=line, column=_describe(c, column)
                    )
                if value in seen:
                    raise AnswerFileError(
                        name,
                        f"respondent {value!r} appears twice (also on line {seen[value]})",
                        line=line,
                        column=_describe(c, column),
                    )
                seen[value] = line
                respondents.append(value)
            elif column in index:
                answers[r, index[column]] = _answer(name, line, _describe(c, column), value)
    return AnswerFile(tuple(respondents), answers, columns)


def _answer(path: str, line: int, column: str, value: str) -> int:
    if value == "":
        return UNANSWERED
    if value == DONT_KNOW_CELL:
        return DONT_KNOW
    if value in _POINTS:
        return int(value)
    raise AnswerFileError(
        path,
        f"{value!r} is not an answer: use {LOWEST}–{HIGHEST}, '-' for 'Vet ej', or leave the cell "
        "empty",
        line=line,
        column=column,
    )


def _columns(path: str, line: int, header: list[str], item_ids: tuple[str, ...]) -> tuple[str, ...]:
    known = set(item_ids)
    first: dict[str, int] = {}
    for c, column in enumerate(header):
        if column in first:
            raise AnswerFileError(
                path,
                f"the column {column!r} appears twice (also column {first[column] + 1})",
                line=line,
                column=_describe(c, column),
            )
        first[column] = c
    if RESPONDENT not in first:
        if all(cell in {"", DONT_KNOW_CELL, *_POINTS} for cell in header):
            raise AnswerFileError(
                path,
                "the header row is missing: the first row must name the columns "
                f"('{RESPONDENT}' and item ids), not hold answers",
                line=line,
            )
        raise AnswerFileError(
            path,
            f"there is no '{RESPONDENT}' column (the header has: {', '.join(header)})",
            line=line,
        )
    for c, column in enumerate(header):
        if column == RESPONDENT or column in METADATA or column in known:
            continue
        if not column:
            message = "a column has no name; name it with an item id or remove it"
        else:
            close = difflib.get_close_matches(column, [*item_ids, *METADATA], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            message = f"{column!r} is not an item id of the instrument{hint}"
        raise AnswerFileError(path, message, line=line, column=_describe(c, column))
    items = tuple(column for column in header if column in known)
    if not items:
        raise AnswerFileError(path, "the header has no item columns", line=line)
    return items
