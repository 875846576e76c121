"""Closing an anonymous measurement: nothing in a logical dump leads from a response to a person.

Destroying the links (nonces, token hashes, response keys) is not enough on its own. A dump also
shows the order rows were written in (SQLite's rowid, PostgreSQL's physical order, auto-increment
ids), and who was reminded or sent emails when. With those, the only respondent reminded late is
the owner of the last response. So closing an anonymous measurement also (docs/privacy.md,
"Anonymous measurements"):

- deletes responses that were started but never submitted: they are never scored, can never be
  continued (their keys are gone) and would single out the respondents whose status is "started";
- reduces the per-respondent invitation and reminder counts to two totals on the measurement and
  deletes the measurement's survey emails from the outbox;
- rewrites the respondents (same ids), the responses (new random ids) and their answers (new ids)
  in a random order, so neither ids nor physical order keep the order of anything that happened.

Responses and answers carry no timestamp at any time; respondents keep only their roster time
(`created_at`: when they were added, not when they answered).
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from mognad.platform.models import OutboxMessage
from mognad.surveys.models import Answer, Measurement, Respondent, Response

_BATCH = 2000
# The operating system's randomness; the dump-and-join tests put a seeded generator here to be
# deterministic (they check this default separately).
_rng: random.Random = secrets.SystemRandom()


@dataclass(frozen=True)
class Unlinked:
    """What closing reduced, for the audit event (counts only)."""

    unsubmitted_deleted: int
    emails_deleted: int
    responses_rewritten: int


def unlink_at_close(measurement: Measurement, emails: QuerySet[OutboxMessage]) -> Unlinked:
    """Run inside the closing transaction, after the links were destroyed; `emails` are the
    measurement's invitations and reminders in the outbox."""
    assert measurement.anonymous, "only anonymous measurements are unlinked"
    unsubmitted = _delete_unsubmitted(measurement)
    deleted = _reduce_email_history(measurement, emails)
    _rewrite_respondents(measurement)
    rewritten = _rewrite_responses(measurement)
    return Unlinked(
        unsubmitted_deleted=unsubmitted, emails_deleted=deleted, responses_rewritten=rewritten
    )


def _shuffled(rows: list[Any]) -> list[Any]:
    _rng.shuffle(rows)
    return rows


def _new_id() -> uuid.UUID:
    return uuid.UUID(int=_rng.getrandbits(128), version=4)


def _delete_unsubmitted(measurement: Measurement) -> int:
    unsubmitted = Response.objects.filter(measurement=measurement).exclude(
        state=Response.State.SUBMITTED
    )
    Answer.objects.filter(response__in=unsubmitted).delete()
    deleted, _by_model = unsubmitted.delete()
    return deleted


def _reduce_email_history(measurement: Measurement, emails: QuerySet[OutboxMessage]) -> int:
    """Per-person counts become the measurement's totals; the outbox rows go."""
    respondents = measurement.respondents.all()
    totals = {"invitations": 0, "reminders": 0}
    for invitations, reminders in respondents.values_list("invitations_sent", "reminders_sent"):
        totals["invitations"] += invitations
        totals["reminders"] += reminders
    Measurement.objects.filter(pk=measurement.pk).update(
        invitations_sent=F("invitations_sent") + totals["invitations"],
        reminders_sent=F("reminders_sent") + totals["reminders"],
    )
    measurement.refresh_from_db(fields=["invitations_sent", "reminders_sent"])
    deleted, _by_model = emails.delete()
    return deleted


def _rewrite_respondents(measurement: Measurement) -> None:
    """Same rows and ids, written again in a random order (with the counts now zero)."""
    rows = _shuffled(list(measurement.respondents.all()))
    for row in rows:
        row.invitations_sent = 0
        row.reminders_sent = 0
    # No response points at a respondent in an anonymous measurement: deleting is safe.
    Respondent.objects.filter(measurement=measurement).delete()
    Respondent.objects.bulk_create(rows, batch_size=_BATCH)


def _rewrite_responses(measurement: Measurement) -> int:
    """Every response gets a new random id; responses and answers are inserted in random order."""
    responses = _shuffled(list(Response.objects.filter(measurement=measurement)))
    answers: dict[uuid.UUID, list[tuple[int, int]]] = defaultdict(list)
    for response_id, item_id, value in Answer.objects.filter(
        response__measurement=measurement
    ).values_list("response_id", "item_id", "value"):
        answers[response_id].append((item_id, value))
    Answer.objects.filter(response__measurement=measurement).delete()
    Response.objects.filter(measurement=measurement).delete()
    new_answers: list[Answer] = []
    for response in responses:
        old_id, response.id = response.id, _new_id()
        response.respondent_id = None
        response.response_key = None
        new_answers += [
            Answer(response_id=response.id, item_id=item, value=value)
            for item, value in _shuffled(answers[old_id])
        ]
    Response.objects.bulk_create(responses, batch_size=_BATCH)
    Answer.objects.bulk_create(new_answers, batch_size=_BATCH)
    return len(responses)
