"""The moving parts of the scenario, each a real process on loopback: a private PostgreSQL cluster,
gunicorn, `mognad worker` and the mail sink.

The cluster is private (a throwaway data folder, its own port) so that restarting "the database"
never disturbs anyone else's PostgreSQL on the machine; it is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<n>/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise SystemExit("PostgreSQL is not installed (apt-get install -y postgresql)")


class PrivateCluster:
    """initdb into a temporary folder, listen on 127.0.0.1:<port> only, trust auth."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        self.port = port
        self.bin = postgres_bin()
        # PostgreSQL refuses to run as root: run it as the "postgres" user then.
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/mognad_reliability"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(  # noqa: S603 (fixed programs, our own arguments)
            command, check=check, capture_output=True, text=True, timeout=120
        )

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user:
            record = pwd.getpwnam(self.user)
            os.chown(self.folder, record.pw_uid, record.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.folder}'\nmax_connections = 100\n"
                "fsync = on\nshared_buffers = 64MB\n"
            )
        self.start()
        self._run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "mognad_reliability",
        )

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def restart(self) -> float:
        """Restart the server (fast mode: every connection is cut); returns the seconds it took."""
        started = time.perf_counter()
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-m",
            "fast",
            "restart",
        )
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Process:
    """A child process with its output in a log file; stopped by its own id only."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as output:
            self.popen = subprocess.Popen(  # noqa: S603 (fixed programs, our own arguments)
                self.command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, *, timeout: float = 15.0) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(5)


def children(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers), from /proc."""
    found: list[int] = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            found.extend(int(part) for part in Path(task).read_text().split())
        except OSError:
            continue
    return sorted(set(found))


def healthz(port: int, *, path: str = "/healthz", timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


def wait_healthy(port: int, *, timeout: float) -> tuple[bool, str]:
    """Wait until the web serves (/healthz) and a worker beats (/healthz/worker): both 200."""
    deadline = time.monotonic() + timeout
    detail = ""
    while time.monotonic() < deadline:
        answers = [(path, *healthz(port, path=path)) for path in ("/healthz", "/healthz/worker")]
        if all(status == 200 for _path, status, _body in answers):
            return True, " ".join(body for _path, _status, body in answers)
        detail = "; ".join(f"{path}: {status} {body}" for path, status, body in answers)
        time.sleep(0.5)
    return False, detail
