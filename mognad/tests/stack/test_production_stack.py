"""The production stack of docs/deployment.md, started locally and used as respondents use it.

`make stack` (a gate of .ci/run) runs this with DATABASE_URL pointing at a PostgreSQL server:

- its own database `mognad_stack_<pid>` on that server, migrated; static files collected;
- the settings of deploy/mognad.env (MOGNAD_DEBUG off, MOGNAD_SECURE on by default, one trusted
  proxy), only host names, secrets and ports replaced;
- TWO gunicorn instances with deploy/gunicorn.conf.py on loopback ports, and nginx in front as an
  unprivileged foreground process with a generated config that includes
  deploy/nginx/mognad-proxy.conf and says X-Forwarded-Proto: https (it stands for the TLS end, so
  plain HTTP on loopback is HTTPS to Mognad);
- TWO `mognad worker` processes and an SMTP sink (aiosmtpd) on loopback.

Then, all through nginx: the key user logs in (password and TOTP code: two-factor authentication
is required for key users) and opens the measurement (the workers send the invitations to the
sink); every respondent takes the link from their email and answers the whole questionnaire; the
key user closes the measurement and the workers score it. Checked: every email reached the sink
exactly once; no periodic job ran twice within its period and the measurement was scored once,
across both workers' logs; both gunicorn instances served; HSTS and Secure cookies arrive through
the proxy; with the workers stopped, /healthz stays 200 and /healthz/worker turns 503. Finally
deploy/mognad-backup dumps the database and deploy/mognad-restore-drill restores it and counts the
same rows. Every process is stopped in teardown; every wait is bounded.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pyotp
import pytest

from bench.reliability.client import Browser, loopback_address, parse_form
from bench.reliability.journey import answer_questionnaire
from bench.reliability.services import free_port, healthz, wait_for_port
from bench.reliability.sink import read_record
from mognad.tests.stack.services import (
    BIN,
    DEPLOY,
    Processes,
    drop_databases,
    http_get,
    nginx_config,
    nginx_program,
    recreate_database,
    run,
    self_signed_certificate,
    server_url,
    shipped_snippet,
    unprivileged,
    wait_until,
    with_database,
)
from mognad.tests.test_deploy_check import documented_settings

pytestmark = pytest.mark.stack

# Own databases on the CI's server, named per run: two runs at once (CI on main and a developer's)
# never drop each other's.
DATABASE = f"mognad_stack_{os.getpid()}"
RESTORE_DATABASE = f"{DATABASE}_restore"
RESPONDENTS = 6  # more than the anonymity threshold k = 5, so the organization's result is released
JOB_LINE = re.compile(r"periodic job (\S+) ran \(claimed at (\S+)\)")
SCORED_LINE = re.compile(r"measurement (\d+) scored: (\d+) groups stored")


def scenario(env: dict[str, str], command: str, argument: int) -> dict[str, Any]:
    output = run([sys.executable, "-m", "mognad.tests.stack.scenario", command, str(argument)], env)
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def stack_folder() -> Iterator[Path]:
    # Not pytest's tmp_path: nginx runs as nobody and must reach its files (mode 0755).
    folder = Path(tempfile.mkdtemp(prefix="mognad-stack-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_production_stack_serves_respondents_and_workers_do_everything_once(stack_folder):
    url = server_url()
    stack = Stack(stack_folder, with_database(url, DATABASE), nginx_program())
    recreate_database(url, DATABASE, RESTORE_DATABASE)
    try:
        stack.start_web_proxy_and_sink()  # none of them needs the database to start
        stack.install()
        stack.start_workers()
        stack.check_the_proxy()
        measurement, tokens = stack.open_and_deliver()
        stack.answer(tokens)
        answered, facts = stack.close_and_score(measurement)
        stack.check_no_email_twice(answered["outbox"])
        stack.check_no_job_twice(measurement, facts)
        stack.backup_and_restore(facts["counts"])
        stack.check_health_without_workers()
    finally:
        stack.processes.stop_all()
        drop_databases(url, DATABASE, RESTORE_DATABASE)
    stack.note("everything stopped, databases dropped")


class Stack:
    """The stack's processes, ports and settings, and the steps of the scenario in order."""

    def __init__(self, folder: Path, database_url: str, nginx: str) -> None:
        self.folder, self.nginx = folder, nginx
        self.processes = Processes(folder)
        self.began = time.monotonic()
        self.web_ports = [free_port(), free_port()]
        self.proxy_port, self.sink_port = free_port(), free_port()
        self.static = folder / "static"
        self.record = folder / "sink.jsonl"
        self.mognad = str(BIN / "mognad")
        self.env = self.settings(database_url)

    def note(self, what: str) -> None:
        print(f"  [{time.monotonic() - self.began:5.1f} s] {what}", flush=True)

    def settings(self, database_url: str) -> dict[str, str]:
        """deploy/mognad.env with this machine's names and ports; nothing else of ours."""
        base = f"https://127.0.0.1:{self.proxy_port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("MOGNAD_")
            and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "WEB_CONCURRENCY"}
        }
        env.update(documented_settings())
        env.update(
            DATABASE_URL=database_url,
            MOGNAD_SECRET_KEY=secrets.token_urlsafe(50),
            MOGNAD_ALLOWED_HOSTS="127.0.0.1",
            MOGNAD_CSRF_TRUSTED_ORIGINS=base,
            MOGNAD_BASE_URL=base,
            MOGNAD_STATIC_ROOT=str(self.static),
            MOGNAD_EMAIL_HOST="127.0.0.1",
            MOGNAD_EMAIL_PORT=str(self.sink_port),
            MOGNAD_EMAIL_USE_TLS="false",
            MOGNAD_EMAIL_USER="",
            MOGNAD_EMAIL_PASSWORD="",
            MOGNAD_LOG_LEVEL="INFO",
            # Short, so that the stopped workers show on /healthz/worker within the test.
            MOGNAD_WORKER_HEARTBEAT_MAX_AGE="10",
            # One process per instance: two instances are the point, and CI has two cores.
            WEB_CONCURRENCY="1",
            DJANGO_SETTINGS_MODULE="mognad.settings",
            PYTHONUNBUFFERED="1",
        )
        assert "MOGNAD_SECURE" not in env and "MOGNAD_DEBUG" not in env
        assert env["MOGNAD_TRUSTED_PROXIES"] == "1"
        return env

    def install(self) -> None:
        """As docs/deployment.md says: migrate once, collect static files, check. The last two
        need no database, so they run while the migrations do."""
        migrate = subprocess.Popen(  # noqa: S603 - our own program and arguments
            [self.mognad, "migrate", "--no-input", "-v", "0"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            run([self.mognad, "collectstatic", "--no-input", "-v", "0"], self.env)
            run([self.mognad, "check", "--deploy", "--fail-level", "WARNING"], self.env)
            output, _ = migrate.communicate(timeout=300)
        finally:
            if migrate.poll() is None:
                migrate.kill()
                migrate.wait(5)
        assert migrate.returncode == 0, output
        self.note("migrated, static files collected, check --deploy clean")

    def start_web_proxy_and_sink(self) -> None:
        start = self.processes.start
        sink = ["-m", "bench.reliability.sink", "--port", str(self.sink_port)]
        start("sink", [sys.executable, *sink, "--record", str(self.record)], self.env)
        gunicorn = [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py")]
        for number, port in enumerate(self.web_ports, 1):
            start(f"web{number}", [*gunicorn, "--bind", f"127.0.0.1:{port}"], self.env)
        self.static.mkdir()
        config = nginx_config(self.folder, self.proxy_port, self.web_ports, self.static)
        error_log = str(self.folder / "nginx-error.log")
        nginx = unprivileged([self.nginx, "-e", error_log, "-c", str(config)], self.folder)
        start("nginx", nginx, self.env)

    def start_workers(self) -> None:
        for number in (1, 2):
            # -v 2: each periodic job's run is logged with the time of its claim.
            self.processes.start(f"worker{number}", [self.mognad, "worker", "-v", "2"], self.env)
        for port in [self.sink_port, *self.web_ports, self.proxy_port]:
            assert wait_for_port(port, timeout=60), f"nothing on {port}: {self.logs()}"
        wait_until(
            "/healthz and /healthz/worker through the proxy",
            lambda: all(
                healthz(self.proxy_port, path=path)[0] == 200
                for path in ("/healthz", "/healthz/worker")
            ),
            timeout=60,
        )
        self.note("two gunicorn, nginx, two workers and the mail sink up; /healthz ok via nginx")

    def check_the_proxy(self) -> None:
        """HTTPS hardening arrives through nginx; static files come from nginx itself."""
        reply = http_get(self.proxy_port, "/accounts/login/")
        assert reply["status"] == 200, reply
        hsts = reply["headers"].get("strict-transport-security", "")
        assert hsts.startswith("max-age=31536000"), reply["headers"]
        cookies = [c for c in reply["cookies"] if c.startswith("mognad_csrf=")]
        assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies
        # A load balancer checks each gunicorn directly over plain HTTP: /healthz answers there,
        # everything else is redirected to HTTPS.
        for port in self.web_ports:
            assert http_get(port, "/healthz")["status"] == 200
            reply = http_get(port, "/accounts/login/")
            assert reply["status"] == 301, reply
            assert reply["headers"]["location"] == f"https://127.0.0.1:{port}/accounts/login/"
        stylesheet = next(self.static.rglob("*.css")).relative_to(self.static)
        reply = http_get(self.proxy_port, f"/static/{stylesheet}")
        assert reply["status"] == 200 and reply["headers"]["content-type"].startswith("text/css")

    def log_in(self, login: dict[str, str]) -> Browser:
        """The key user logs in through nginx: password, then the TOTP code (2FA is required)."""
        browser = Browser("127.0.0.1", self.proxy_port, source="127.0.0.2", scheme="https")
        reply = browser.request("GET", "/accounts/login/")
        assert reply.status == 200, reply.status
        fields = {"username": login["email"], "password": login["password"]}
        reply = browser.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": parse_form(reply.body).csrf or ""} | fields,
        )
        assert (reply.status, reply.location) == (302, "/accounts/2fa/verify/"), reply.status
        reply = browser.request("GET", "/accounts/2fa/verify/")
        code = pyotp.TOTP(login["totp_secret"]).now()
        reply = browser.request(
            "POST",
            "/accounts/2fa/verify/",
            {"csrfmiddlewaretoken": parse_form(reply.body).csrf or "", "code": code},
        )
        assert reply.status == 302 and reply.location != "/accounts/2fa/verify/", reply.status
        return browser

    def step(self, browser: Browser, measurement: int, step: str) -> None:
        """The key user confirms a step (open, close) on the measurement's page, through nginx."""
        path = f"/measurements/{measurement}/{step}/"
        reply = browser.request("GET", path)
        assert reply.status == 200, (path, reply.status, reply.location)
        csrf = parse_form(reply.body).csrf or ""
        reply = browser.request("POST", path, {"csrfmiddlewaretoken": csrf, "confirm": "1"})
        # 302 to the measurement's page when done; 303 when the step was refused.
        assert reply.status == 302, (path, reply.status, reply.location)

    def open_and_deliver(self) -> tuple[int, list[str]]:
        """The key user opens the measurement; the workers deliver the invitations; their links."""
        setup = scenario(self.env, "setup", RESPONDENTS)
        measurement = setup["measurement"]
        self.key_user = self.log_in(setup["key_user"])
        self.step(self.key_user, measurement, "open")
        messages = wait_until(
            "the invitations in the sink",
            lambda: (
                (found := read_record(str(self.record))) and len(found) >= RESPONDENTS and found
            ),
            timeout=60,
        )
        tokens = [message["token"] for message in messages]
        assert all(tokens), messages
        self.note(f"key user logged in (TOTP) and opened; {len(messages)} invitations delivered")
        return measurement, tokens

    def answer(self, tokens: list[str]) -> None:
        """Every respondent answers the whole questionnaire through nginx, three at a time."""
        stop = threading.Event()

        def respond(index: int) -> Any:
            source = loopback_address(index)
            browser = Browser("127.0.0.1", self.proxy_port, source=source, scheme="https")
            return answer_questionnaire(browser, tokens[index], random.Random(index), stop)

        with ThreadPoolExecutor(max_workers=3) as pool:
            journeys = list(pool.map(respond, range(len(tokens)), timeout=240))
        failures = [journey.failure for journey in journeys if not journey.submitted]
        assert not failures, f"{failures}\n{self.logs()}"
        for name in ("web1", "web2"):
            assert '"POST /r/' in self.processes.read(name), f"{name} served no answers"
        self.note("answered and submitted, through both gunicorn instances")

    def close_and_score(self, measurement: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The key user closes; the workers score. The facts before the close and after scoring
        (closing an anonymous measurement deletes its emails from the outbox)."""
        answered = scenario(self.env, "facts", measurement)
        assert answered["submitted"] == RESPONDENTS
        self.step(self.key_user, measurement, "close")
        self.key_user.close()
        wait_until(
            "the scoring by the workers",
            lambda: not self.scoring_due(measurement),
            timeout=60,
        )
        self.note("key user closed it; scored by a worker")
        alive = [self.processes.alive(name) for name in ("worker1", "worker2")]
        assert all(alive), self.logs()
        # Stopped (SIGTERM: the job in hand is finished) so that their logs are complete.
        self.processes.stop("worker1")
        self.processes.stop("worker2")
        facts = scenario(self.env, "facts", measurement)
        organization = [r for r in facts["results"] if r["kind"] == "organization"]
        assert organization == [{"kind": "organization", "key": "", "respondents": RESPONDENTS}]
        return answered, facts

    def scoring_due(self, measurement: int) -> bool:
        with psycopg.connect(self.env["DATABASE_URL"], connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT scoring_due FROM surveys_measurement WHERE id = %s", (measurement,)
            ).fetchone()
        assert row is not None
        return bool(row[0])

    def check_health_without_workers(self) -> None:
        """The workers are stopped: the balancer's /healthz stays 200, monitoring's turns 503."""
        wait_until(
            "/healthz/worker to report the stopped workers",
            lambda: healthz(self.proxy_port, path="/healthz/worker")[0] == 503,
            timeout=30,
        )
        status, body = healthz(self.proxy_port, path="/healthz")
        assert status == 200 and json.loads(body)["worker"] == "stale", body
        self.note("workers gone: /healthz 200 (worker stale), /healthz/worker 503")

    def check_no_email_twice(self, outbox: list[dict[str, Any]]) -> None:
        """`outbox` as it was before the close (closing an anonymous measurement deletes it)."""
        delivered = read_record(str(self.record))
        recipients = [address for message in delivered for address in message["to"]]
        assert sorted(recipients) == sorted(m["to"] for m in outbox), delivered
        assert len(set(recipients)) == len(recipients) == RESPONDENTS
        message_ids = [message["message_id"] for message in delivered]
        assert len(set(message_ids)) == len(message_ids)
        assert {(m["status"], m["attempts"]) for m in outbox} == {("sent", 1)}

    def check_no_job_twice(self, measurement: int, facts: dict[str, Any]) -> None:
        """Over both workers' logs: each job's runs a period apart, the measurement scored once."""
        assert len(facts["workers"]) == 2, facts["workers"]
        runs: dict[str, list[datetime]] = {}
        scored: list[str] = []
        per_worker = []
        for number in (1, 2):
            log = self.processes.read(f"worker{number}")
            found = JOB_LINE.findall(log)
            per_worker.append(len(found))
            for name, claimed in found:
                runs.setdefault(name, []).append(datetime.fromisoformat(claimed))
            scored += [m for m, _groups in SCORED_LINE.findall(log) if int(m) == measurement]
        assert scored == [str(measurement)], "the measurement must be scored exactly once"
        for name in ("orgs.deliver_outbox", "results.score_due_measurements"):
            times = sorted(runs.get(name, []))
            assert len(times) >= 3, f"{name} ran {len(times)} times"
            gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
            assert min(gaps) >= 5.0, f"{name} ran twice within its 5 s period: {gaps}"
        for name, times in runs.items():
            assert len(set(times)) == len(times), f"{name} ran twice for one claim"
        assert all(claims == 1 for claims in facts["task_claims"]), facts["task_claims"]
        shares = " + ".join(str(n) for n in per_worker)
        self.note(f"no email twice, no job twice ({shares} job runs by the two workers)")

    def backup_and_restore(self, live_counts: dict[str, int]) -> None:
        backups = self.folder / "backups"
        env = dict(
            self.env,
            MOGNAD_BACKUP_DIR=str(backups),
            MOGNAD_RESTORE_DATABASE=RESTORE_DATABASE,
            MOGNAD_COMMAND=self.mognad,
        )
        dump = run([str(DEPLOY / "mognad-backup")], env).strip().splitlines()[-1]
        assert Path(dump).parent == backups and Path(dump).stat().st_mode & 0o077 == 0
        output = run([str(DEPLOY / "mognad-restore-drill"), dump], env, timeout=300)
        assert "restore drill passed" in output, output
        restored = {
            table: int(rows)
            for table, rows in re.findall(r"^(\w+) (\d+)$", output, flags=re.MULTILINE)
        }
        assert restored == live_counts, output
        assert restored["surveys_answer"] > 0 and restored["surveys_measurementresult"] > 0
        self.note("backup taken and restore drill passed")
        print(output)

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{self.processes.read(name)[-3000:]}"
            for name, _process in self.processes.started
        )


def test_nginx_accepts_the_shipped_site_with_a_certificate_in_place(stack_folder):
    """deploy/nginx/mognad.conf as docs/deployment.md installs it: only the TLS placeholders and
    the snippet's path replaced, inside a minimal nginx.conf; `nginx -t` must accept it."""
    nginx = nginx_program()
    certificate, key = self_signed_certificate(stack_folder, "mognad.example.se")
    live = "/etc/letsencrypt/live/mognad.example.se"
    site = (DEPLOY / "nginx" / "mognad.conf").read_text()
    # `nginx -t` binds the ports: free loopback ports instead of 80 and 443 (no root needed).
    replacements = {
        f"{live}/fullchain.pem": str(certificate),
        f"{live}/privkey.pem": str(key),
        "/etc/nginx/snippets/mognad-proxy.conf": str(shipped_snippet(stack_folder)),
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{free_port()} ssl http2;",
        "listen [::]:443 ssl http2;": "",
    }
    for placeholder, replacement in replacements.items():
        assert placeholder in site, placeholder
        site = site.replace(placeholder, replacement)
    (stack_folder / "site.conf").write_text(site)
    config = stack_folder / "nginx.conf"
    config.write_text(
        f"""pid {stack_folder}/nginx.pid;
error_log {stack_folder}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {stack_folder}/body;
    proxy_temp_path {stack_folder}/proxy;
    fastcgi_temp_path {stack_folder}/fastcgi;
    uwsgi_temp_path {stack_folder}/uwsgi;
    scgi_temp_path {stack_folder}/scgi;
    include {stack_folder}/site.conf;
}}
"""
    )
    command = [nginx, "-t", "-e", str(stack_folder / "nginx-error.log"), "-c", str(config)]
    result = subprocess.run(  # noqa: S603 - nginx with our own files
        unprivileged(command, stack_folder), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test is successful" in result.stderr
