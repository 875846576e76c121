"""Scoring a measurement: load the submitted answers as a matrix, score each group, store results.

What the worker runs for a measurement due for scoring after it closed (`due.py`), and what
`mognad results rescore` and the demo generator run for many at once (`compute_many`).

Groups: the whole organization, every unit's subtree and every respondent role. Only submitted
responses count; "Vet ej" and unanswered items are passed to the engine as such. Figures for small
groups are stored too: the anonymity threshold is applied where results are shown (mognad/results).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Field, Model, QuerySet
from django.utils import timezone

from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.orgs.models import Unit
from mognad.platform.bulk import insert_rows
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.scoring.engine import OrganizationScore, score
from mognad.scoring.structure import Structure
from mognad.surveys.models import Answer, Measurement, Respondent, Response


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
    responses = _raw_rows(submitted.values_list("id", "unit_id", "role"))
    response, answer = _Table(Response), _Table(Answer)
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


def _execute(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one statement; its rows as the database driver returns them (none for a DELETE)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description else []
    return rows


def _raw_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as the database driver returns them (no converters)."""
    sql, params = query.query.sql_with_params()
    return _execute(query.db, sql, list(params))


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
    "result",
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

    # Plain str values: database drivers want them, not TextChoices members.
    node = MeasurementScore.Node
    rows = [estimate(node.OVERALL.value, "", scored.overall)]
    for kind, estimates in (
        (node.DIMENSION.value, scored.dimensions),
        (node.CATEGORY.value, scored.categories),
        (node.CAPABILITY.value, scored.capabilities),
    ):
        rows += [estimate(kind, node_id, est) for node_id, est in estimates.items()]
    rows += [
        estimate(node.ITEM.value, item_id, item, item.dont_know, item.unanswered)
        for item_id, item in scored.items.items()
    ]
    return rows


