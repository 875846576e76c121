"""The production-stack test's hands inside the database: `python -m mognad.tests.stack.scenario
COMMAND [ARG]`, run with the stack's own environment (its database, its settings).

    setup N       the standard instrument, one organization with N respondents, an email
                  measurement (a draft) and its key user with a password and TOTP enrolled;
                  prints the measurement's id and the key user's login
    facts ID      what the test checks, as JSON: outbox, responses, results, heartbeats, tasks

The key user opens and closes the measurement, and the respondents answer, through the proxy
over HTTP, never through here.
"""

from __future__ import annotations

import json
import secrets
import sys
from typing import Any

import django
import pyotp

ORG_SLUG = "stackby"
DOMAIN = "stackby.example"
# The tables deploy/mognad-restore-drill counts, counted here in the live database.
DRILL_TABLES = (
    "orgs_organization",
    "orgs_user",
    "surveys_measurement",
    "surveys_respondent",
    "surveys_response",
    "surveys_answer",
    "surveys_measurementresult",
    "orgs_outboxmessage",
)


def setup(respondents: int) -> dict[str, Any]:
    from mognad import test
    from mognad.orgs.models import Membership

    measurement = test.email_measurement(
        "Stackby kommun", ORG_SLUG, DOMAIN, respondents, english_every=3
    )
    org = measurement.organization
    password, secret = secrets.token_urlsafe(16), pyotp.random_base32()
    key_user = test.make_user(f"kim@{DOMAIN}", password=password, name="Kim Key")
    test.make_member(key_user, org, Membership.Role.KEY_USER)
    test.enroll_totp(key_user, secret)
    return {
        "measurement": measurement.pk,
        "key_user": {"email": key_user.email, "password": password, "totp_secret": secret},
    }


def facts(measurement_id: int) -> dict[str, Any]:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from mognad.platform.models import OutboxMessage, WorkerHeartbeat
    from mognad.results.models import MeasurementResult
    from mognad.surveys.models import Measurement, Response

    measurement = Measurement.objects.get(pk=measurement_id)
    with connection.cursor() as cursor:
        counts = {}
        for table in DRILL_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cursor.fetchone()[0]
    return {
        "state": measurement.state,
        "scoring_due": measurement.scoring_due,
        "results": [
            {"kind": r.group_kind, "key": r.group_key, "respondents": r.respondents}
            for r in MeasurementResult.objects.filter(measurement=measurement)
        ],
        "submitted": Response.objects.filter(
            measurement=measurement, state=Response.State.SUBMITTED
        ).count(),
        "outbox": [
            {"to": m.to, "status": m.status, "attempts": m.attempts}
            for m in OutboxMessage.objects.order_by("pk")
        ],
        "workers": sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)),
        "task_claims": [len(task.worker_ids) for task in DBTaskResult.objects.all()],
        "counts": counts,
    }


def main(argv: list[str]) -> None:
    django.setup()
    command, argument = argv[0], int(argv[1])
    result = {"setup": setup, "facts": facts}[command](argument)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
