"""Scoring a measurement: load the submitted answers as a matrix, score each group, store results.

What the worker runs for a measurement due for scoring after it closed (`due.py`), and what
`mognad results rescore` and the demo generator run for many at once (`compute_many`).

Groups: the whole organization, every unit's subtree and every respondent role. Only submitted
responses count; "Vet ej" and unanswered items are passed to the engine as such. Only what the
disclosure-control door releases is scored and stored (disclosure/measurement.py): released
groups, and in each the released statements, its parents computed from those alone. So every
channel that reads stored results can show every figure it finds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.orgs.models import Unit
from mognad.results.answers import AnswerMatrix, load_answers
from mognad.results.disclosure.door import threshold
from mognad.results.disclosure.measurement import Candidate, GroupKey, Release, decide
from mognad.results.models import MeasurementRelease, MeasurementResult, MeasurementScore
from mognad.results.sampling import design_options
from mognad.results.sql import Table
from mognad.scoring.engine import OrganizationScore, score
from mognad.scoring.structure import Structure
from mognad.surveys.models import Measurement, Respondent


@dataclass(frozen=True)
class GroupSpec:
    """A candidate group of a measurement: its rows in the answer matrix and its invited count."""

    kind: str
    key: str
    unit: Unit | None
    mask: npt.NDArray[np.bool_]
    invited: int | None
    subtree: tuple[int, ...] = ()  # a unit group's unit ids (the unit and every unit below it)

    @property
    def group(self) -> GroupKey:
        return (self.kind, self.key)


def candidate_groups(
    measurement: Measurement, matrix: AnswerMatrix, subtrees: dict[str, list[int]] | None = None
) -> list[GroupSpec]:
    """The organization, every unit's subtree and every role with at least one response.

    `subtrees` (from an earlier release) fixes which units each unit group is made of, so a unit
    moved after the first release does not change who a released group is. Units are ordered by
    their path of names, so ties in the disclosure decision fall the same way on every database.
    """
    respondents = Respondent.objects.filter(measurement=measurement).exclude(
        status=Respondent.Status.PENDING
    )
    by_email = measurement.uses_email() and not measurement.uses_open_link()
    everyone = np.ones(len(matrix.response_ids), dtype=bool)
    groups = [
        GroupSpec("organization", "", None, everyone, respondents.count() if by_email else None)
    ]
    units = list(Unit.objects.filter(organization=measurement.organization))
    by_id = {unit.pk: unit for unit in units}
    if subtrees is None:
        subtrees = {
            str(unit.pk): [u.pk for u in units if u.path.startswith(unit.path)] for unit in units
        }
    response_units = np.array([unit_id or 0 for unit_id in matrix.units], dtype=np.int64)
    invited_units = np.array(
        [unit_id or 0 for unit_id in respondents.values_list("unit_id", flat=True)],
        dtype=np.int64,
    )
    named = sorted(
        subtrees.items(),
        key=lambda item: (_name_path(by_id, by_id.get(int(item[0]))), item[0]),
    )
    for key, members in named:
        mask = np.isin(response_units, members)
        if mask.any():
            invited = int(np.isin(invited_units, members).sum())
            groups.append(
                GroupSpec(
                    "unit",
                    key,
                    by_id.get(int(key)),
                    mask,
                    invited if by_email else None,
                    tuple(sorted(members)),
                )
            )
    roles = np.array(matrix.roles, dtype=object)
    invited_roles = list(respondents.values_list("role", flat=True))
    for role in sorted(set(matrix.roles) - {""}):
        groups.append(
            GroupSpec(
                "role",
                role,
                None,
                roles == role,
                invited_roles.count(role) if by_email else None,
            )
        )
    return groups


def _name_path(by_id: dict[int, Unit], unit: Unit | None) -> tuple[str, ...]:
    if unit is None:
        return ("\uffff",)  # a unit deleted since the first release sorts last
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    return tuple(by_id[i].name if i in by_id else "" for i in ids)


def score_group(
    values: npt.NDArray[np.int8], structure: Structure, invited: int | None, **design: Any
) -> OrganizationScore:
    responded = int(np.count_nonzero((values != UNANSWERED).any(axis=1)))
    if invited is not None and invited < max(responded, 1):
        invited = None
        design.pop("whole_group", None)  # no count of the whole group to correct with
    return score(
        values,
        structure,
        resamples=settings.BOOTSTRAP_RESAMPLES,
        seed=0,
        min_respondents=1,
        invited=invited,
        **design,
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


def _score_rows(
    result_id: int, scored: OrganizationScore, hidden: frozenset[str] = frozenset()
) -> list[tuple[Any, ...]]:
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
        if item_id not in hidden
    ]
    return rows


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


class ScoredGroup(NamedTuple):
    """One released group, scored: `hidden` are the statements the door hides in it."""

    kind: str
    key: str
    unit: Unit | None
    invited: int | None
    scored: OrganizationScore
    hidden: frozenset[str]
    responses: int  # submitted responses in the group (what the cell rule counted)


def _payload(group: ScoredGroup, release: Release, names: dict[str, Any]) -> dict[str, Any]:
    """The stored payload: the engine's figures without the hidden statements, and for the whole
    organization the groups the door withheld (names only, no figures)."""
    payload = group.scored.to_dict()
    payload["respondents"] = group.responses
    if group.hidden:
        payload["items"] = {
            item_id: entry
            for item_id, entry in payload.get("items", {}).items()
            if item_id not in group.hidden
        }
        payload["flags"] = [
            flag for flag in payload.get("flags", []) if flag.get("subject") not in group.hidden
        ]
        payload["hidden_items"] = sorted(group.hidden)
    if group.kind == "organization":
        payload["withheld"] = [
            {"kind": kind, "key": key, **names.get(f"{kind}:{key}", {})}
            for kind, key in release.withheld
        ]
    return payload


def replace_results(measurement: Measurement, stored: list[ScoredGroup], release: Release) -> None:
    """In the caller's transaction: delete the measurement's results and scores, insert the new."""
    results, scores = Table(MeasurementResult), Table(MeasurementScore)
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
    names = _withheld_names(measurement, release) if release.withheld else {}
    results.insert(
        _RESULT_COLUMNS,
        [
            (
                measurement.pk,
                group.kind,
                group.key,
                group.unit.pk if group.unit else None,
                group.responses,
                group.invited,
                payload.get_db_prep_value(_payload(group, release, names), results.connection),
                now,
            )
            for group in stored
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
    for group in stored:
        rows += _score_rows(ids[group.kind, group.key], group.scored, group.hidden)
    scores.insert(_SCORE_COLUMNS, rows)


def _withheld_names(measurement: Measurement, release: Release) -> dict[str, Any]:
    """Names of withheld units (with their place in the tree) and roles, for the pages."""
    names: dict[str, Any] = {}
    unit_ids = [int(key) for kind, key in release.withheld if kind == "unit"]
    for unit in Unit.objects.filter(organization=measurement.organization, pk__in=unit_ids):
        names[f"unit:{unit.pk}"] = {"name": unit.name, "path": unit.path}
    return names


class ReleaseChanged(Exception):
    """Another scorer stored a release while this one computed: compute again from it."""


@dataclass(frozen=True)
class Computed:
    """A measurement's release and its released groups, scored, ready to be stored."""

    release: Release
    subtrees: dict[str, list[int]]
    groups: list[ScoredGroup]
    earlier: dict[str, Any] | None  # the stored decision this one started from