class _Table:
    """Plain SQL on one model's table: a national re-score replaces ~12,000 results and ~1.2
    million score rows, and Django's per-object and per-field work cost more than the database's."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.meta = model._meta
        self.connection = connections[router.db_for_write(model)]
        self.name = self.connection.ops.quote_name(self.meta.db_table)

    def column(self, field: str) -> str:
        column = cast("Field[Any, Any]", self.meta.get_field(field)).column
        return self.connection.ops.quote_name(column)

    def insert(self, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        insert_rows(self.connection.alias, self.model, fields, rows)

    def execute(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return _execute(self.connection.alias, sql, params)


_RESULT_COLUMNS = (
    "measurement",
    "group_kind",
    "group_key",
    "unit",
    "respondents",
    "invited",
    "payload",
    "computed_at",
)


# One scored group: kind, key, unit, invited, the engine's scores.
ScoredGroup = tuple[str, str, Unit | None, int | None, OrganizationScore]


def replace_results(measurement: Measurement, stored: list[ScoredGroup]) -> None:
    """In the caller's transaction: delete the measurement's results and scores, insert the new."""
    results, scores = _Table(MeasurementResult), _Table(MeasurementScore)
    of_measurement = f"{results.column('measurement')} = %s"
    # Nothing but the scores refers to a result (checked by a test), so plain deletes replace
    # Django's cascade, which would first fetch every score row. The old results' ids are read
    # first and given as values: with a subquery instead, PostgreSQL's planner (its statistics
    # behind while a year is re-scored) chose to scan the whole score table for every measurement.
    old = [
        pk
        for (pk,) in results.execute(
            f"SELECT {results.column('id')} FROM {results.name} WHERE {of_measurement}",  # noqa: S608
            [measurement.pk],
        )
    ]
    if old:
        listed = ", ".join(["%s"] * len(old))
        scores.execute(
            f"DELETE FROM {scores.name} WHERE {scores.column('result')} IN ({listed})",  # noqa: S608
            old,
        )
        results.execute(
            f"DELETE FROM {results.name} WHERE {results.column('id')} IN ({listed})",  # noqa: S608
            old,
        )
    now = results.connection.ops.adapt_datetimefield_value(timezone.now())
    payload = cast("Field[Any, Any]", MeasurementResult._meta.get_field("payload"))
    results.insert(
        _RESULT_COLUMNS,
        [
            (
                measurement.pk,
                kind,
                key,
                unit.pk if unit else None,
                scored.respondents,
                invited,
                payload.get_db_prep_value(scored.to_dict(), results.connection),
                now,
            )
            for kind, key, unit, invited, scored in stored
        ],
    )
    ids = {
        (kind, key): pk
        for pk, kind, key in results.execute(
            f"SELECT {results.column('id')}, {results.column('group_kind')}, "  # noqa: S608
            f"{results.column('group_key')} FROM {results.name} WHERE {of_measurement}",
            [measurement.pk],
        )
    }
    rows: list[tuple[Any, ...]] = []
    for kind, key, _, _, scored in stored:
        rows += _score_rows(ids[kind, key], scored)
    scores.insert(_SCORE_COLUMNS, rows)


def score_groups(measurement: Measurement) -> list[ScoredGroup]:
    """Read the submitted answers and score every group; no transaction, nothing locked."""
    structure = Structure.from_instrument(measurement.instrument.definition())
    matrix = load_answers(measurement)
    return [
        (kind, key, unit, invited, score_group(matrix.values[mask], structure, invited))
        for kind, key, unit, mask, invited in _groups(measurement, matrix)
    ]


def results_database() -> str:
    """The connection stored results are written on (a replacement's transaction runs there)."""
    return router.db_for_write(MeasurementResult)


def compute_and_store(measurement: Measurement) -> int:
    """Replace the measurement's stored results; returns how many groups were stored."""
    stored = score_groups(measurement)
    # Only the replacement is one transaction: reading and scoring take no lock (with SQLite's
    # IMMEDIATE transactions a lock held while scoring would serialize parallel re-scoring). The
    # measurement's row is locked first, so two replacements of the same measurement (a re-score
    # beside the worker's job) run one after the other instead of colliding on the unique groups.
    database = results_database()
    with transaction.atomic(using=database):
        Measurement.objects.using(database).select_for_update().filter(pk=measurement.pk).exists()
        replace_results(measurement, stored)
    return len(stored)


# --- Many measurements at once -------------------------------------------------------------------

_CHUNK = 25  # measurements per task handed to a scoring process


def _compute_one(measurement_id: int) -> int:
    measurement = Measurement.objects.select_related("instrument", "organization").get(
        pk=measurement_id
    )
    return compute_and_store(measurement)


def _compute_chunk(ids: list[int]) -> int:
    """Runs in a scoring process (each measurement stores its results in its own transaction)."""
    stored = sum(_compute_one(measurement_id) for measurement_id in ids)
    connections.close_all()
    return stored


def _parallel_possible(alias: str) -> bool:
    connection = connections[alias]
    if connection.in_atomic_block:
        return False  # other processes would not see the uncommitted rows
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    return not (connection.vendor == "sqlite" and in_memory)


def compute_many(
    ids: Sequence[int],
    *,
    jobs: int = 1,
    database: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> int:
    """`compute_and_store` for many measurements; returns how many groups were stored.

    Each measurement's results are replaced in a transaction of their own. With `jobs` > 1 the
    measurements are scored in that many processes (forked) — unless the caller is inside a
    transaction or on an in-memory SQLite database, where other processes could not see the data:
    then in this process. `database` is the connection the work runs on (the caller routes the
    models to it, as `mognad demo generate --database` does).
    """
    chunks = [list(ids[i : i + _CHUNK]) for i in range(0, len(ids), _CHUNK)]
    stored = done = 0

    def tell(count: int) -> None:
        nonlocal done
        done += count
        if progress and done % 500 < _CHUNK:
            progress(f"  scored {done} of {len(ids)} measurements")

    if jobs > 1 and _parallel_possible(database):
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for count, part in zip(pool.imap(_compute_chunk, chunks), chunks, strict=True):
                stored += count
                tell(len(part))
        return stored
    for part in chunks:
        stored += sum(_compute_one(measurement_id) for measurement_id in part)
        tell(len(part))
    return stored


def answers_csv(measurement: Measurement) -> str:
    """Submitted answers in `mognad score`'s CSV format: item ids as columns, `-` for "Vet ej"."""
    matrix = load_answers(measurement)
    lines = [",".join(("respondent", *matrix.item_ids))]
    for number, row in enumerate(matrix.values, start=1):
        cells = ("-" if v == DONT_KNOW else "" if v == UNANSWERED else str(int(v)) for v in row)
        lines.append(",".join((str(number), *cells)))
    return "\n".join(lines) + "\n"
