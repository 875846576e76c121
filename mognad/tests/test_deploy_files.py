"""The files in deploy/ are usable as shipped: the systemd units start programs that exist, systemd
and gunicorn accept them, and the backup script refuses what it cannot back up.

The whole stack running together is tested by `make stack` (mognad/tests/stack/).
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("mognad-*.service"))
INSTALLED = "/opt/mognad"  # where docs/deployment.md puts the code


def unit(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def test_the_units_are_the_ones_the_documentation_installs():
    names = {path.name for path in (DEPLOY / "systemd").iterdir()}
    assert names == {
        "mognad-web.service",
        "mognad-worker.service",
        "mognad-backup.service",
        "mognad-backup.timer",
    }
    documentation = (ROOT / "docs" / "deployment.md").read_text()
    for name in names:
        assert name in documentation


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_program_of_this_repository_with_the_production_settings(path):
    service = unit(path)["Service"]
    assert service["EnvironmentFile"] == "/etc/mognad/mognad.env"
    assert service["User"] == "mognad"
    command = shlex.split(service["ExecStart"])
    assert command[0].startswith(INSTALLED + "/")
    program = ROOT / command[0].removeprefix(INSTALLED + "/")
    assert program.is_file() and os.access(program, os.X_OK), program
    for argument in command[1:]:
        if argument.startswith(INSTALLED + "/"):
            assert (ROOT / argument.removeprefix(INSTALLED + "/")).is_file(), argument


def test_the_web_unit_uses_the_shipped_gunicorn_config_and_the_timer_starts_the_backup():
    web = shlex.split(unit(DEPLOY / "systemd" / "mognad-web.service")["Service"]["ExecStart"])
    assert web[web.index("--config") + 1] == f"{INSTALLED}/deploy/gunicorn.conf.py"
    worker = unit(DEPLOY / "systemd" / "mognad-worker.service")["Service"]["ExecStart"]
    assert shlex.split(worker)[1:] == ["worker"]
    timer = unit(DEPLOY / "systemd" / "mognad-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    for path in (DEPLOY / "systemd").iterdir():
        text = path.read_text().replace(INSTALLED, str(ROOT))
        (tmp_path / path.name).write_text(text)
    result = subprocess.run(  # noqa: S603 - a fixed program with our own files
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The only complaint allowed is about the environment file, which exists only once installed.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "/etc/mognad/mognad.env" not in line
    ]
    assert not problems, problems


def test_gunicorn_accepts_the_shipped_config(tmp_path):
    env = dict(os.environ, MOGNAD_DEBUG="true", DJANGO_SETTINGS_MODULE="mognad.settings")
    result = subprocess.run(  # noqa: S603 - our own interpreter's gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, "is not a PostgreSQL URL"),
        ({"MOGNAD_BACKUP_KEEP_DAYS": "two weeks"}, "is not a whole number of days"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
    ],
)
def test_the_backup_refuses_what_it_cannot_back_up_and_writes_nothing(tmp_path, variables, message):
    backups = tmp_path / "backups"
    env = dict(
        os.environ,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        MOGNAD_BACKUP_DIR=str(backups),
    )
    env.update(variables)
    result = subprocess.run(  # noqa: S603 - our own script
        [str(DEPLOY / "mognad-backup")], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert not backups.exists() or not list(backups.iterdir())


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_a_failing_pg_dump_leaves_no_partial_file(tmp_path):
    backups = tmp_path / "backups"
    env = dict(
        os.environ,
        # Nothing listens on port 1: pg_dump fails to connect.
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none?connect_timeout=2",
        MOGNAD_BACKUP_DIR=str(backups),
    )
    result = subprocess.run(  # noqa: S603 - our own script
        [str(DEPLOY / "mognad-backup")], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert list(backups.iterdir()) == []
