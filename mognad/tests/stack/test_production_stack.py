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

Then: a measurement is opened (the workers send the invitations to the sink), every respondent
takes the link from their email and answers the whole questionnaire through nginx, the measurement
is closed and the workers score it. Checked: every email reached the sink exactly once; no periodic
job ran twice within its period and the measurement was scored once, across both workers' logs;
both gunicorn instances served; HSTS and Secure cookies arrive through the proxy. Finally
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
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bench.reliability.client import Browser, loopback_address
from bench.reliability.journey import answer_questionnaire
from bench.reliability.services import free_port, healthz, wait_for_port
from bench.reliability.sink import read_record
from mognad.tests.test_deploy_check import documented_settings

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
# Own databases on the CI's server, named per run: two runs at once (CI on main and a developer's)
# never drop each other's.
DATABASE = f"mognad_stack_{os.getpid()}"
RESTORE_DATABASE = f"{DATABASE}_restore"
RESPONDENTS = 6  # more than the anonymity threshold k = 5, so the organization's result is released
JOB_LINE = re.compile(r"periodic job (\S+) ran \(claimed at (\S+)\)")
SCORED_LINE = re.compile(r"measurement (\d+) scored: (\d+) groups stored")


def wait_until(what: str, check: Callable[[], Any], *, timeout: float, every: float = 0.5) -> Any:
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Processes:
    """Every process the test starts, each stopped by its own id in teardown."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with open(self.log(name), "ab") as output:
            process = subprocess.Popen(  # noqa: S603 - our own programs and arguments
                command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        self.started.append((name, process))
        return process

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def read(self, name: str) -> str:
        return self.log(name).read_text(errors="replace")

    def alive(self, name: str) -> bool:
        return any(n == name and p.poll() is None for n, p in self.started)

    def stop(self, name: str) -> None:
        for process_name, process in self.started:
            if process_name == name and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)

    def stop_all(self) -> None:
        """SIGTERM to every one still running, then wait for each (20 s in all), then SIGKILL."""
        running = [process for _name, process in self.started if process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def run(command: list[str], env: dict[str, str], *, timeout: float = 120) -> str:
    result = subprocess.run(  # noqa: S603 - our own programs and arguments
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def scenario(env: dict[str, str], command: str, argument: int) -> dict[str, Any]:
    output = run([sys.executable, "-m", "mognad.tests.stack.scenario", command, str(argument)], env)
    return json.loads(output.strip().splitlines()[-1])


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail(
            "the production-stack test needs a PostgreSQL server: run it as "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make stack"
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str, *names: str) -> None:
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{names[0]}"')


def drop_databases(url: str, *names: str) -> None:
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def nginx_program() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    return found


def unprivileged(command: list[str], folder: Path) -> list[str]:
    """nginx never runs as root here: as root, drop to nobody (who then owns the folder)."""
    if os.geteuid() != 0:
        return command
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, 65534, 65534)
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", *command]


def shipped_snippet(folder: Path) -> Path:
    """deploy/nginx/mognad-proxy.conf, copied byte for byte beside the generated config: nginx runs
    as nobody, who may not be able to read the checkout (e.g. under /root)."""
    copy = folder / "mognad-proxy.conf"
    shutil.copyfile(DEPLOY / "nginx" / "mognad-proxy.conf", copy)
    return copy


def nginx_config(folder: Path, listen: int, upstreams: list[int], static: Path) -> Path:
    """A complete nginx.conf around the shipped proxy snippet: loopback, no TLS, no root."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in upstreams
    )
    temp = folder / "nginx-temp"
    temp.mkdir()
    snippet = shipped_snippet(folder)
    config = folder / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log notice;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream mognad_web {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{listen};
        server_name 127.0.0.1;
        client_max_body_size 6m;
        location /static/ {{
            alias {static}/;
            gzip_static on;
        }}
        location / {{
            include {snippet};
            # This nginx stands for the TLS end: to Mognad every request arrived over HTTPS.
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""
    )
    return config


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
        """As docs/deployment.md says: migrate once, collect static files, check."""
        run([self.mognad, "migrate", "--no-input", "-v", "0"], self.env, timeout=300)
        run([self.mognad, "collectstatic", "--no-input", "-v", "0"], self.env)
        run([self.mognad, "check", "--deploy", "--fail-level", "WARNING"], self.env)
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
        reply = _get(self.proxy_port, "/accounts/login/")
        assert reply["status"] == 200, reply
        hsts = reply["headers"].get("strict-transport-security", "")
        assert hsts.startswith("max-age=31536000"), reply["headers"]
        cookies = [c for c in reply["cookies"] if c.startswith("mognad_csrf=")]
        assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies
        # A load balancer checks each gunicorn directly over plain HTTP: /healthz answers there,
        # everything else is redirected to HTTPS.
        for port in self.web_ports:
            assert _get(port, "/healthz")["status"] == 200
            reply = _get(port, "/accounts/login/")
            assert reply["status"] == 301, reply
            assert reply["headers"]["location"] == f"https://127.0.0.1:{port}/accounts/login/"
        stylesheet = next(self.static.rglob("*.css")).relative_to(self.static)
        reply = _get(self.proxy_port, f"/static/{stylesheet}")
        assert reply["status"] == 200 and reply["headers"]["content-type"].startswith("text/css")

    def open_and_deliver(self) -> tuple[int, list[str]]:
        """Open a measurement; the workers deliver the invitations; their links."""
        measurement = scenario(self.env, "setup", RESPONDENTS)["measurement"]
        messages = wait_until(
            "the invitations in the sink",
            lambda: (
                (found := read_record(str(self.record))) and len(found) >= RESPONDENTS and found
            ),
            timeout=60,
        )
        tokens = [message["token"] for message in messages]
        assert all(tokens), messages
        self.note(f"opened; {len(messages)} invitations delivered by the workers")
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
        """Close; the workers score. The facts just before the close and after the scoring."""
        closing = scenario(self.env, "close", measurement)
        assert closing["state"] == "closed"
        answered = closing["before"]
        assert answered["submitted"] == RESPONDENTS
        wait_until(
            "the scoring by the workers",
            lambda: not self.scoring_due(measurement),
            timeout=60,
        )
        self.note("closed and scored by a worker")
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


def self_signed_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


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


def _get(port: int, path: str) -> dict[str, Any]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        return {
            "status": response.status,
            "headers": {name.lower(): value for name, value in response.getheaders()},
            "cookies": response.headers.get_all("Set-Cookie") or [],
        }
    finally:
        connection.close()
