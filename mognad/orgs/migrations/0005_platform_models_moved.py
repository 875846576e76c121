"""The outbox, worker heartbeats, periodic-job state and rate-limit counters now belong to the
platform app (mognad/platform/migrations/0001_move_from_orgs.py adds them there first). Only
Django's record of the models changes: the tables keep their names and their rows.

Their content types (and so any permissions on them) are renamed with them, in both directions,
unless the destination already has one: then nothing is deleted and the old one is left as is.
Renaming here rather than in platform/0001 keeps the content types right for either way back
(`mognad migrate orgs 0004` or `mognad migrate platform zero`).
"""

from django.db import migrations

MODELS = ("outboxmessage", "periodicjob", "ratelimitcounter", "workerheartbeat")


def _move_content_types(apps, schema_editor, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    taken = content_types.filter(app_label=target, model__in=MODELS).values_list("model", flat=True)
    content_types.filter(app_label=source, model__in=set(MODELS) - set(taken)).update(
        app_label=target
    )


def content_types_to_platform(apps, schema_editor):
    _move_content_types(apps, schema_editor, "orgs", "platform")


def content_types_to_orgs(apps, schema_editor):
    _move_content_types(apps, schema_editor, "platform", "orgs")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0004_encrypt_totp_secrets"),
        ("platform", "0001_move_from_orgs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OutboxMessage"),
                migrations.DeleteModel(name="PeriodicJob"),
                migrations.DeleteModel(name="RateLimitCounter"),
                migrations.DeleteModel(name="WorkerHeartbeat"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_platform, content_types_to_orgs),
    ]
