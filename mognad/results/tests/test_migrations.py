"""The stored results moved from the surveys app to the results app (migrations surveys 0002–0003,
results 0002–0003): migrating back across the move and forward again loses and changes nothing.
Results stored before disclosure control (results 0005) are deleted and scored again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mognad.results.due import score_due_measurements
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.surveys.models import Measurement
from mognad.surveys.tests.factories import AnswerGroup, closed_measurement

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("surveys", "0001_initial"), ("results", "0001_initial")]
# Before disclosure control (results 0004–0005, surveys 0004): results stored then are scored again.
BEFORE_THE_DOOR = [
    ("surveys", "0003_measurement_scoring_due"),
    ("results", "0003_closed_unscored_measurements_are_due"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor


def _migrate_back():
    """Migrate to before the move; the models as Django knew them then."""
    return _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE).apps


def _migrate_forward(targets=None):
    _migrate(targets or MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows(model):
    """Every row of the model's table, every column by name, in id order."""
    columns = [field.attname for field in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values(*columns))


def test_moving_back_and_forward_keeps_every_stored_result_and_its_content_type(
    ankeby, bebyholm, social_services
):
    closed_measurement(
        ankeby, [AnswerGroup(6, value=4, unit=social_services), AnswerGroup(5, level=3.0)]
    )
    closed_measurement(bebyholm, [AnswerGroup(7, level=4.5, role="it")], year=2025)
    results, scores = _rows(MeasurementResult), _rows(MeasurementScore)
    assert len(results) == 5 and len(scores) > 100
    content_type = ContentType.objects.get(app_label="results", model="measurementresult").pk
    try:
        old = _migrate_back()
        assert _rows(old.get_model("surveys", "MeasurementResult")) == results
        assert _rows(old.get_model("surveys", "MeasurementScore")) == scores
        assert ContentType.objects.get(pk=content_type).app_label == "surveys"
        _migrate_forward(BEFORE_THE_DOOR)
        assert _rows(MeasurementResult) == results
        assert _rows(MeasurementScore) == scores
        assert ContentType.objects.get(pk=content_type).app_label == "results"
    finally:
        _migrate_forward()


def test_a_closed_measurement_never_scored_before_the_move_is_due_after_it(ankeby, bebyholm):
    scored = closed_measurement(ankeby, [AnswerGroup(5, value=4)])
    try:
        old = _migrate_back()
        # Closed, its scoring still a queued task of the old worker when the new code arrives.
        never_scored = old.get_model("surveys", "Measurement").objects.create(
            organization_id=bebyholm.pk,
            year=2026,
            instrument_id=scored.instrument_id,
            state="closed",
        )
        _migrate_forward(BEFORE_THE_DOOR)
        due = dict(Measurement.objects.values_list("pk", "scoring_due"))
        assert due == {scored.pk: False, never_scored.pk: True}
    finally:
        _migrate_forward()


def test_results_stored_before_the_door_are_deleted_and_scored_again_through_it(ankeby):
    measurement = closed_measurement(ankeby, [AnswerGroup(6, value=4), AnswerGroup(2, role="it")])
    released = _rows(MeasurementResult)
    try:
        _migrate(BEFORE_THE_DOOR)
    finally:
        _migrate_forward()
    # Without a recorded release the old rows cannot be trusted: gone, and the measurement due.
    assert not MeasurementResult.objects.exists()
    measurement.refresh_from_db()
    assert measurement.scoring_due
    assert score_due_measurements() == [measurement.pk]
    again = _rows(MeasurementResult)
    assert [(r["group_kind"], r["group_key"]) for r in again] == [
        (r["group_kind"], r["group_key"]) for r in released
    ]
    assert ("role", "it") not in {(r["group_kind"], r["group_key"]) for r in again}
