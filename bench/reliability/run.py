"""The scenario behind `make reliability`.

1. A private PostgreSQL cluster (throwaway folder, own port), a fresh database, migrations, the
   standard instrument, one organization with N respondents and a measurement inviting by email.
2. gunicorn (sync workers, 127.0.0.1), `mognad worker` and the mail sink start; the measurement
   opens, which queues N invitations.
3. N simulated respondents answer whole questionnaires, `--concurrency` at a time, while faults are
   injected: the mail sink stops mid-delivery and comes back; one gunicorn worker is killed with
   SIGKILL; PostgreSQL restarts (while email is being delivered, if it still is).
4. Afterwards: every acknowledged answer is in the database; every invitation reached the sink
   exactly once and carries its respondent's link; /healthz is ok without any restart by hand.

Everything is bounded: respondents, concurrency, retries, and a deadline for the whole run.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.reliability.accounting import (
    AnswerTally,
    MailTally,
    percentile,
    tally_answers,
    tally_mail,
)
from bench.reliability.client import Browser, ClientStats, loopback_address
from bench.reliability.journey import Journey, answer_questionnaire
from bench.reliability.services import (
    BIN,
    PrivateCluster,
    Process,
    children,
    free_port,
    wait_for_port,
    wait_healthy,
)
from bench.reliability.sink import read_record

ORG_SLUG = "lastby"
# Seconds from start to the end of the load; checks and shutting down take the rest of 5 minutes.
TOTAL_BUDGET = 230.0


@dataclass
class Options:
    respondents: int = 100
    concurrency: int = 25
    web_workers: int = 4
    deadline: float = 240.0
    seed: int = 6
    keep: bool = False


@dataclass
class Events:
    log: list[tuple[float, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def note(self, text: str) -> None:
        at = time.monotonic() - self.started
        self.log.append((at, text))
        print(f"  [{at:6.1f} s] {text}", flush=True)


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reliability",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--respondents", type=int, default=Options.respondents)
    parser.add_argument("--concurrency", type=int, default=Options.concurrency)
    parser.add_argument("--web-workers", type=int, default=Options.web_workers)
    parser.add_argument(
        "--deadline",
        type=float,
        default=Options.deadline,
        help="seconds the load may take (the whole run stays under 5 minutes)",
    )
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args(argv)
    if not 1 <= args.respondents <= 2000:
        parser.error("--respondents must be between 1 and 2000")
    if not 1 <= args.concurrency <= 200:
        parser.error("--concurrency must be between 1 and 200")
    if not 2 <= args.web_workers <= 16:
        parser.error("--web-workers must be between 2 and 16 (one of them is killed)")
    if not 10 <= args.deadline <= 240:
        parser.error("--deadline must be between 10 and 240 seconds")
    return Options(
        args.respondents, args.concurrency, args.web_workers, args.deadline, args.seed, args.keep
    )


def environment(database_url: str, web_port: int, sink_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MOGNAD_") and key != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        MOGNAD_DEBUG="false",
        # Plain HTTP on loopback: the HTTPS hardening (on by default outside debug) stays off.
        MOGNAD_SECURE="false",
        MOGNAD_SECRET_KEY=secrets.token_urlsafe(50),
        MOGNAD_ALLOWED_HOSTS="127.0.0.1",
        MOGNAD_BASE_URL=f"http://127.0.0.1:{web_port}",
        MOGNAD_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MOGNAD_EMAIL_HOST="127.0.0.1",
        MOGNAD_EMAIL_PORT=str(sink_port),
        MOGNAD_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="mognad.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- In-process Django: set-up before the load, verification after it -----------------------------


def set_up(respondents: int) -> int:
    """Migrate, publish the instrument, the organization, its respondents, a draft measurement."""
    from django.core.management import call_command

    from mognad.test import email_measurement

    call_command("migrate", verbosity=0, interactive=False)
    measurement = email_measurement(
        "Lastby kommun", ORG_SLUG, "lastby.example", respondents, english_every=5
    )
    return measurement.pk


def open_and_link(measurement_id: int) -> dict[str, str]:
    """Open the measurement (queues the invitations); email → link token."""
    from mognad.surveys import actions, tokens
    from mognad.surveys.models import Measurement

    measurement = Measurement.objects.get(pk=measurement_id)
    actions.open_measurement(measurement, by=None)
    return {
        respondent.email: tokens.token_for(respondent.nonce)
        for respondent in measurement.respondents.all()
        if respondent.nonce
    }


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    from mognad.platform.models import OutboxMessage

    return dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def stored_answers(tokens_by_email: dict[str, str]) -> dict[tuple[str, str], str]:
    from mognad.instrument.scale import DONT_KNOW
    from mognad.surveys import tokens
    from mognad.surveys.models import Answer

    by_key = {tokens.response_key(token): token for token in tokens_by_email.values()}
    rows = Answer.objects.filter(response__response_key__in=list(by_key)).values_list(
        "response__response_key", "item__item_id", "value"
    )
    return {
        (by_key[key], item): ("dk" if value == DONT_KNOW else str(value))
        for key, item, value in rows
    }


def submitted_responses(tokens_by_email: dict[str, str]) -> int:
    from mognad.surveys import tokens
    from mognad.surveys.models import Response

    keys = [tokens.response_key(token) for token in tokens_by_email.values()]
    return Response.objects.filter(response_key__in=keys, state=Response.State.SUBMITTED).count()


def queued_invitations(measurement_id: int) -> list[str]:
    from mognad.platform.models import OutboxMessage

    return list(
        OutboxMessage.objects.filter(
            dedupe_key__startswith=f"surveys:{measurement_id}:invitation:"
        ).values_list("to", flat=True)
    )


# --- The run -------------------------------------------------------------------------------------


class Scenario:
    def __init__(self, options: Options, folder: Path) -> None:
        self.options = options
        self.folder = folder
        self.events = Events()
        self.cluster = PrivateCluster(folder / "postgres", free_port())
        self.web_port = free_port()
        self.sink_port = free_port()
        self.record = str(folder / "sink.jsonl")
        self.env = environment(self.cluster.url, self.web_port, self.sink_port)
        self.stop = threading.Event()
        self.finished = 0
        self.finished_lock = threading.Lock()
        self.faults: dict[str, Any] = {}
        self.gunicorn = Process(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "mognad.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                str(options.web_workers),
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--backlog",
                "512",
            ],
            self.env,
            folder / "gunicorn.log",
        )
        self.worker = Process(
            "worker",
            [str(BIN / "mognad"), "worker", "--interval", "0.5"],
            self.env,
            folder / "worker.log",
        )
        self.sink: Process | None = None
        self.sink_restarted_with: int | None = None

    def start_sink(self) -> None:
        self.sink = Process(
            "sink",
            [
                sys.executable,
                "-m",
                "bench.reliability.sink",
                "--port",
                str(self.sink_port),
                "--record",
                self.record,
            ],
            self.env,
            self.folder / "sink.log",
        )
        self.sink.start()
        if not wait_for_port(self.sink_port, timeout=20):
            raise SystemExit("the mail sink did not start")

    def delivered(self) -> int:
        return len(read_record(self.record))

    # Faults run in their own thread, each when its moment comes; each wait is bounded.

    def _wait(self, condition: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stop.is_set():
            if condition():
                return True
            time.sleep(0.02)
        return condition()

    def _progress(self) -> float:
        return self.finished / self.options.respondents

    def _guarded(self, name: str, script: Any) -> threading.Thread:
        def run() -> None:
            try:
                script()
            except Exception as error:  # a broken fault script must not hang the run
                self.events.note(f"{name} fault failed: {error!r}")
                self.faults["error"] = repr(error)

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread

    def mail_fault(self) -> None:
        """The mail server goes away in the middle of delivering the invitations, for 12 s."""
        invitations = self.options.respondents
        self._wait(lambda: self.delivered() >= max(1, invitations // 10), 60)
        assert self.sink is not None
        self.sink.stop()
        self.faults["sink_stopped_after"] = self.delivered()
        self.events.note(
            f"mail sink stopped after {self.faults['sink_stopped_after']} of {invitations} "
            "invitations"
        )
        time.sleep(12)
        self.start_sink()
        self.sink_restarted_with = self.delivered()
        self.events.note("mail sink started again")

    def web_and_database_faults(self) -> None:
        """kill -9 one web worker while respondents answer; later PostgreSQL restarts, while
        email is being delivered if it still is."""
        self._wait(lambda: self._progress() >= 0.15, 90)
        workers = children(self.gunicorn.pid)
        if workers:
            victim = workers[len(workers) // 2]
            os.kill(victim, signal.SIGKILL)
            self.faults["killed_worker"] = victim
            self.events.note(f"gunicorn worker {victim} killed with SIGKILL ({len(workers)} ran)")
        invitations = self.options.respondents

        def delivering() -> bool:
            restarted = self.sink_restarted_with
            return restarted is not None and restarted < self.delivered() < invitations

        self._wait(lambda: delivering() or self._progress() >= 0.5, 90)
        self.faults["delivered_before_db_restart"] = self.delivered()
        self.events.note(
            f"PostgreSQL restarting ({self.delivered()} invitations delivered so far, "
            f"{self.finished} respondents finished)"
        )
        took = self.cluster.restart()
        self.faults["db_restart_seconds"] = took
        self.events.note(f"PostgreSQL back after {took:.1f} s")

    def respond(self, index: int, token: str) -> tuple[Journey, ClientStats]:
        browser = Browser("127.0.0.1", self.web_port, source=loopback_address(index))
        rng = random.Random(self.options.seed * 100_003 + index)
        journey = answer_questionnaire(browser, token, rng, self.stop)
        with self.finished_lock:
            self.finished += 1
        return journey, browser.stats

    def run(self) -> dict[str, Any]:
        options = self.options
        self.events.note(f"creating a private PostgreSQL cluster on 127.0.0.1:{self.cluster.port}")
        self.cluster.create()
        os.environ.update(self.env)
        import django
        from django.db import connections

        django.setup()
        measurement_id = set_up(options.respondents)
        self.events.note(f"database ready: {options.respondents} respondents, measurement draft")
        self.start_sink()
        self.gunicorn.start()
        self.worker.start()
        healthy, detail = wait_healthy(self.web_port, timeout=60)
        if not healthy:
            raise SystemExit(f"the app did not become healthy: {detail}")
        self.events.note(
            f"gunicorn ({options.web_workers} sync workers) on 127.0.0.1:{self.web_port}, "
            f"worker and mail sink up; /healthz ok"
        )
        tokens_by_email = open_and_link(measurement_id)
        connections.close_all()
        self.events.note(f"measurement opened: {len(tokens_by_email)} invitations queued")

        # The load may use what is left of the five minutes, less a reserve for the checks.
        deadline = min(options.deadline, TOTAL_BUDGET - (time.monotonic() - self.events.started))
        timer = threading.Timer(max(deadline, 10.0), self.stop.set)
        timer.daemon = True
        load_started = time.monotonic()
        faults = [
            self._guarded("mail", self.mail_fault),
            self._guarded("web and database", self.web_and_database_faults),
        ]
        timer.start()
        people = sorted(tokens_by_email.items())
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            outcomes = list(
                pool.map(lambda pair: self.respond(pair[0], pair[1][1]), enumerate(people))
            )
        load_seconds = time.monotonic() - load_started
        timer.cancel()
        self.events.note(f"load finished in {load_seconds:.1f} s")
        self.stop.set()
        for thread in faults:
            thread.join(timeout=60)

        # Recovery: no restart by hand. The app must answer /healthz ok and the outbox drain.
        healthy, health = wait_healthy(self.web_port, timeout=60)
        self.events.note(f"/healthz after the faults: {'ok' if healthy else health}")
        drained = False
        deadline = time.monotonic() + 60
        counts: dict[str, int] = {}
        while time.monotonic() < deadline:
            try:
                counts = outbox_counts()
            except Exception:  # the database may still be coming back
                connections.close_all()
                time.sleep(1)
                continue
            if not counts.get("pending") and not counts.get("sending"):
                drained = True
                break
            time.sleep(1)
        self.events.note(f"outbox {'drained' if drained else 'NOT drained'}: {counts}")
        time.sleep(1)  # let the sink finish writing its last message
        web_workers_after = len(children(self.gunicorn.pid))
        worker_alive = self.worker.alive()
        gunicorn_alive = self.gunicorn.alive()
        connections.close_all()

        journeys = [journey for journey, _stats in outcomes]
        stats = [stats for _journey, stats in outcomes]
        acknowledged = {
            (journey.token, item): value
            for journey in journeys
            for item, value in journey.acknowledged.items()
        }
        answers = tally_answers(acknowledged, stored_answers(tokens_by_email))
        received = read_record(self.record)
        mail = tally_mail(
            queued_invitations(measurement_id),
            [address for message in received for address in message["to"]],
        )
        wrong_links = sum(
            1
            for message in received
            for address in message["to"]
            if tokens_by_email.get(address) != message["token"]
        )
        latencies = [value for s in stats for value in s.latencies]
        error_kinds: dict[str, int] = {}
        for s in stats:
            for kind, count in s.error_kinds.items():
                error_kinds[kind] = error_kinds.get(kind, 0) + count
        failures: dict[str, int] = {}
        for journey in journeys:
            if journey.failure:
                failures[journey.failure] = failures.get(journey.failure, 0) + 1
        return {
            "respondents": options.respondents,
            "concurrency": options.concurrency,
            "web_workers": options.web_workers,
            "load_seconds": load_seconds,
            "completed": sum(1 for j in journeys if j.submitted),
            "submitted_in_database": submitted_responses(tokens_by_email),
            "failures": failures,
            "requests": sum(s.requests for s in stats),
            "errors": sum(s.errors for s in stats),
            "error_kinds": error_kinds,
            "retries": sum(s.retries for s in stats),
            "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
            "p95_ms": percentile(latencies, 0.95) * 1000 if latencies else 0.0,
            "answers": answers,
            "mail": mail,
            "wrong_links": wrong_links,
            "outbox": counts,
            "outbox_drained": drained,
            "healthy": healthy,
            "gunicorn_alive": gunicorn_alive,
            "web_workers_after": web_workers_after,
            "worker_alive": worker_alive,
            "faults": self.faults,
            "events": self.events.log,
        }

    def shut_down(self) -> None:
        for process in (self.gunicorn, self.worker, self.sink):
            if process is not None:
                process.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not be set up yet)
            pass
        if self.options.keep:
            self.cluster.stop()
        else:
            self.cluster.remove()


def verdict(result: dict[str, Any]) -> list[str]:
    """What went wrong, in words; empty when the run passed."""
    problems = []
    answers: AnswerTally = result["answers"]
    mail: MailTally = result["mail"]
    if answers.lost:
        problems.append(f"{answers.lost} acknowledged answers are missing from the database")
    if answers.changed:
        problems.append(f"{answers.changed} stored answers differ from the acknowledged value")
    if mail.missing:
        problems.append(f"{mail.missing} invitations were never delivered")
    if mail.duplicates:
        problems.append(f"{mail.duplicates} invitations were delivered more than once")
    if mail.unexpected:
        problems.append(f"{mail.unexpected} messages went to someone never invited")
    if result["wrong_links"]:
        problems.append(f"{result['wrong_links']} invitations carry the wrong link")
    if not result["healthy"]:
        problems.append("/healthz did not recover")
    if not (result["gunicorn_alive"] and result["worker_alive"]):
        problems.append("gunicorn or the worker died")
    if result["web_workers_after"] != result["web_workers"]:
        problems.append("gunicorn did not replace the killed worker")
    gave_up = {why: n for why, n in result["failures"].items() if why != "stopped at the deadline"}
    if gave_up:
        problems.append(f"respondents gave up on an unexpected answer: {gave_up}")
    if result["completed"] < result["respondents"] / 2:
        problems.append(
            f"only {result['completed']} of {result['respondents']} respondents finished before "
            "the deadline: too few to judge (the machine is too busy; use fewer --respondents)"
        )
    if result["submitted_in_database"] < result["completed"]:
        problems.append("a respondent saw the thank-you page but the response is not submitted")
    if "error" in result["faults"]:
        problems.append(f"fault injection failed: {result['faults']['error']}")
    return problems


def report(result: dict[str, Any], command: str, total_seconds: float) -> str:
    answers: AnswerTally = result["answers"]
    mail: MailTally = result["mail"]
    errors = ", ".join(f"{kind} × {n}" for kind, n in sorted(result["error_kinds"].items()))
    lines = [
        f"command: {command}",
        f"total run: {total_seconds:.0f} s (load {result['load_seconds']:.0f} s)",
        f"respondents: {result['respondents']} ({result['concurrency']} at a time), "
        f"completed {result['completed']}, submitted in the database "
        f"{result['submitted_in_database']}",
        f"requests: {result['requests']} (p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, under faults)",
        f"errors seen by clients: {result['errors']} ({errors or 'none'}); "
        f"retries {result['retries']}",
        f"answers acknowledged: {answers.acknowledged}",
        f"answers in the database: {answers.stored} "
        f"({answers.unacknowledged_stored} saved but never acknowledged to the client)",
        f"answers lost: {answers.lost}; stored with another value: {answers.changed}",
        f"emails queued: {mail.queued}, delivered: {mail.delivered}, duplicates: "
        f"{mail.duplicates}, missing: {mail.missing}, wrong link: {result['wrong_links']}",
        f"outbox afterwards: {result['outbox']}",
        f"recovery: /healthz {'ok' if result['healthy'] else 'FAILED'}; gunicorn workers "
        f"{result['web_workers_after']}/{result['web_workers']}; worker "
        f"{'alive' if result['worker_alive'] else 'DEAD'}; no manual restart",
    ]
    if result["failures"]:
        lines.append(
            "respondents who gave up: "
            + "; ".join(f"{why} × {n}" for why, n in result["failures"].items())
        )
    lines.append("timeline:")
    lines.extend(f"  {at:6.1f} s  {text}" for at, text in result["events"])
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    options = parse(argv)
    command = "python -m bench.reliability " + " ".join(argv) if argv else "make reliability"
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="mognad-reliability-"))
    os.chmod(folder, 0o755)  # noqa: S103 (the postgres user must reach its data folder)
    scenario = Scenario(options, folder)
    try:
        result = scenario.run()
    finally:
        scenario.shut_down()
    total = time.monotonic() - started
    print()
    print(report(result, command, total))
    problems = verdict(result)
    if options.keep or problems:
        print(f"logs kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print(
        "\nPASSED: no acknowledged answer lost, every invitation delivered exactly once, "
        "recovered without a manual restart"
    )
    return 0