def _earlier(measurement: Measurement) -> tuple[Release | None, dict[str, list[int]] | None]:
    stored = MeasurementRelease.objects.filter(measurement=measurement).first()
    if stored is None:
        return None, None
    return Release.from_dict(stored.decision), stored.unit_subtrees


def score_groups(measurement: Measurement) -> Computed:
    """Read the submitted answers, decide the release through the disclosure-control door and
    score every released group (hidden statements masked out of its scoring, so its parents are
    computed from released statements only); no transaction, nothing locked."""
    structure = Structure.from_instrument(measurement.instrument.definition())
    matrix = load_answers(measurement)
    earlier, subtrees = _earlier(measurement)
    groups = candidate_groups(measurement, matrix, subtrees)
    answered = (matrix.values != UNANSWERED) & (matrix.values != DONT_KNOW)
    release = decide(
        [Candidate(g.group, g.mask) for g in groups],
        answered,
        matrix.item_ids,
        threshold(),
        earlier=earlier,
    )
    columns = {item_id: index for index, item_id in enumerate(matrix.item_ids)}
    stored: list[ScoredGroup] = []
    for spec in groups:
        if spec.group not in release.groups:
            continue
        values = matrix.values[spec.mask]
        hidden = release.hidden_in(spec.group)
        if hidden:
            values = values.copy()
            values[:, [columns[item_id] for item_id in hidden]] = UNANSWERED
        scored = score_group(
            values,
            structure,
            spec.invited,
            **design_options(measurement, matrix.units, spec.mask, spec.invited),
        )
        stored.append(
            ScoredGroup(
                spec.kind,
                spec.key,
                spec.unit,
                spec.invited,
                scored,
                hidden,
                int(spec.mask.sum()),
            )
        )
    return Computed(
        release=release,
        subtrees={g.key: list(g.subtree) for g in groups if g.kind == "unit"},
        groups=stored,
        earlier=earlier.to_dict() if earlier else None,
    )


