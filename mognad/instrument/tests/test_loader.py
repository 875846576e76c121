"""The loader turns YAML into a typed instrument and reports every problem with the node's path."""

from __future__ import annotations

from typing import Any

import pytest

from mognad.instrument.checker import version_key
from mognad.instrument.loader import InstrumentError, parse
from mognad.instrument.tests.factories import minimal_instrument, minimal_yaml, text, to_yaml

SOURCE = "instruments/tiny/1.0.yaml"
CAP0 = ("dimensions", 0, "categories", 0, "capabilities", 0)
LEGACY_ITEM = ("dimensions", 1, "categories", 0, "capabilities", 0, "items", 0)
LEGACY_ITEM_PATH = "dimensions[1].categories[0].capabilities[0].items[0]"


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def set_at(*path: Any, value: Any):
    def mutate(data: dict[str, Any]) -> None:
        _parent(data, path)[path[-1]] = value

    return mutate


def delete_at(*path: Any):
    def mutate(data: dict[str, Any]) -> None:
        del _parent(data, path)[path[-1]]

    return mutate


def append_at(*path: Any, value: Any):
    def mutate(data: dict[str, Any]) -> None:
        _parent(data, path)[path[-1]].append(value)

    return mutate


def _errors_for(mutate) -> list[str]:
    data = minimal_instrument()
    mutate(data)
    with pytest.raises(InstrumentError) as caught:
        parse(to_yaml(data), source=SOURCE)
    return caught.value.errors


def _weights(*values: float, at: tuple[Any, ...] = CAP0[:-1]):
    def mutate(data: dict[str, Any]) -> None:
        siblings = _parent(data, (*at, None))
        for sibling, value in zip(siblings, values, strict=False):
            sibling["weight"] = value

    return mutate


def _four_types(*quadrants: tuple[str, str]):
    def mutate(data: dict[str, Any]) -> None:
        for kind, (capability, legacy) in zip(data["types"], quadrants, strict=True):
            kind["capability"], kind["legacy"] = capability, legacy

    return mutate


def _extra_dimension() -> dict[str, Any]:
    item = {"id": "x.item", "text": text("Extra")}
    capability = {"id": "x.capability", "name": text("Extra"), "items": [item]}
    category = {
        "id": "x.category",
        "name": text("Extra"),
        "description": text("Extra"),
        "capabilities": [capability],
    }
    return {
        "id": "extra",
        "role": "legacy",
        "name": text("Extra"),
        "description": text("Extra"),
        "categories": [category],
    }


