import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mognad import settings

ROOT = Path(__file__).resolve().parents[2]
READ_IN_CODE = re.compile(r"env(?:str|bool|int|list|secret)\(\s*\"([A-Z_]+)\"")
DOCUMENTED = re.compile(r"^\| `([A-Z_]+)` \|", re.MULTILINE)


def test_every_variable_the_code_reads_is_documented_and_nothing_else():
    in_code = set(READ_IN_CODE.findall((ROOT / "mognad" / "settings.py").read_text()))
    documented = set(DOCUMENTED.findall((ROOT / "docs" / "configuration.md").read_text()))
    assert in_code, "the pattern must find the variables"
    assert in_code == documented


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("FALSE", False), ("0", False)]
)
def test_booleans_accept_true_false_one_and_zero(monkeypatch, raw, expected):
    monkeypatch.setenv("MOGNAD_X", raw)
    assert settings.envbool("MOGNAD_X", not expected) is expected


def test_a_boolean_that_is_not_understood_stops_startup_with_its_name(monkeypatch):
    monkeypatch.setenv("MOGNAD_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="MOGNAD_X='maybe' is not a boolean"):
        settings.envbool("MOGNAD_X", False)


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("MOGNAD_X", "1")
    with pytest.raises(ImproperlyConfigured, match="must be at least 2"):
        settings.envint("MOGNAD_X", 5, minimum=2)


def test_there_is_no_fallback_secret_outside_debug(monkeypatch):
    monkeypatch.delenv("MOGNAD_X", raising=False)
    with pytest.raises(ImproperlyConfigured, match="MOGNAD_X is not set"):
        settings.envsecret("MOGNAD_X", debug=False)
    assert settings.envsecret("MOGNAD_X", debug=True)
