"""The audit log reads as sentences: every code an action writes has one, in Swedish and English,
with its counts in agreement ("1 påminnelse skickades", "12 påminnelser skickades"); an unknown
code still reads as words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from mognad.orgs.audit import audit
from mognad.orgs.audit_sentences import SENTENCES, sentence

ROOT = Path(__file__).resolve().parents[2]  # mognad/


def codes_written() -> dict[str, str]:
    """Every audit code the code base writes (a literal, or either branch of `a if x else b`),
    with where: `audit("measurement.close", …)` and friends outside the tests."""
    found: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            if name != "audit":
                continue
            first = node.args[0]
            choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for choice in choices:
                if isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                    found[choice.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_code_in_use_has_a_sentence():
    written = codes_written()
    assert len(written) >= 40  # the scan finds the actions' calls
    assert "measurement.close" in written and "measurement.reopen" in written
    missing = {code: where for code, where in written.items() if code not in SENTENCES}
    assert missing == {}


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_every_sentence_reads_in_both_languages(code):
    details = {"invited": 3, "reminded": 2, "copied": 2, "rows": 2, "days": 30}
    texts = {}
    for language in ("sv", "en"):
        with translation.override(language):
            texts[language] = text = sentence(code, details)
        assert text and (text[0].isupper() or text[0].isdigit()) and text.endswith(".")
        assert code not in text and "%(" not in text
    assert texts["sv"] != texts["en"]  # translated


def test_counts_agree_in_number():
    with translation.override("sv"):
        assert sentence("measurement.remind", {"reminded": 12}) == "12 påminnelser skickades."
        assert sentence("measurement.remind", {"reminded": 1}) == "1 påminnelse skickades."
        assert sentence("measurement.close", {}) == "Mätningen stängdes."
        assert sentence("measurement.invite", {"invited": 1}) == "1 inbjudan skickades."
    with translation.override("en"):
        assert sentence("measurement.remind", {"reminded": 1}) == "1 reminder was sent."
        assert sentence("measurement.remind", {"reminded": 12, "scheduled": True}) == (
            "12 scheduled reminders were sent."
        )


def test_an_unknown_code_or_odd_details_still_read_as_words():
    with translation.override("sv"):
        assert sentence("sso.login_refused_twice", {}) == "Annan händelse: sso login refused twice"
        assert sentence("measurement.remind", {"reminded": "many"}) == "0 påminnelser skickades."
        assert sentence("", {}) == "Annan händelse: –"


@pytest.mark.django_db
def test_the_audit_page_shows_sentences_not_codes(alice_client, alice, ankeby):
    audit("measurement.close", by=alice, organization=ankeby, target="Ankeby kommun 2026")
    audit("measurement.remind", by=alice, organization=ankeby, target="x", reminded=12)
    content = alice_client.get("/orgs/ankeby-kommun/audit/").content.decode()
    assert "Mätningen stängdes." in content and "12 påminnelser skickades." in content
    assert "measurement.close" not in content and "measurement.remind" not in content
