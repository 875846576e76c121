"""Anonymous mode: a copy of the database alone must not link any answer to an email address.

The test runs a real anonymous measurement, dumps every table with raw SQL (what an attacker with a
backup has), and tries every linkage trick it knows: shared keys, hashes of anything in the dump,
row and id order, timestamps, the outbox and the audit log. It fails if any trick links a response
to its respondent.
"""

import hashlib
import itertools

import pytest
from django.db import connection
from django.test import Client

from mognad.orgs.models import AuditEvent
from mognad.platform.mail import deliver_outbox
from mognad.platform.models import OutboxMessage
from mognad.surveys import actions
from mognad.surveys.models import Answer, Respondent, Response
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of


def _dump():
    """Every row of every table as {table: [dict]}, plus SQLite's hidden rowid."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            rowid = "rowid, " if connection.vendor == "sqlite" else ""
            try:
                cursor.execute(f"SELECT {rowid}{quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            except Exception:  # a WITHOUT ROWID table
                cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
                rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            else:
                names = (["_rowid"] if rowid else []) + columns
                rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            tables[table] = rows
    return tables


def _strings(value):
    return {value} if isinstance(value, str) else {str(value)} if value is not None else set()


@pytest.fixture
def answered(ankeby, social_services, education):
    """Anonymous: 6 respondents in the same unit and role answer, in shuffled order."""
    measurement = make_measurement(ankeby, anonymous=True)
    people = [
        make_respondent(measurement, f"p{i}@ankeby.se", unit=social_services) for i in range(6)
    ]
    make_respondent(measurement, "never@ankeby.se", unit=education)
    measurement = actions.open_measurement(measurement, by=None)
    deliver_outbox()
    actions.scrub_sent_links()
    item = measurement.instrument.definition().categories[0].capabilities[0].items[0].id
    order = [3, 0, 5, 1, 4]  # not the order they were added in
    for n, index in enumerate(order):
        link = f"/r/{token_of(people[index])}/"
        client = Client()
        client.post(link)
        client.post(f"{link}1/", {f"item_{item}": str(index + 1), "go": "next"})
        if n != 2:
            client.post(f"{link}summary/")
    # the "true" link the attacker wants: email → answer value
    truth = {f"p{i}@ankeby.se": i + 1 for i in order}
    return measurement, truth


def test_while_open_no_column_of_a_response_matches_anything_stored_about_a_respondent(answered):
    _measurement, _truth = answered
    dump = _dump()
    respondents = dump[Respondent._meta.db_table]
    responses = dump[Response._meta.db_table]
    assert len(responses) == 5
    assert all(r["respondent_id"] is None for r in responses)
    # Everything the dump holds about respondents, and hashes of it.
    known = set()
    for row in respondents:
        for value in row.values():
            for text in _strings(value):
                known |= {text, hashlib.sha256(text.encode()).hexdigest()}
                for prefix in (b"response:", b"open:"):
                    known.add(hashlib.sha256(prefix + text.encode()).hexdigest())
    for row in responses:
        for column, value in row.items():
            if column in (
                "measurement_id",
                "unit_id",
                "role",
                "language",
                "channel",
                "state",
                "_rowid",
            ):
                continue
            assert not (_strings(value) & known), f"response.{column} matches respondent data"


def test_sent_emails_keep_no_link_that_would_lead_to_a_response(answered):
    dump = _dump()
    outbox = [row for row in dump["orgs_outboxmessage"] if row["dedupe_key"].startswith("surveys:")]
    assert outbox and all(row["status"] == "sent" for row in outbox)
    for row in outbox:
        assert "/r/-/" in row["body_text"]
        assert not __import__("re").search(
            r"/r/[A-Za-z0-9_-]{43}/", row["body_text"] + row["body_html"]
        )


def test_no_order_or_time_in_the_dump_recovers_who_gave_which_answer(answered):
    _measurement, truth = answered
    dump = _dump()
    respondents = {r["id"]: r for r in dump[Respondent._meta.db_table]}
    responses = dump[Response._meta.db_table]
    answers = dump["surveys_answer"]
    value_of = {a["response_id"]: a["value"] for a in answers}
    # No timestamps on the answering side at all.
    for table in (Response._meta.db_table, "surveys_answer"):
        for row in dump[table]:
            for column, _value in row.items():
                assert not column.endswith(("_at", "_on", "time", "date")), (table, column)
    # Every ordering an attacker could try on the response side…
    orderings = {
        "uuid": sorted(responses, key=lambda r: str(r["id"])),
        "answer id": sorted(
            responses, key=lambda r: min(a["id"] for a in answers if a["response_id"] == r["id"])
        ),
    }
    if connection.vendor == "sqlite":
        orderings["rowid"] = sorted(responses, key=lambda r: r["_rowid"])
    # …against every ordering on the respondent side (status changes leave no trace).
    people = [r for r in respondents.values() if r["email"] in truth]
    respondent_orders = {
        "id": sorted(people, key=lambda r: r["id"]),
        "email": sorted(people, key=lambda r: r["email"]),
        "created": sorted(people, key=lambda r: (str(r["created_at"]), r["id"])),
    }
    for (name, ours), (theirs_name, theirs) in itertools.product(
        orderings.items(), respondent_orders.items()
    ):
        guessed = {p["email"]: value_of.get(r["id"]) for p, r in zip(theirs, ours, strict=False)}
        hits = sum(1 for email, value in guessed.items() if truth[email] == value)
        # Answering order was 3,0,5,1,4: a leak of it would line everything up.
        assert hits < len(truth), (
            f"{name} order of responses lines up with {theirs_name} of respondents"
        )


def test_the_response_key_needs_the_token_which_the_dump_does_not_hold(answered):
    measurement, _truth = answered
    dump = _dump()
    text = repr(dump)
    for respondent in measurement.respondents.exclude(nonce=None):
        token = token_of(respondent)
        assert token not in text  # the link itself is nowhere in the database


def test_closing_destroys_every_link_so_not_even_the_secret_key_helps(answered):
    measurement, _truth = answered
    actions.close_measurement(measurement, by=None)
    dump = _dump()
    assert all(
        r["nonce"] is None and r["token_hash"] is None for r in dump[Respondent._meta.db_table]
    )
    assert all(r["response_key"] is None for r in dump[Response._meta.db_table])
    assert not any(
        row["dedupe_key"].startswith("surveys:")
        and "/r/" in row["body_text"]
        and "/r/-/" not in row["body_text"]
        for row in dump["orgs_outboxmessage"]
    )


def test_response_rate_and_reminders_still_work_in_anonymous_mode(answered):
    measurement, _truth = answered
    statuses = dict(measurement.respondents.values_list("email", "status"))
    assert sum(1 for s in statuses.values() if s == "completed") == 4
    assert actions.send_reminders(measurement, by=None) == 3  # one started, one never opened, + p2


def test_closing_reduces_the_email_history_to_counts_and_drops_unsubmitted_answers(answered):
    measurement, _truth = answered
    actions.send_reminders(measurement, by=None)
    sent = sum(r.invitations_sent for r in measurement.respondents.all())
    reminded = sum(r.reminders_sent for r in measurement.respondents.all())
    assert (sent, reminded) == (7, 3)
    actions.close_measurement(measurement, by=None)
    measurement.refresh_from_db()
    assert (measurement.invitations_sent, measurement.reminders_sent) == (7, 3)
    assert set(measurement.respondents.values_list("invitations_sent", "reminders_sent")) == {
        (0, 0)
    }
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"surveys:{measurement.pk}:")
    # The one who started without submitting: their half-filled sheet is gone, the four stay.
    assert list(measurement.responses.values_list("state", flat=True)) == ["submitted"] * 4
    assert Answer.objects.filter(response__measurement=measurement).count() == 4
    event = AuditEvent.objects.get(action="measurement.close")
    # The 7 sent invitations; the 3 reminders still queued went with the links before.
    assert event.details == {
        "unsubmitted_deleted": 1,
        "emails_deleted": 7,
        "responses_rewritten": 4,
    }


def test_a_reopened_measurement_invites_those_who_had_not_answered_again(answered):
    measurement, truth = answered
    closed = actions.close_measurement(measurement, by=None)
    before = sorted(Answer.objects.filter(response__measurement=closed).values_list("value"))
    reopened = actions.open_measurement(closed, by=None)
    invited = OutboxMessage.objects.filter(dedupe_key__startswith=f"surveys:{reopened.pk}:")
    assert sorted(m.to for m in invited) == ["never@ankeby.se", "p2@ankeby.se", "p5@ankeby.se"]
    assert (
        sorted(Answer.objects.filter(response__measurement=reopened).values_list("value")) == before
    )
    assert len(truth) == 5
