"""Anonymous mode after close: a logical dump (pg_dump, sqlite3 .dump) links no response to anyone.

The attacker has the real dump and knows the story: ten people were invited, nine answered, only the
last one was reminded and then answered too; an eleventh started but never submitted. Each run
answers through the real answering pages, closes, and then every join the attacker would try is
scored against the truth (each person's answers are unique): row order (rowid, PostgreSQL's physical
order), ids and their order, timestamps, reminder counts, outbox rows, audit log details and
sessions. The shuffles at closing use a seeded generator here, so the outcome is the same on every
run; `test_without_the_rewrite_the_attacks_win` shows the attacks are real.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from mognad import test
from mognad.orgs.models import Organization, Unit
from mognad.platform.mail import deliver_outbox
from mognad.surveys import actions, unlinking
from mognad.surveys.models import Measurement
from mognad.surveys.tests.dumps import Dump, Row, logical_dump
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 10  # the last one answers after the only reminder
RUNS = 8
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Story:
    measurement: int
    emails: list[str]  # in the order they answered
    values: dict[tuple[str, ...], str]  # answers (as the dump shows them) → email

    @property
    def reminded(self) -> str:
        return self.emails[-1]


def _items(measurement: Measurement) -> list[int]:
    category = measurement.instrument.definition().categories[0]
    return [item.id for capability in category.capabilities for item in capability.items][:2]


def _answer(measurement: Measurement, respondent, values: tuple[int, int]) -> None:
    link = f"/r/{token_of(respondent)}/"
    client = Client()
    client.post(link)
    page = {
        f"item_{item}": str(value) for item, value in zip(_items(measurement), values, strict=True)
    }
    assert client.post(f"{link}1/", {**page, "go": "next"}).status_code == 302
    assert client.post(f"{link}summary/").status_code == 302


def _values(index: int) -> tuple[int, int]:
    return index % 6 + 1, index // 6 + 1


def _story(org: Organization, unit: Unit) -> Story:
    measurement = make_measurement(org, anonymous=True)
    domain = org.slug
    people = [
        make_respondent(measurement, f"p{i:02d}@{domain}.se", unit=unit) for i in range(PEOPLE)
    ]
    measurement = actions.open_measurement(measurement, by=None)
    deliver_outbox()
    for index, person in enumerate(people[:-1]):
        _answer(measurement, person, _values(index))
    assert actions.send_reminders(measurement, by=None) == 1  # only the last one
    deliver_outbox()
    actions.scrub_sent_links()
    _answer(measurement, people[-1], _values(PEOPLE - 1))
    starter = make_respondent(measurement, f"starter@{domain}.se", unit=unit)
    actions.send_invitations(measurement, by=None)
    Client().post(f"/r/{token_of(starter)}/")  # starts, never submits
    actions.close_measurement(measurement, by=None)
    return Story(
        measurement=measurement.pk,
        emails=[p.email for p in people],
        values={tuple(str(v) for v in _values(i)): p.email for i, p in enumerate(people)},
    )


def _stories(runs: int = RUNS) -> list[Story]:
    stories = []
    for n in range(runs):
        org = test.make_org(f"Kommun {n}")
        stories.append(_story(org, test.make_unit(org, "IT-avdelningen")))
    return stories


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setattr(unlinking, "_rng", random.Random(2026))


def test_the_shuffles_use_the_operating_systems_randomness():
    assert isinstance(unlinking._rng, secrets.SystemRandom)


# --- What the attacker reads from the dump --------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    respondents: list[Row]  # the measurement's respondents, in dump order
    responses: list[Row]
    answers: list[Row]
    owner: dict[str, str]  # response id → email (the truth, for scoring only)


def _seen(dump: Dump, story: Story) -> Seen:
    mid = str(story.measurement)
    responses = [r for r in dump.tables["surveys_response"] if r["measurement_id"] == mid]
    ids = {r["id"] for r in responses}
    answers = [a for a in dump.tables["surveys_answer"] if a["response_id"] in ids]
    values: dict[str, list[tuple[str | None, str | None]]] = {}
    for a in answers:
        values.setdefault(a["response_id"] or "", []).append((a["item_id"], a["value"]))
    owner = {
        rid: story.values[tuple(v for _item, v in sorted(pairs, key=lambda p: int(p[0] or 0)))]
        for rid, pairs in values.items()
    }
    respondents = [r for r in dump.tables["surveys_respondent"] if r["measurement_id"] == mid]
    return Seen(respondents, responses, answers, owner)


def _response_orders(seen: Seen) -> dict[str, list[str]]:
    first_answer: dict[str, int] = {}
    smallest_id: dict[str, int] = {}
    for position, a in enumerate(seen.answers):
        rid = a["response_id"] or ""
        first_answer.setdefault(rid, position)
        smallest_id[rid] = min(smallest_id.get(rid, 1 << 62), int(a["id"] or 0))
    # Submitted answer sheets (a started one has none: the attacker leaves it out).
    dumped = [r["id"] or "" for r in seen.responses if r["id"] in first_answer]
    return {
        "dump order": dumped,
        "id": sorted(dumped),
        "first answer in the dump": sorted(dumped, key=first_answer.__getitem__),
        "smallest answer id": sorted(dumped, key=smallest_id.__getitem__),
    }


def _respondent_orders(seen: Seen, story: Story) -> dict[str, list[str]]:
    rows = [r for r in seen.respondents if r["status"] == "completed"]
    return {
        "dump order": [r["email"] or "" for r in rows],
        "id": [r["email"] or "" for r in sorted(rows, key=lambda r: int(r["id"] or 0))],
        "email": sorted(r["email"] or "" for r in rows),
        "added": [r["email"] or "" for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]))],
        "reminders": [
            r["email"] or "" for r in sorted(rows, key=lambda r: int(r["reminders_sent"] or 0))
        ],
    }


def _attacks(seen: Seen, story: Story) -> Iterator[tuple[str, dict[str, str]]]:
    """(name, guessed email → response id) for every join the attacker tries."""
    for rname, responses in _response_orders(seen).items():
        yield f"reminded = last by {rname}", {story.reminded: responses[-1]}
        yield f"reminded = first by {rname}", {story.reminded: responses[0]}
        for pname, people in _respondent_orders(seen, story).items():
            yield (
                f"respondents by {pname} = responses by {rname}",
                dict(zip(people, responses, strict=True)),
            )


def _right(seen: Seen, guess: dict[str, str]) -> set[str]:
    """The people whose response the guess gets right."""
    return {email for email, rid in guess.items() if seen.owner.get(rid) == email}


def _score(stories: list[Story]) -> dict[str, tuple[int, int]]:
    """Per attack over all runs: (people linked, runs in which the reminded person was found)."""
    dump = logical_dump()
    totals: dict[str, tuple[int, int]] = {}
    for story in stories:
        seen = _seen(dump, story)
        assert len(seen.owner) == PEOPLE  # the attacker has every submitted answer sheet
        for name, guess in _attacks(seen, story):
            right = _right(seen, guess)
            linked, runs = totals.get(name, (0, 0))
            totals[name] = (linked + len(right), runs + int(story.reminded in right))
    return totals


# --- The tests ------------------------------------------------------------------------------------


def test_no_join_links_a_response_to_a_person_better_than_chance(seeded):
    totals = _score(_stories())
    for name, (linked, runs) in totals.items():
        # Chance: about one person a run, and the reminded one in a tenth of the runs.
        assert linked <= 3 * RUNS, (name, linked)
        assert runs <= RUNS // 2, (name, runs)


def test_without_the_rewrite_the_attacks_win(monkeypatch):
    """The same attacks against closing without the rewrite: the test can fail."""
    monkeypatch.setattr(actions.unlinking, "unlink_at_close", _links_only)
    totals = _score(_stories(3))
    assert totals["reminded = last by dump order"][1] == 3
    assert totals["respondents by id = responses by smallest answer id"][0] == 3 * PEOPLE


def _links_only(measurement: Measurement, emails) -> unlinking.Unlinked:
    return unlinking.Unlinked(unsubmitted_deleted=0, emails_deleted=0, responses_rewritten=0)


def test_the_dump_keeps_no_reminder_history_time_or_per_person_trace(seeded):
    stories = _stories(2)
    dump = logical_dump()
    for story in stories:
        seen = _seen(dump, story)
        # Responses and answers: no time anywhere, only submitted answer sheets.
        for row in seen.responses + seen.answers:
            assert not any(c.endswith(("_at", "_on", "time", "date")) for c in row)
            assert not any(DATE.search(v or "") for v in row.values())
        assert {r["state"] for r in seen.responses} == {"submitted"}
        assert {r["response_key"] for r in seen.responses} == {None}
        # Respondents: everyone who answered looks the same apart from who they are.
        completed = [r for r in seen.respondents if r["status"] == "completed"]
        assert len(completed) == PEOPLE
        alike = {
            tuple(v for c, v in r.items() if c not in ("id", "email", "created_at"))
            for r in completed
        }
        assert len(alike) == 1, alike
        # The reminder is a count on the measurement; the outbox keeps nothing of it.
        (measurement,) = [
            m for m in dump.tables["surveys_measurement"] if m["id"] == str(story.measurement)
        ]
        assert (measurement["reminders_sent"], measurement["invitations_sent"]) == ("1", "11")
        prefix = f"surveys:{story.measurement}:"
        assert not [
            m for m in dump.tables["orgs_outboxmessage"] if m["dedupe_key"].startswith(prefix)
        ]
        # Every person who answered occurs equally often in the whole dump (the reminded one too).
        occurrences = {dump.text.count(email) for email in story.emails}
        assert occurrences == {1}, occurrences
    # The audit log holds counts only; respondents have no sessions.
    for event in dump.tables["orgs_auditevent"]:
        assert "@" not in (event["target"] or "") + (event["details"] or ""), event
    assert dump.tables.get("django_session", []) == []
