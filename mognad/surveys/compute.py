"""Closing a measurement: load the submitted answers as a matrix, score each group, store results.

Groups: the whole organization, every unit's subtree and every respondent role. Only submitted
responses count; "Vet ej" and unanswered items are passed to the engine as such. Figures for small
groups are stored too: the anonymity threshold is applied where results are shown (mognad/results).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from mognad.orgs.models import Unit
from mognad.scoring.engine import DONT_KNOW, UNANSWERED, OrganizationScore, score
from mognad.scoring.structure import Structure
from mognad.surveys.models import (
    Answer,
    Measurement,
    MeasurementResult,
    MeasurementScore,
    Respondent,
    Response,
)


@dataclass
class AnswerMatrix:
    item_ids: tuple[str, ...]
    response_ids: list[str]
    units: list[int | None]
    roles: list[str]
    values: npt.NDArray[np.int8]


def load_answers(measurement: Measurement) -> AnswerMatrix:
    """Submitted responses × the instrument's items, in instrument order."""
    instrument = measurement.instrument.definition()
    item_ids = instrument.item_ids
    column = {item_id: index for index, item_id in enumerate(item_ids)}
    pk_column = {
        pk: column[item_id]
        for item_id, pk in measurement.instrument.items.values_list("item_id", "pk")
        if item_id in column
    }
    responses = list(
        Response.objects.filter(measurement=measurement, state=Response.State.SUBMITTED)
        .order_by("id")
        .values_list("id", "unit_id", "role")
    )
    row = {response_id: index for index, (response_id, _, _) in enumerate(responses)}
    values = np.full((len(responses), len(item_ids)), UNANSWERED, dtype=np.int8)
    for response_id, item_pk, value in (
        Answer.objects.filter(
            response__measurement=measurement, response__state=Response.State.SUBMITTED
        )
        .values_list("response_id", "item_id", "value")
        .iterator(chunk_size=5000)
    ):
        values[row[response_id], pk_column[item_pk]] = (
            DONT_KNOW if value == Answer.DONT_KNOW else value
        )
    return AnswerMatrix(
        item_ids=item_ids,
        response_ids=[str(r[0]) for r in responses],
        units=[r[1] for r in responses],
        roles=[r[2] for r in responses],
        values=values,
    )


def _groups(
    measurement: Measurement, matrix: AnswerMatrix
) -> Iterator[tuple[str, str, Unit | None, npt.NDArray[np.bool_], int | None]]:
    """(kind, key, unit, row mask, invited) for every group with at least one response."""
    respondents = Respondent.objects.filter(measurement=measurement).exclude(
        status=Respondent.Status.PENDING
    )
    by_email = measurement.uses_email() and not measurement.uses_open_link()
    everyone = np.ones(len(matrix.response_ids), dtype=bool)
    yield "organization", "", None, everyone, respondents.count() if by_email else None
    units = list(Unit.objects.filter(organization=measurement.organization))
    paths = {unit.pk: unit.path for unit in units}
    response_paths = [paths.get(unit_id, "") if unit_id else "" for unit_id in matrix.units]
    invited_paths = list(respondents.values_list("unit__path", flat=True))
    for unit in units:
        mask = np.array([path.startswith(unit.path) for path in response_paths], dtype=bool)
        if mask.any():
            invited = sum(1 for path in invited_paths if path and path.startswith(unit.path))
            yield "unit", str(unit.pk), unit, mask, invited if by_email else None
    roles = np.array(matrix.roles, dtype=object)
    invited_roles = list(respondents.values_list("role", flat=True))
    for role in sorted(set(matrix.roles) - {""}):
        mask = roles == role
        yield "role", role, None, mask, invited_roles.count(role) if by_email else None


def score_group(
    values: npt.NDArray[np.int8], structure: Structure, invited: int | None
) -> OrganizationScore:
    responded = int(np.count_nonzero((values != UNANSWERED).any(axis=1)))
    if invited is not None and invited < max(responded, 1):
        invited = None
    return score(
        values,
        structure,
        resamples=settings.BOOTSTRAP_RESAMPLES,
        seed=0,
        min_respondents=1,
        invited=invited,
    )


