"""docs/scoring.md states the point scores of its worked examples in `json expected` blocks; the
engine and the `mognad score` command must reproduce every one of them."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from mognad.instrument.loader import find_instrument
from mognad.scoring.answerfile import read_answers
from mognad.scoring.engine import score
from mognad.scoring.structure import Structure

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "scoring.md"
LEVELS = ("dimensions", "categories", "capabilities", "items")


def expected_blocks() -> list[dict]:
    text = DOC.read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json expected\n(.*?)```", text, re.S)]


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def test_the_doc_states_at_least_two_worked_examples():
    files = [block["file"] for block in expected_blocks()]
    assert len(files) >= 2
    assert all((ROOT / f).is_file() for f in files)


@pytest.mark.parametrize("expected", expected_blocks(), ids=lambda block: block["file"])
def test_the_engine_reproduces_the_worked_example(expected):
    instrument = find_instrument(str(ROOT / expected["instrument"]))
    structure = Structure.from_instrument(instrument)
    answers = read_answers(ROOT / expected["file"], structure.item_ids).answers
    result = score(answers, structure)

    assert result.respondents == expected["respondents"]
    assert rounded(result.overall.score) == expected["overall"]
    for level in LEVELS:
        actual = {k: rounded(v.score) for k, v in getattr(result, level).items()}
        assert actual == expected[level], level
    for item, counts in expected.get("item_counts", {}).items():
        found = result.items[item]
        assert [found.n, found.dont_know, found.unanswered] == counts, item
    assert result.quadrant.type_id == expected["quadrant"]
    assert list(result.strengths) == expected["strengths"]
    assert list(result.weaknesses) == expected["weaknesses"]
    for category, figures in expected["consensus"].items():
        consensus = result.consensus[category]
        assert rounded(consensus.sd) == figures["sd"], category
        agreement = None if consensus.agreement is None else round(consensus.agreement, 2)
        assert agreement == figures["agreement"], category
    flags = [f"{f.code} {f.subject}".strip() for f in result.flags]
    assert flags == expected["flags"]


@pytest.mark.parametrize("expected", expected_blocks(), ids=lambda block: block["file"])
def test_the_score_command_reproduces_the_worked_example(expected):
    out = StringIO()
    call_command(
        "score",
        str(ROOT / expected["file"]),
        "--instrument",
        str(ROOT / expected["instrument"]),
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["respondents"] == expected["respondents"]
    assert data["overall"]["score"] == expected["overall"]
    for level in LEVELS:
        assert {k: v["score"] for k, v in data[level].items()} == expected[level], level
    assert data["quadrant"]["type"] == expected["quadrant"]
    assert data["strengths"] == expected["strengths"]
    assert data["weaknesses"] == expected["weaknesses"]
    for category, figures in expected["consensus"].items():
        assert {k: data["consensus"][category][k] for k in ("sd", "agreement")} == figures
    assert [f"{f['code']} {f['subject']}".strip() for f in data["flags"]] == expected["flags"]
