"""The submitted answers of a measurement as a matrix: responses × the instrument's items.

What scoring (`compute.py`), the disclosure audit and the research dataset read; `answers_csv`
writes it in `mognad score`'s CSV format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.results.sql import Table, raw_rows
from mognad.surveys.models import Answer, Measurement, Response


@dataclass
class AnswerMatrix:
    item_ids: tuple[str, ...]
    response_ids: list[str]
    units: list[int | None]
    roles: list[str]
    values: npt.NDArray[np.int8]


def load_answers(measurement: Measurement) -> AnswerMatrix:
    """Submitted responses × the instrument's items, in instrument order.

    Plain SQL through the cursor: a national re-score reads millions of answers. The database
    numbers the responses (ROW_NUMBER in id order, the order of the response list), so each answer
    arrives as three integers — its row, its item and its value — and numpy fills the matrix,
    without turning millions of response ids into Python objects.
    """
    instrument = measurement.instrument.definition()
    item_ids = instrument.item_ids
    column = {item_id: index for index, item_id in enumerate(item_ids)}
    by_pk = sorted(
        (pk, column[item_id])
        for item_id, pk in measurement.instrument.items.values_list("item_id", "pk")
        if item_id in column
    )
    item_pks = np.array([pk for pk, _ in by_pk], dtype=np.int64)
    item_columns = np.array([index for _, index in by_pk], dtype=np.int64)
    # The two reads are separate statements: a response submitted in between would shift the
    # numbering. Each answer row carries the number of submitted responses its statement saw, and
    # the reads are repeated until both agree (submitting is the only change possible meanwhile).
    for _attempt in range(_READ_ATTEMPTS):
        responses, numbered = _read_responses_and_answers(measurement)
        if not numbered or numbered[0][3] == len(responses):
            break
    else:
        raise RuntimeError(f"The answers of {measurement} kept changing while being read.")
    values = np.full((len(responses), len(item_ids)), UNANSWERED, dtype=np.int8)
    if numbered:
        cells = np.array(numbered, dtype=np.int64)
        found = np.searchsorted(item_pks, cells[:, 1])
        if len(item_pks) == 0 or not np.array_equal(
            item_pks[np.minimum(found, len(item_pks) - 1)], cells[:, 1]
        ):
            raise ValueError(f"{measurement} has answers to statements outside its instrument")
        answers = cells[:, 2].astype(np.int8)
        values[cells[:, 0] - 1, item_columns[found]] = answers  # stored as the engine codes them
    return AnswerMatrix(
        item_ids=item_ids,
        response_ids=[str(r[0]) for r in responses],
        units=[r[1] for r in responses],
        roles=[r[2] for r in responses],
        values=values,
    )


_READ_ATTEMPTS = 5


def _read_responses_and_answers(
    measurement: Measurement,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(id, unit, role) of the submitted responses in id order; (row number, item pk, value,
    number of submitted responses) of their answers."""
    submitted = Response.objects.filter(
        measurement=measurement, state=Response.State.SUBMITTED
    ).order_by("id")
    responses = raw_rows(submitted.values_list("id", "unit_id", "role"))
    response, answer = Table(Response), Table(Answer)
    numbered = response.execute(
        f"SELECT ranked.number, {answer.column('item')}, {answer.column('value')}, "  # noqa: S608
        f"ranked.total FROM {answer.name} JOIN (SELECT {response.column('id')} AS id, "
        f"ROW_NUMBER() OVER (ORDER BY {response.column('id')}) AS number, "
        f"COUNT(*) OVER () AS total FROM {response.name} "
        f"WHERE {response.column('measurement')} = %s AND {response.column('state')} = %s"
        f") ranked ON {answer.column('response')} = ranked.id",
        [measurement.pk, Response.State.SUBMITTED.value],
    )
    return responses, numbered


def answers_csv(measurement: Measurement) -> str:
    """Submitted answers in `mognad score`'s CSV format: item ids as columns, `-` for "Vet ej"."""
    matrix = load_answers(measurement)
    lines = [",".join(("respondent", *matrix.item_ids))]
    for number, row in enumerate(matrix.values, start=1):
        cells = ("-" if v == DONT_KNOW else "" if v == UNANSWERED else str(int(v)) for v in row)
        lines.append(",".join((str(number), *cells)))
    return "\n".join(lines) + "\n"
