"""The platform's models came from the orgs app without losing a row (platform/0001, orgs/0005).

Migrating back to before the move and forward again changes only Django's record of the models:
the tables keep their rows (foreign keys included) and the models keep their content types.
"""

from datetime import timedelta

import pytest
from django.apps import apps as current_apps
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mognad.platform.hashing import sha256_hex
from mognad.platform.models import OutboxMessage, PeriodicJob, RateLimitCounter, WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)

LAST_BEFORE_THE_MOVE = ("orgs", "0004_encrypt_totp_secrets")
# `mognad migrate orgs 0004` and `mognad migrate platform zero` (which unapplies orgs/0005 first).
WAYS_BACK = {"orgs 0004": [LAST_BEFORE_THE_MOVE], "platform zero": [("platform", None)]}
MOVED = ("OutboxMessage", "PeriodicJob", "RateLimitCounter", "WorkerHeartbeat")


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor


def _migrate_back(way: str = "platform zero") -> Apps:
    """Migrate to just before the move; the models as Django knew them then."""
    executor = _migrate(WAYS_BACK[way])
    return executor.loader.project_state([LAST_BEFORE_THE_MOVE]).apps


def _migrate_forward() -> None:
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows(apps: Apps, app_label: str) -> dict[str, list[dict[str, object]]]:
    return {
        name: list(apps.get_model(app_label, name).objects.order_by("pk").values())
        for name in MOVED
    }


def _content_type_ids(app_label: str) -> dict[str, int]:
    return dict(
        ContentType.objects.filter(app_label=app_label, model__in=[m.lower() for m in MOVED])
        .order_by("model")
        .values_list("model", "pk")
    )


@pytest.fixture
def a_row_in_every_moved_table(ankeby):
    now = timezone.now()
    OutboxMessage.objects.create(
        to="alice@ankeby.se",
        subject="Inbjudan",
        body_text="Hej!\n",
        dedupe_key="test:moved",
        status=OutboxMessage.Status.SENT,
        attempts=1,
        sent_at=now,
        organization=ankeby,
    )
    PeriodicJob.objects.create(name="orgs.deliver_outbox", next_run_at=now + timedelta(seconds=5))
    RateLimitCounter.objects.create(key=sha256_hex("login:ip:127.0.0.1"), window_start=now, count=3)
    WorkerHeartbeat.objects.create(worker_id="w-moved", hostname="worker-1", pid=4242)


@pytest.mark.parametrize("way_back", WAYS_BACK)
@pytest.mark.usefixtures("a_row_in_every_moved_table")
def test_migrating_back_across_the_move_and_forward_again_keeps_every_row_and_content_type(
    ankeby, way_back
):
    rows, content_types = _rows(current_apps, "platform"), _content_type_ids("platform")
    assert all(len(table) == 1 for table in rows.values())
    assert sorted(content_types) == sorted(m.lower() for m in MOVED)
    try:
        before_the_move = _migrate_back(way_back)
        with pytest.raises(LookupError):
            before_the_move.get_model("platform", "OutboxMessage")
        old = _rows(before_the_move, "orgs")
        # Columns added after the move (e.g. the outbox's sender_name) are not there yet.
        assert all(len(old[name]) == len(rows[name]) for name in MOVED)
        assert old == {
            name: [
                {key: row[key] for key in old_row}
                for row, old_row in zip(rows[name], table, strict=True)
            ]
            for name, table in old.items()
        }
        assert _content_type_ids("orgs") == content_types
        assert _content_type_ids("platform") == {}
    finally:
        _migrate_forward()
    assert _rows(current_apps, "platform") == rows
    assert OutboxMessage.objects.get().organization == ankeby
    assert _content_type_ids("platform") == content_types
    assert _content_type_ids("orgs") == {}


def test_a_content_type_already_at_the_destination_is_kept_and_nothing_is_deleted():
    # Running `migrate` on an older checkout recreates the platform's content types (post_migrate)
    # next to the ones moved back to orgs; moving forward again must neither fail nor delete one.
    original = _content_type_ids("platform")["outboxmessage"]
    try:
        _migrate_back()
        recreated = ContentType.objects.create(app_label="platform", model="outboxmessage")
    finally:
        _migrate_forward()
    assert _content_type_ids("platform")["outboxmessage"] == recreated.pk
    assert _content_type_ids("orgs") == {"outboxmessage": original}
