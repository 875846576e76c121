"""The production-stack test's tools: its processes, databases, nginx config and small HTTP and
polling helpers (mognad/tests/stack/test_production_stack.py uses them)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"


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


def http_get(port: int, path: str) -> dict[str, Any]:
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
