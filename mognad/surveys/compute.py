"""Closing a measurement: load the submitted answers as a matrix, score each group, store results.

Groups: the whole organization, every unit's subtree and every respondent role. Only submitted
responses count; "Vet ej" and unanswered items are passed to the engine as such. Figures for small
groups are stored too: the anonymity threshold is applied where results are shown (mognad/results).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import transaction
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


def _score_rows(result: MeasurementResult, scored: OrganizationScore) -> list[MeasurementScore]:
    def estimate(node: str, node_id: str, est: Any) -> MeasurementScore:
        low, high = est.ci if est.ci is not None else (None, None)
        return MeasurementScore(
            result=result,
            node=node,
            node_id=node_id,
            score=est.score,
            ci_low=low,
            ci_high=high,
            se=est.se,
            n=est.n,
        )

    rows = [estimate(MeasurementScore.Node.OVERALL, "", scored.overall)]
    for node, estimates in (
        (MeasurementScore.Node.DIMENSION, scored.dimensions),
        (MeasurementScore.Node.CATEGORY, scored.categories),
        (MeasurementScore.Node.CAPABILITY, scored.capabilities),
    ):
        rows += [estimate(node, node_id, est) for node_id, est in estimates.items()]
    for item_id, item in scored.items.items():
        row = estimate(MeasurementScore.Node.ITEM, item_id, item)
        row.dont_know, row.unanswered = item.dont_know, item.unanswered
        rows.append(row)
    return rows


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
        scores: list[MeasurementScore] = []
        for kind, key, unit, invited, scored in stored:
            result = MeasurementResult.objects.create(
                measurement=measurement,
                group_kind=kind,
                group_key=key,
                unit=unit,
                respondents=scored.respondents,
                invited=invited,
                payload=scored.to_dict(),
                computed_at=now,
            )
            scores += _score_rows(result, scored)
        MeasurementScore.objects.bulk_create(scores, batch_size=1000)
    return len(stored)


def answers_csv(measurement: Measurement) -> str:
    """Submitted answers in `mognad score`'s CSV format: item ids as columns, `-` for "Vet ej"."""
    matrix = load_answers(measurement)
    lines = [",".join(("respondent", *matrix.item_ids))]
    for number, row in enumerate(matrix.values, start=1):
        cells = ("-" if v == DONT_KNOW else "" if v == UNANSWERED else str(int(v)) for v in row)
        lines.append(",".join((str(number), *cells)))
    return "\n".join(lines) + "\n"
