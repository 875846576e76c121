"""Saving an answer page under 50 concurrent respondents, side by side with a trivial Django view.

product.md §9: saving an answer page has p95 under 100 ms with 50 respondents answering at once, and
at least half the throughput of a trivial Django view measured in the same run.

Set-up (in a child process): a fresh PostgreSQL database (bench_answer_save on BENCH_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432; SQLite if that server does not answer), the standard
instrument, an open measurement with 50 respondents who have started answering, and gunicorn with
2 × cores sync workers on 127.0.0.1. The trivial view is added by a benchmark-only URLconf
(bench/reliability/bench_urls.py), never by the product's URLs. The clients are 50 threads, each
respondent on its own loopback address, plain http.client, a new connection per request (gunicorn's
sync workers close each one).

Three measurements:
- throughput, closed loop (each client sends its next request as soon as the last one is answered),
  in alternating rounds of the trivial view and of answer-page saves (POST of a whole page, 302);
- latency of the saves in that closed loop (the worst case: 50 people pressing "Save" non-stop);
- latency of the saves when each of the 50 respondents saves a page every 2 s on average (25 saves/s
  offered; a real person spends far longer on a page): the figure held against the p95 target.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.reliability.child import (
    database_label,
    django_env,
    drop_postgres,
    emit,
    fresh_postgres,
    postgres_available,
    run_in_child,
    setup_django,
    temporary_sqlite,
)

RESPONDENTS = 50
ROUND_SECONDS = 8.0
ROUNDS = 2  # of each kind, alternating
PACED_SECONDS = 20.0
PACED_INTERVAL = 2.0
TARGET_P95_MS = 100.0
TARGET_RATIO = 0.5


def _prepare() -> tuple[int, list[str]]:
    """An open measurement with RESPONDENTS respondents; returns its id and their link tokens."""
    from django.conf import settings
    from django.utils import timezone

    from mognad.instrument.actions import publish_instrument
    from mognad.orgs.models import Organization
    from mognad.surveys import actions, tokens
    from mognad.surveys.models import Measurement, Respondent

    version = publish_instrument(
        Path(settings.BASE_DIR) / "instruments" / "standard" / "2026.1.yaml"
    )
    org = Organization.objects.create(name="Bänkby kommun", slug="bankby", kind="municipality")
    measurement = Measurement.objects.create(
        organization=org,
        year=timezone.localdate().year,
        instrument=version,
        invitation_mode=Measurement.InvitationMode.EMAIL,
        reminder_days="",
    )
    Respondent.objects.bulk_create(
        Respondent(measurement=measurement, email=f"r{n:03d}@bankby.example", role="staff")
        for n in range(RESPONDENTS)
    )
    actions.open_measurement(measurement, by=None)
    return measurement.pk, [
        tokens.token_for(r.nonce) for r in measurement.respondents.order_by("email") if r.nonce
    ]


class Respondent:
    """One client: starts answering, then saves pages of the questionnaire again and again."""

    def __init__(self, port: int, index: int, token: str) -> None:
        from bench.reliability.client import Browser, loopback_address, parse_form

        self.browser = Browser(
            "127.0.0.1", port, source=loopback_address(index), attempts=1, timeout=30
        )
        self.token = token
        self.rng = random.Random(index)
        base = f"/r/{token}/"
        reply = self.browser.request("GET", base)
        form = parse_form(reply.body)
        reply = self.browser.request("POST", base, {"csrfmiddlewaretoken": form.csrf or ""})
        if reply.status != 302:
            raise SystemExit(f"starting to answer failed: {reply.status}")
        self.pages: list[tuple[str, dict[str, str], str]] = []
        for number in range(1, 7):
            page = f"{base}{number}/"
            reply = self.browser.request("GET", page)
            form = parse_form(reply.body)
            self.pages.append((page, form.options, form.csrf or ""))

    def save(self) -> float:
        page, options, csrf = self.pages[self.rng.randrange(len(self.pages))]
        fields = {"csrfmiddlewaretoken": csrf, "go": "next"}
        fields.update({f"item_{item}": self.rng.choice(values) for item, values in options.items()})
        started = time.perf_counter()
        reply = self.browser.request("POST", page, fields)
        took = time.perf_counter() - started
        if reply.status != 302:
            raise RuntimeError(f"save failed: {reply.status}")
        return took

    def trivial(self) -> float:
        started = time.perf_counter()
        reply = self.browser.request("GET", "/bench/trivial/")
        took = time.perf_counter() - started
        if reply.status != 200:
            raise RuntimeError(f"trivial view failed: {reply.status}")
        return took


def _closed_loop(clients: list[Respondent], kind: str, seconds: float) -> tuple[int, list[float]]:
    stop = time.perf_counter() + seconds
    times: list[float] = []
    lock = threading.Lock()

    def loop(client: Respondent) -> None:
        mine = []
        action = client.save if kind == "save" else client.trivial
        while time.perf_counter() < stop:
            mine.append(action())
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times), times


def _paced(clients: list[Respondent], seconds: float, interval: float) -> list[float]:
    """Each respondent waits a random time (mean `interval`) between saves."""
    stop = time.perf_counter() + seconds
    times: list[float] = []
    lock = threading.Lock()

    def loop(client: Respondent) -> None:
        mine = []
        time.sleep(client.rng.uniform(0, interval))
        while time.perf_counter() < stop:
            mine.append(client.save())
            time.sleep(client.rng.uniform(0.5 * interval, 1.5 * interval))
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _cpu_by_process_kind() -> dict[str, float]:
    """CPU seconds used so far by the processes of each kind on this machine (from /proc).

    Only processes alive now are counted, so take the difference of two snapshots while the same
    processes run (gunicorn's workers and PostgreSQL's backends live through the whole run:
    connections are persistent).
    """
    tick = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    totals = dict.fromkeys(("Django (gunicorn)", "PostgreSQL", "benchmark clients", "other"), 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(entry.name) == me:
            kind = "benchmark clients"
        elif b"gunicorn" in command:
            kind = "Django (gunicorn)"
        elif stat.split(" ", 2)[1].startswith("(postgres"):
            kind = "PostgreSQL"
        else:
            kind = "other"
        totals[kind] += seconds
    return totals


def _ms(values: list[float], fraction: float) -> float:
    from bench.reliability.accounting import percentile

    return percentile(values, fraction) * 1000


def child(argv: list[str]) -> None:
    from bench.reliability.services import BIN, Process, free_port, wait_for_port

    setup_django()
    label = database_label()
    _measurement, tokens = _prepare()
    from django.db import connections

    connections.close_all()
    port = free_port()
    workers = 2 * (os.cpu_count() or 1)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.reliability.bench_settings")
    log = Path(argv[0]) / "gunicorn.log" if argv else Path(os.devnull)
    server = Process(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "mognad.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "512",
            "--timeout",
            "60",
        ],
        env,
        log,
    )
    server.start()
    try:
        if not wait_for_port(port, timeout=120):
            raise SystemExit("the benchmark server did not start")
        clients = [Respondent(port, n, token) for n, token in enumerate(tokens)]
        for client in clients:  # warm up every worker
            client.save()
            client.trivial()
        counts = {"save": 0, "trivial": 0}
        times: dict[str, list[float]] = {"save": [], "trivial": []}
        cpu: dict[str, dict[str, float]] = {"save": {}, "trivial": {}}
        for _round in range(ROUNDS):
            for kind in ("trivial", "save"):
                before = _cpu_by_process_kind()
                done, taken = _closed_loop(clients, kind, ROUND_SECONDS)
                after = _cpu_by_process_kind()
                for name, seconds in after.items():
                    used = max(0.0, seconds - before.get(name, 0.0))
                    cpu[kind][name] = cpu[kind].get(name, 0.0) + used
                counts[kind] += done
                times[kind] += taken
        paced = _paced(clients, PACED_SECONDS, PACED_INTERVAL)
    finally:
        server.stop()
    seconds = ROUNDS * ROUND_SECONDS
    save_rate, trivial_rate = counts["save"] / seconds, counts["trivial"] / seconds
    ratio = save_rate / trivial_rate if trivial_rate else 0.0
    size = f"{RESPONDENTS} concurrent respondents, gunicorn {workers} sync workers, {label}"
    p95_paced = _ms(paced, 0.95)
    emit(
        {
            "figure": "answer-page save, paced (each respondent saves every ~2 s): p50 / p95",
            "value": p95_paced,
            "unit": f"ms p95 (p50 {_ms(paced, 0.5):.0f} ms, {len(paced)} saves, "
            f"{len(paced) / PACED_SECONDS:.1f} saves/s)",
            "size": size,
            "target": f"p95 < {TARGET_P95_MS:.0f} ms",
            "ok": p95_paced < TARGET_P95_MS,
        }
    )
    emit(
        {
            "figure": "answer-page save, closed loop (no pause): p50 / p95",
            "value": _ms(times["save"], 0.95),
            "unit": f"ms p95 (p50 {_ms(times['save'], 0.5):.0f} ms; trivial view p50 "
            f"{_ms(times['trivial'], 0.5):.0f} ms, p95 {_ms(times['trivial'], 0.95):.0f} ms)",
            "size": size,
            "target": "– (saturation: shown for the record)",
            "ok": None,
        }
    )
    emit(
        {
            "figure": "answer-page saves vs a trivial Django view, throughput (same run)",
            "value": ratio * 100,
            "unit": f"% ({save_rate:.1f} saves/s vs {trivial_rate:.1f} trivial requests/s, "
            f"{ROUNDS} alternating rounds of {ROUND_SECONDS:.0f} s each)",
            "size": size,
            "target": f"≥ {TARGET_RATIO * 100:.0f} %",
            "ok": ratio >= TARGET_RATIO,
        }
    )
    for kind in ("save", "trivial"):
        per_request = {name: used / max(counts[kind], 1) * 1000 for name, used in cpu[kind].items()}
        parts = ", ".join(f"{name} {ms:.2f}" for name, ms in per_request.items())
        emit(
            {
                "figure": f"CPU per request, closed loop: {kind}",
                "value": sum(v for k, v in per_request.items() if k != "other"),
                "unit": f"ms of CPU ({parts}; 'other' is not counted: other jobs on the machine)",
                "size": size,
                "target": "–",
                "ok": None,
            }
        )
    print(
        f"median save {statistics.median(times['save']) * 1000:.0f} ms, "
        f"median trivial {statistics.median(times['trivial']) * 1000:.0f} ms"
    )


def run() -> list[dict[str, Any]]:
    if postgres_available():
        url = fresh_postgres("bench_answer_save")
        try:
            return run_in_child(__name__, [], django_env(url), timeout=900)
        finally:
            drop_postgres("bench_answer_save")
    print("    PostgreSQL is not reachable: measuring on SQLite instead")
    url, folder = temporary_sqlite()
    try:
        return run_in_child(__name__, [], django_env(url), timeout=900)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__" and "--child" in sys.argv:
    child(sys.argv[2:])
