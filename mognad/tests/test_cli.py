import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOGNAD = Path(sys.executable).parent / "mognad"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOGNAD_")}
    return subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [str(MOGNAD), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_offline_scoring_needs_no_secret_key_or_database():
    result = _run(
        "score",
        "docs/examples/example-1.csv",
        "--instrument",
        "docs/examples/mini-instrument.yaml",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["respondents"] > 0


def test_other_commands_still_refuse_to_start_without_a_secret_key():
    result = _run("check")
    assert result.returncode != 0
    assert "MOGNAD_SECRET_KEY is not set" in result.stderr