_SCORE_COLUMNS = (
    "result_id",
    "node",
    "node_id",
    "score",
    "ci_low",
    "ci_high",
    "se",
    "n",
    "dont_know",
    "unanswered",
)


def _score_rows(result_id: int, scored: OrganizationScore) -> list[tuple[Any, ...]]:
    """One row of `_SCORE_COLUMNS` per node: plain tuples, because a national re-score writes
    millions of them and building model instances dominated the time."""

    def estimate(
        node: str, node_id: str, est: Any, dont_know: int = 0, unanswered: int = 0
    ) -> tuple[Any, ...]:
        low, high = est.ci if est.ci is not None else (None, None)
        return (
            result_id,
            node,
            node_id,
            est.score,
            low,
            high,
            est.se,
            est.n,
            dont_know,
            unanswered,
        )

    rows = [estimate(MeasurementScore.Node.OVERALL, "", scored.overall)]
    for node, estimates in (
        (MeasurementScore.Node.DIMENSION, scored.dimensions),
        (MeasurementScore.Node.CATEGORY, scored.categories),
        (MeasurementScore.Node.CAPABILITY, scored.capabilities),
    ):
        rows += [estimate(node, node_id, est) for node_id, est in estimates.items()]
    rows += [
        estimate(MeasurementScore.Node.ITEM, item_id, item, item.dont_know, item.unanswered)
        for item_id, item in scored.items.items()
    ]
    return rows


def _insert_scores(rows: list[tuple[Any, ...]]) -> None:
    db = router.db_for_write(MeasurementScore)
    ops = connections[db].ops
    meta = MeasurementScore._meta
    fields = [
        cast("Field[Any, Any]", meta.get_field("result" if name == "result_id" else name))
        for name in _SCORE_COLUMNS
    ]
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = ops.quote_name(meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connections[db].cursor() as cursor:
        cursor.executemany(sql, [tuple(_node_value(value) for value in row) for row in rows])


def _node_value(value: Any) -> Any:
    # TextChoices members are str subclasses; database drivers want plain values.
    return str(value) if isinstance(value, str) else value


def compute_and_store(measurement: Measurement) -> int:
    """Replace the measurement's stored results; returns how many groups were stored."""
    structure = Structure.from_instrument(measurement.instrument.definition())
    matrix = load_answers(measurement)
    now = timezone.now()
    stored = []
    for kind, key, unit, mask, invited in _groups(measurement, matrix):
        scored = score_group(matrix.values[mask], structure, invited)
        stored.append((kind, key, unit, invited, scored))
    with transaction.atomic():
        MeasurementResult.objects.filter(measurement=measurement).delete()
        results = MeasurementResult.objects.bulk_create(
            [
                MeasurementResult(
                    measurement=measurement,
                    group_kind=kind,
                    group_key=key,
                    unit=unit,
                    respondents=scored.respondents,
                    invited=invited,
                    payload=scored.to_dict(),
                    computed_at=now,
                )
                for kind, key, unit, invited, scored in stored
            ]
        )
        rows: list[tuple[Any, ...]] = []
        for result, (_, _, _, _, scored) in zip(results, stored, strict=True):
            if result.pk is None:  # a backend that cannot return ids from a bulk insert
                result = MeasurementResult.objects.get(
                    measurement=measurement,
                    group_kind=result.group_kind,
                    group_key=result.group_key,
                )
            rows += _score_rows(result.pk, scored)
        _insert_scores(rows)
    return len(stored)


def answers_csv(measurement: Measurement) -> str:
    """Submitted answers in `mognad score`'s CSV format: item ids as columns, `-` for "Vet ej"."""
    matrix = load_answers(measurement)
    lines = [",".join(("respondent", *matrix.item_ids))]
    for number, row in enumerate(matrix.values, start=1):
        cells = ("-" if v == DONT_KNOW else "" if v == UNANSWERED else str(int(v)) for v in row)
        lines.append(",".join((str(number), *cells)))
    return "\n".join(lines) + "\n"