CASES = [
    # --- missing keys and empty or missing translations ---
    ("missing item text", delete_at(*LEGACY_ITEM, "text"), f"{LEGACY_ITEM_PATH}.text: missing"),
    (
        "missing English translation",
        delete_at(*LEGACY_ITEM, "text", "en"),
        f"{LEGACY_ITEM_PATH}.text.en: missing",
    ),
    (
        "empty Swedish translation",
        set_at(*LEGACY_ITEM, "text", "sv", value="  "),
        f"{LEGACY_ITEM_PATH}.text.sv: empty",
    ),
    (
        "missing category description",
        delete_at("dimensions", 0, "categories", 1, "description"),
        "dimensions[0].categories[1].description: missing",
    ),
    ("missing top-level key", delete_at("dont_know"), "dont_know: missing"),
    (
        "empty list of items",
        set_at(*CAP0, "items", value=[]),
        "dimensions[0].categories[0].capabilities[0].items: must not be empty",
    ),
    # --- wrong types ---
    (
        "text that is not a mapping",
        set_at(*LEGACY_ITEM, "text", value="Bara svenska"),
        f"{LEGACY_ITEM_PATH}.text: must be a mapping of keys, got a string",
    ),
    (
        "translation that is not a string",
        set_at(*LEGACY_ITEM, "text", "en", value=False),
        f"{LEGACY_ITEM_PATH}.text.en: must be a string, got true/false",
    ),
    (
        "a list that is a mapping",
        set_at("dimensions", 1, "categories", value={"id": "x"}),
        "dimensions[1].categories: must be a list, got a mapping",
    ),
    (
        "technical that is not a boolean",
        set_at(*LEGACY_ITEM, "technical", value="yes please"),
        f"{LEGACY_ITEM_PATH}.technical: must be true or false, got a string",
    ),
    (
        "an unquoted version",
        set_at("version", value=2026.1),
        'version: must be in quotes, e.g. version: "2026.1"; without quotes YAML reads it as the '
        "number 2026.1 (and 2026.10 as 2026.1)",
    ),
    (
        "a version that is not numbers and dots",
        set_at("version", value="v1"),
        "version: must be numbers separated by dots, e.g. \"2026.1\", got 'v1'",
    ),
    # --- unknown keys ---
    (
        "a typo in a key",
        lambda d: d["dimensions"][0].__setitem__("descripton", text("x")),
        "dimensions[0].descripton: unknown key (did you mean 'description'?)",
    ),
    (
        "an unsupported language",
        set_at(*LEGACY_ITEM, "text", "de", value="Keine"),
        f"{LEGACY_ITEM_PATH}.text.de: unknown key (allowed: sv, en)",
    ),
    # --- ids ---
    (
        "an id with capital letters",
        set_at(*LEGACY_ITEM, "id", value="Tek.Shadow"),
        f"{LEGACY_ITEM_PATH}.id: 'Tek.Shadow' is not a valid id: use lowercase letters, digits and "
        "_ . - and start with a letter",
    ),
    (
        "an item id used twice across the instrument",
        set_at(*LEGACY_ITEM, "id", value="eff.plan"),
        f"{LEGACY_ITEM_PATH}.id: duplicate item id 'eff.plan' "
        "(also at dimensions[0].categories[0].capabilities[0].items[1])",
    ),
    (
        "a category id used in both dimensions",
        set_at("dimensions", 1, "categories", 0, "id", value="innovation"),
        "dimensions[1].categories[0].id: duplicate category id 'innovation' "
        "(also at dimensions[0].categories[1])",
    ),
    (
        "a capability id used twice",
        set_at(*CAP0[:-1], 1, "id", value="eff.strategy"),
        "dimensions[0].categories[0].capabilities[1].id: duplicate capability id 'eff.strategy' "
        "(also at dimensions[0].categories[0].capabilities[0])",
    ),
    (
        "a type id used twice",
        set_at("types", 3, "id", value="stalled"),
        "types[3].id: duplicate type id 'stalled' (also at types[0])",
    ),
    # --- scale ---
    ("a scale without its sixth point", delete_at("scale", 6), None),
    (
        "a scale with a seventh point",
        set_at("scale", 7, value=text("Sju")),
        "scale.7: not a point of the scale (the points are 1 to 6)",
    ),
    ("a scale label without English", delete_at("scale", 3, "en"), "scale.3.en: missing"),
    (
        "a scale point in quotes",
        lambda d: d["scale"].__setitem__("2", d["scale"].pop(2)),
        [
            "scale.2: write the point as a number, without quotes",
            "scale: must have exactly the six points 1 to 6, each with a label; missing: 2",
        ],
    ),
    ("a missing don't know label", set_at("dont_know", value=None), None),
    # --- dimensions ---
    (
        "a third dimension",
        append_at("dimensions", value=_extra_dimension()),
        [
            "dimensions: must have exactly two dimensions (roles capability and legacy), found 3",
            "dimensions[2].role: role 'legacy' is already used by dimensions[1]",
        ],
    ),
    (
        "two dimensions with the same role",
        set_at("dimensions", 1, "role", value="capability"),
        [
            "dimensions[1].role: role 'capability' is already used by dimensions[0]",
            "dimensions: no dimension has the role 'legacy'",
        ],
    ),
    (
        "an unknown role",
        set_at("dimensions", 1, "role", value="heritage"),
        "dimensions[1].role: must be 'capability' or 'legacy', got 'heritage'",
    ),
    # --- weights ---
    (
        "a weight on only one sibling",
        _weights(1.0),
        "dimensions[0].categories[0].capabilities[1].weight: missing (a sibling has a weight, so "
        "every sibling needs one)",
    ),
    (
        "a zero weight",
        _weights(1.0, 0),
        "dimensions[0].categories[0].capabilities[1].weight: must be greater than 0, got 0",
    ),
    (
        "weights that do not sum to 1",
        _weights(0.5, 0.6),
        "dimensions[0].categories[0].capabilities: the weights sum to 1.1; siblings' weights must "
        "sum to 1",
    ),
    (
        "a weight that is not a number",
        _weights(0.5, "half"),
        "dimensions[0].categories[0].capabilities[1].weight: must be a number, got a string",
    ),
    # --- cut-offs ---
    (
        "a cut-off of 100",
        set_at("cutoffs", "legacy", value=100),
        "cutoffs.legacy: must be strictly between 0 and 100 (percent), got 100",
    ),
    (
        "a cut-off of 0",
        set_at("cutoffs", "capability", value=0),
        "cutoffs.capability: must be strictly between 0 and 100 (percent), got 0",
    ),
    ("a missing cut-off", delete_at("cutoffs", "legacy"), "cutoffs.legacy: missing"),
    # --- organization types ---
    (
        "only three types",
        lambda d: d["types"].pop(),
        "types: must have exactly four organization types (capability low/high × legacy "
        "limiting/enabling), found 3",
    ),
    (
        "two types for the same quadrant",
        _four_types(
            ("low", "limiting"), ("high", "limiting"), ("low", "enabling"), ("low", "enabling")
        ),
        [
            "types[3]: capability low × legacy enabling is already types[2]",
            "types: no type for capability high × legacy enabling",
        ],
    ),
    (
        "an unknown capability level",
        set_at("types", 0, "capability", value="medium"),
        "types[0].capability: must be 'low' or 'high', got 'medium'",
    ),
    (
        "too few recommendations",
        lambda d: d["types"][1]["recommendations"].pop(),
        "types[1].recommendations: must have 3 to 5 recommendations, found 2",
    ),
    (
        "too many recommendations",
        lambda d: d["types"][1]["recommendations"].extend([text("a"), text("b"), text("c")]),
        "types[1].recommendations: must have 3 to 5 recommendations, found 6",
    ),
    # --- glossary ---
    (
        "a glossary term twice",
        append_at("glossary", value={"term": text("Skugg-IT"), "definition": text("Igen")}),
        "glossary[1].term: duplicate glossary term 'Skugg-IT' (also at glossary[0])",
    ),
]

