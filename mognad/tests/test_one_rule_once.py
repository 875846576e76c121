"""Each domain rule is written once and imported (issue 16): a test fails when one is restated.

The answer scale lives in `instrument/scale.py`, the content-language rule in
`instrument/schema.content_language`, the type certainty in the scoring engine, the peer minimum
on `results.models.Benchmark`, the maturity types and their order in the instrument
(`Instrument.types`). The scan reads the code (not comments or docstrings) of every
module in mognad/ outside tests and migrations.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation

from mognad.instrument.language import active_language
from mognad.instrument.scale import HIGHEST, LOWEST, SCALE
from mognad.instrument.schema import Text, content_language
from mognad.scoring.engine import CERTAIN_QUADRANT

MOGNAD = Path(__file__).resolve().parents[1]


def _code_modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(MOGNAD.rglob("*.py")):
        parts = path.relative_to(MOGNAD).parts
        if "migrations" in parts or "tests" in parts or parts[-1] == "test.py":
            continue
        name = path.relative_to(MOGNAD).as_posix()
        found.append((name, ast.parse(path.read_text(encoding="utf-8"), filename=name)))
    return found


def _ints(nodes: list[ast.expr]) -> list[object]:
    return [n.value if isinstance(n, ast.Constant) else None for n in nodes]


def restated_scale(tree: ast.Module) -> list[int]:
    """Lines writing the scale out: (1, …, 6) as a literal, range(1, 7), a clip to 1 and 6."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and _ints(node.elts) == list(SCALE):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            args = _ints(node.args)
            if (name == "range" and args == [LOWEST, HIGHEST + 1]) or (
                name == "clip" and args[1:] == [LOWEST, HIGHEST]
            ):
                lines.append(node.lineno)
    return lines


def restated_language_rule(tree: ast.Module) -> list[int]:
    """Lines deciding the content language: `….startswith("en")`, `get_language()[:2]`."""
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "startswith"
            and _ints(node.args) in (["en"], ["sv"])
        ) or (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Slice)
            and "get_language" in ast.unparse(node.value)
        ):
            lines.append(node.lineno)
    return lines


def restated_type_ids(tree: ast.Module, type_ids: frozenset[str]) -> list[int]:
    """Lines naming a maturity type by its id in code (a string constant, not a docstring)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in type_ids and id(node) not in docstrings
    ]


def _type_ids() -> frozenset[str]:
    from mognad.instrument.loader import find_instrument

    return frozenset(t.id for t in find_instrument(None).types)


def test_the_answer_scale_is_written_out_only_in_scale_py():
    found = [
        f"{name}:{line}"
        for name, tree in _code_modules()
        if name != "instrument/scale.py"
        for line in restated_scale(tree)
    ]
    assert not found, "Import SCALE/LOWEST/HIGHEST from mognad.instrument.scale: " + str(found)


def test_the_content_language_rule_is_written_once():
    found = [
        f"{name}:{line}"
        for name, tree in _code_modules()
        if name != "instrument/schema.py"
        for line in restated_language_rule(tree)
    ]
    assert not found, "Use instrument.schema.content_language / language.active_language: " + str(
        found
    )


def test_the_maturity_types_and_their_order_come_from_the_instrument():
    type_ids = _type_ids()
    found = [
        f"{name}:{line}"
        for name, tree in _code_modules()
        for line in restated_type_ids(tree, type_ids)
    ]
    assert not found, "Take the types (and their order) from Instrument.types: " + str(found)


def test_the_scan_finds_a_type_written_out_and_passes_over_docstrings():
    source = '"""stalled"""\nORDER = ("stalled", "forerunner")\nx = "stall"'
    assert restated_type_ids(ast.parse(source), _type_ids()) == [2, 2]


@pytest.mark.parametrize(
    "source",
    [
        "x = (1, 2, 3, 4, 5, 6)",
        "for p in range(1, 7): pass",
        "a = np.clip(v, 1, 6)",
        "b = [1, 2, 3, 4, 5, 6]",
    ],
)
def test_the_scan_finds_a_restated_scale(source):
    assert restated_scale(ast.parse(source)) == [1]


@pytest.mark.parametrize(
    "source",
    ['lang = "en" if code.startswith("en") else "sv"', "t = text.get(get_language()[:2])"],
)
def test_the_scan_finds_a_restated_language_rule(source):
    assert restated_language_rule(ast.parse(source)) == [1]


def test_the_scan_leaves_other_code_alone():
    tree = ast.parse("x = (1, 2, 3)\nfor p in range(0, 7): pass\nname.startswith('erased:')")
    assert restated_scale(tree) == [] and restated_language_rule(tree) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [("sv", "sv"), ("en", "en"), ("en-gb", "en"), ("EN", "en"), ("de", "sv"), (None, "sv")],
)
def test_the_content_language_is_english_for_any_english_code_else_swedish(code, expected):
    assert content_language(code) == expected
    assert (
        Text("svenska", "english").get(code or "") == {"sv": "svenska", "en": "english"}[expected]
    )


def test_the_active_language_follows_the_request():
    with translation.override("en"):
        assert active_language() == "en"
    with translation.override("sv"):
        assert active_language() == "sv"


def test_the_uncertain_type_sentence_states_the_engines_certainty():
    from mognad.instrument.loader import find_instrument
    from mognad.results.pages import overview

    figures = SimpleNamespace(flags=lambda group: [], quadrant=lambda g, i: {"uncertain": True})
    page = SimpleNamespace(figures=figures, instrument=find_instrument(None), lang="en")
    with translation.override("en"):
        (text,) = overview.flag_texts(page, ("organization", ""))
    assert f"no type reaches {round(CERTAIN_QUADRANT * 100)} % probability" in text


def test_no_template_writes_out_the_peer_minimum():
    import re

    from mognad.results.models import Benchmark

    pattern = re.compile(rf"\b{Benchmark.MIN_PEERS} organi[sz]ations?\b")
    found = [
        f"{path.relative_to(MOGNAD)}:{number}"
        for path in sorted(MOGNAD.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, "Pass Benchmark.MIN_PEERS to the template instead: " + str(found)