def results_database() -> str:
    """The connection stored results are written on (a replacement's transaction runs there)."""
    return router.db_for_write(MeasurementResult)


_STORE_ATTEMPTS = 5  # answers submitted meanwhile can change the release; score again


def compute_and_store(measurement: Measurement) -> int:
    """Replace the measurement's stored results; returns how many groups were stored."""
    for _attempt in range(_STORE_ATTEMPTS):
        computed = score_groups(measurement)
        try:
            store(measurement, computed)
        except ReleaseChanged:
            continue
        return len(computed.groups)
    raise RuntimeError(f"The release of {measurement} kept changing while being computed.")


def store(
    measurement: Measurement,
    computed: Computed,
    guard: Callable[[str], bool] | None = None,
) -> bool:
    """Store a computed release and its results in one transaction.

    Reading and scoring take no lock (with SQLite's IMMEDIATE transactions a lock held while
    scoring would serialize parallel re-scoring). The measurement's row is locked first, so two
    replacements of the same measurement run one after the other; the second sees the first's
    release and, if its own decision started from another, computes again (`ReleaseChanged`).
    `guard(database)`, run first inside the transaction, may refuse the storing (returns False);
    then nothing is stored and `store` returns False.
    """
    database = results_database()
    with transaction.atomic(using=database):
        if guard is not None and not guard(database):
            return False
        Measurement.objects.using(database).select_for_update().filter(pk=measurement.pk).exists()
        current = MeasurementRelease.objects.using(database).filter(measurement=measurement).first()
        if (current.decision if current else None) != computed.earlier:
            raise ReleaseChanged
        now = timezone.now()
        decision = computed.release.to_dict()
        if current is None:
            MeasurementRelease.objects.using(database).create(
                measurement=measurement,
                k=computed.release.k,
                decision=decision,
                unit_subtrees=computed.subtrees,
                released_at=now,
            )
            Measurement.objects.using(database).filter(
                pk=measurement.pk, results_released_at__isnull=True
            ).update(results_released_at=now)
        elif current.decision != decision:
            # A later decision is a subset of the earlier one (decide's `earlier`): keep the latest.
            current.decision = decision
            current.k = computed.release.k
            current.save(update_fields=["decision", "k"])
        replace_results(measurement, computed.groups, computed.release)
    return True


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
