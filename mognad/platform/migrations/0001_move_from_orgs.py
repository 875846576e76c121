"""The outbox, worker heartbeats, periodic-job state and rate-limit counters move here from the orgs
app (which created them in orgs/migrations/0002) without touching the database: the models keep
their tables (`db_table`), index and constraint names, and rows. orgs/migrations/0005 then removes
them from the orgs app's state and renames their content types.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0004_encrypt_totp_secrets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("to", models.EmailField(max_length=254)),
                        ("language", models.CharField(default="sv", max_length=2)),
                        ("subject", models.CharField(max_length=300)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("dedupe_key", models.CharField(max_length=200, unique=True)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sending", "Sending"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=10)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("organization", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="orgs.organization")),
                    ],
                    options={
                        "db_table": "orgs_outboxmessage",
                        "ordering": ["created_at", "id"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")],
                    },
                ),
                migrations.CreateModel(
                    name="PeriodicJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, unique=True)),
                        ("next_run_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_started_at", models.DateTimeField(blank=True, null=True)),
                        ("last_finished_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                    ],
                    options={"db_table": "orgs_periodicjob"},
                ),
                migrations.CreateModel(
                    name="RateLimitCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=200)),
                        ("window_start", models.DateTimeField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "orgs_ratelimitcounter",
                        "indexes": [models.Index(fields=["window_start"], name="ratelimit_window")],
                        "constraints": [models.UniqueConstraint(fields=("key", "window_start"), name="one_counter_per_window")],
                    },
                ),
                migrations.CreateModel(
                    name="WorkerHeartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("worker_id", models.CharField(max_length=64, unique=True)),
                        ("hostname", models.CharField(blank=True, max_length=200)),
                        ("pid", models.PositiveIntegerField(default=0)),
                        ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_seen_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={"db_table": "orgs_workerheartbeat"},
                ),
            ],
            database_operations=[],
        ),
    ]
