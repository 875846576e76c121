"""The default instrument, Mognad standard, is valid and complete."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mognad.instrument.loader import INSTRUMENTS_DIR, load_file
from mognad.instrument.schema import Text


@pytest.fixture(scope="module")
def standard():
    return load_file(INSTRUMENTS_DIR / "standard" / "2026.1.yaml")


def _texts(instrument):
    yield instrument.name
    yield instrument.intro
    yield instrument.dont_know
    yield from (point.label for point in instrument.scale)
    for dimension in instrument.dimensions:
        yield from (dimension.name, dimension.description)
        for category in dimension.categories:
            yield from (category.name, category.description, *category.suggestions)
            for capability in category.capabilities:
                yield from (capability.name, *capability.suggestions)
                yield from (item.text for item in capability.items)
    for kind in instrument.types:
        yield from (kind.name, kind.description, *kind.recommendations)
    for entry in instrument.glossary:
        yield from (entry.term, entry.definition)


def test_it_is_standard_2026_1(standard):
    assert standard.key == "standard@2026.1"
    assert standard.name == Text("Mognad standard", "Mognad standard")


def test_it_has_the_two_dimensions_of_the_model(standard):
    assert [(d.id, d.role, d.name.sv) for d in standard.dimensions] == [
        ("capability", "capability", "Digital förmåga"),
        ("legacy", "legacy", "Digitalt arv"),
    ]


def test_it_has_the_six_categories_of_the_model(standard):
    assert [(c.id, c.name.sv) for c in standard.categories] == [
        ("efficiency", "Effektivitet"),
        ("innovation", "Innovation"),
        ("balancing", "Balansering"),
        ("organization", "Organisation"),
        ("users", "Användare"),
        ("technology", "Teknik"),
    ]


def test_each_category_has_five_or_six_capabilities_with_one_statement_each(standard):
    for category in standard.categories:
        assert 5 <= len(category.capabilities) <= 6, category.id
        for capability in category.capabilities:
            assert len(capability.items) == 1, capability.id


def test_it_has_30_to_36_statements_about_the_respondents_organization(standard):
    assert 30 <= len(standard.items) <= 36
    for item in standard.items:
        assert item.text.sv.startswith("I vår organisation "), item.id
        assert item.text.en.startswith("In our organization, "), item.id


def test_item_ids_read_well_and_carry_their_category(standard):
    prefixes = {
        "efficiency": "eff.",
        "innovation": "inn.",
        "balancing": "bal.",
        "organization": "org.",
        "users": "anv.",
        "technology": "tek.",
    }
    for category in standard.categories:
        for capability in category.capabilities:
            for item in capability.items:
                assert re.fullmatch(r"[a-z]{3}\.[a-z_]+", item.id)
                assert item.id.startswith(prefixes[category.id])


def test_some_but_not_most_statements_are_marked_technical(standard):
    technical = [item.id for item in standard.items if item.technical]
    assert "tek.debt" in technical
    assert "inn.users" not in technical
    assert 0 < len(technical) < len(standard.items) / 2


def test_the_scale_runs_from_not_true_at_all_to_completely_true(standard):
    assert [p.value for p in standard.scale] == [1, 2, 3, 4, 5, 6]
    assert standard.scale[0].label.sv == "Stämmer inte alls"
    assert standard.scale[-1].label.sv == "Stämmer helt"
    assert standard.dont_know == Text("Vet ej", "Don't know")


def test_the_cut_offs_are_50_50(standard):
    assert (standard.capability_cutoff, standard.legacy_cutoff) == (50, 50)


def test_it_has_four_types_with_three_to_five_recommendations(standard):
    assert len(standard.types) == 4
    for capability in ("low", "high"):
        for legacy in ("limiting", "enabling"):
            kind = standard.type_for(capability, legacy)
            assert 3 <= len(kind.recommendations) <= 5
            sentences = [s for s in re.split(r"(?<=\.)\s+", kind.description.sv) if s]
            assert 2 <= len(sentences) <= 4, kind.id


def test_every_category_and_capability_has_improvement_suggestions(standard):
    for category in standard.categories:
        assert 2 <= len(category.suggestions) <= 3, category.id
        for capability in category.capabilities:
            assert 1 <= len(capability.suggestions) <= 2, capability.id


def test_the_glossary_explains_the_words_respondents_read_differently(standard):
    terms = {entry.term.sv.lower() for entry in standard.glossary}
    for wanted in [
        "it-funktionen",
        "verksamheten",
        "digitalisering",
        "nyttorealisering",
        "förvaltning (systemförvaltning)",
        "skugg-it",
        "teknisk skuld",
        "innovation",
        "informationssäkerhet",
        "öppna data",
    ]:
        assert wanted in terms


def test_every_text_is_in_both_languages_and_the_languages_differ(standard):
    texts = list(_texts(standard))
    assert len(texts) > 150
    for text in texts:
        assert text.sv.strip() and text.en.strip()
    translated = [t for t in texts if t.sv != t.en]
    # Only names that are the same in both languages (e.g. "Innovation") may be equal.
    assert len(translated) >= len(texts) - 5


def test_no_statement_is_repeated(standard):
    counts = Counter(item.text.sv for item in standard.items)
    assert max(counts.values()) == 1