# Cases whose message is checked separately because it carries more detail.
SPECIAL = {
    "a scale without its sixth point": (
        "scale: must have exactly the six points 1 to 6, each with a label; missing: 6"
    ),
    "a missing don't know label": "dont_know: must be a mapping of keys, got nothing",
}


@pytest.mark.parametrize(("case", "mutate", "message"), CASES, ids=[c[0] for c in CASES])
def test_it_reports_the_path_of_the_bad_node(case, mutate, message):
    expected = message or SPECIAL[case]
    expected = [expected] if isinstance(expected, str) else expected
    assert _errors_for(mutate) == [f"{SOURCE}: {line}" for line in expected]


def test_the_minimal_instrument_is_valid():
    instrument = parse(minimal_yaml(), source=SOURCE)
    assert instrument.key == "tiny@1.0"
    assert instrument.item_ids == (
        "eff.strategy",
        "eff.plan",
        "eff.security",
        "inn.users",
        "tek.shadow_it",
    )
    assert instrument.items[-1].technical is True
    assert instrument.intro.en == "Welcome"
    assert [p.value for p in instrument.scale] == [1, 2, 3, 4, 5, 6]


def test_it_reports_all_problems_not_just_the_first():
    data = minimal_instrument()
    del data["dimensions"][1]["categories"][0]["capabilities"][0]["items"][0]["text"]["en"]
    data["cutoffs"]["capability"] = 150
    data["types"][2]["recommendations"] = []
    data["dimensions"][0]["nmae"] = text("x")
    data["version"] = 3

    with pytest.raises(InstrumentError) as caught:
        parse(to_yaml(data), source=SOURCE)

    assert caught.value.errors == [
        f'{SOURCE}: version: must be in quotes, e.g. version: "2026.1"; without quotes YAML reads '
        "it as the number 3 (and 2026.10 as 2026.1)",
        f"{SOURCE}: cutoffs.capability: must be strictly between 0 and 100 (percent), got 150",
        f"{SOURCE}: dimensions[0].nmae: unknown key (did you mean 'name'?)",
        f"{SOURCE}: {LEGACY_ITEM_PATH}.text.en: missing",
        f"{SOURCE}: types[2].recommendations: must not be empty",
        f"{SOURCE}: types[2].recommendations: must have 3 to 5 recommendations, found 0",
    ]


def test_the_error_lists_one_problem_per_line():
    data = minimal_instrument()
    data["cutoffs"] = {"capability": -1, "legacy": 101}
    with pytest.raises(InstrumentError) as caught:
        parse(to_yaml(data), source=SOURCE)
    assert str(caught.value).splitlines() == caught.value.errors
    assert len(caught.value.errors) == 2


def test_invalid_yaml_is_reported_with_its_line():
    broken = "id: tiny\nversion: '1.0'\nname: {sv: Liten, en: Tiny\nscale: 1\n"
    with pytest.raises(InstrumentError) as caught:
        parse(broken, source=SOURCE)
    [message] = caught.value.errors
    assert message.startswith(f"{SOURCE}: invalid YAML at line 4, column ")


def test_a_key_written_twice_is_an_error_not_a_silent_overwrite():
    doubled = minimal_yaml().replace("id: tiny\n", "id: tiny\nid: other\n", 1)
    with pytest.raises(InstrumentError) as caught:
        parse(doubled, source=SOURCE)
    assert caught.value.errors == [
        f"{SOURCE}: invalid YAML at line 2, column 1: the key 'id' appears twice (first on line 1)"
    ]


def test_a_document_that_is_not_a_mapping_is_rejected():
    with pytest.raises(InstrumentError) as caught:
        parse("- just\n- a list\n", source=SOURCE)
    assert caught.value.errors == [f"{SOURCE}: must be a mapping of keys, got a list"]


def test_an_empty_file_is_rejected():
    with pytest.raises(InstrumentError) as caught:
        parse("", source=SOURCE)
    assert caught.value.errors == [f"{SOURCE}: must be a mapping of keys, got nothing"]


def test_yaml_tags_that_build_python_objects_are_refused():
    with pytest.raises(InstrumentError) as caught:
        parse("id: !!python/object/apply:os.system ['true']\n", source=SOURCE)
    assert "invalid YAML at line 1" in caught.value.errors[0]


def test_omitted_weights_are_equal_and_sum_to_one():
    instrument = parse(minimal_yaml(), source=SOURCE)
    efficiency = instrument.categories[0]
    assert [c.weight for c in efficiency.capabilities] == [0.5, 0.5]
    assert [i.weight for i in efficiency.capabilities[0].items] == [0.5, 0.5]
    assert [d.weight for d in instrument.dimensions] == [0.5, 0.5]


def test_given_weights_are_kept_and_normalized():
    data = minimal_instrument()
    _weights(0.7, 0.3)(data)
    data["dimensions"][0]["categories"][0]["weight"] = 0.2505
    data["dimensions"][0]["categories"][1]["weight"] = 0.75
    instrument = parse(to_yaml(data), source=SOURCE)
    assert [c.weight for c in instrument.categories[0].capabilities] == pytest.approx([0.7, 0.3])
    weights = [c.weight for c in instrument.dimensions[0].categories]
    assert sum(weights) == pytest.approx(1.0)
    assert weights[0] == pytest.approx(0.2505 / 1.0005)


def test_a_missing_type_quadrant_is_named():
    data = minimal_instrument()
    _four_types(
        ("low", "limiting"), ("high", "limiting"), ("low", "enabling"), ("low", "limiting")
    )(data)
    with pytest.raises(InstrumentError) as caught:
        parse(to_yaml(data), source=SOURCE)
    assert caught.value.errors == [
        f"{SOURCE}: types[3]: capability low × legacy limiting is already types[0]",
        f"{SOURCE}: types: no type for capability high × legacy enabling",
    ]


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        (["2026.2", "2026.10", "2026.1"], ["2026.1", "2026.2", "2026.10"]),
        (["2027.1", "2026.9"], ["2026.9", "2027.1"]),
        (["1", "1.0.1", "1.0"], ["1", "1.0", "1.0.1"]),
    ],
)
def test_versions_compare_numerically_part_by_part(versions, expected):
    assert sorted(versions, key=version_key) == expected
