"""The demo's examples: written by us, published from organizations whose released results show
the rise, only what is missing, never over a user's change or removal."""

from __future__ import annotations

import pytest

from mognad.examples import actions
from mognad.examples.models import Example
from mognad.examples.seeds import SEEDS, ensure_demo_examples
from mognad.instrument.loader import load_file
from mognad.orgs.models import Organization
from mognad.results.tests.factories import Answers, closed_measurement
from mognad.surveys.tests.factories import STANDARD

pytestmark = pytest.mark.django_db


def test_every_seed_names_real_capabilities_and_no_organization():
    capabilities = {cap.id for cap in load_file(STANDARD).capabilities}
    assert len({s.key for s in SEEDS}) == len(SEEDS) >= 10
    for seed in SEEDS:
        assert set(seed.capabilities) <= capabilities
        words = f"{seed.title} {seed.what_was_done} {seed.contact_role}"
        assert "kommun " not in words.lower() and "region " not in words.lower()
    assert {s.named for s in SEEDS} == {True, False}


@pytest.fixture
def demo_organizations(db):
    """Three municipalities (one like Ankeby) that raised everything from 2025 to 2026, and one
    that stayed where it was."""
    made = []
    for i, (size, before, after) in enumerate(
        [("M", 2.2, 4.8), ("S", 2.2, 4.6), ("L", 2.4, 4.8), ("M", 3.4, 3.4)]
    ):
        org = Organization.objects.create(
            name=f"Demokommun {i}", slug=f"demo-{i}", kind="municipality", size_class=size
        )
        closed_measurement(org, [Answers(8, level=before)], year=2025, seed=200 + i)
        closed_measurement(org, [Answers(8, level=after)], year=2026, seed=200 + i)
        made.append(org)
    return made


def test_seeds_come_from_organizations_that_raised_the_capability(demo_organizations, alice):
    added = ensure_demo_examples(demo_organizations, 2026)
    assert added == len(SEEDS)
    examples = list(Example.objects.all())
    assert all(e.is_published() and e.year == 2025 for e in examples)
    assert demo_organizations[3].pk not in {e.organization_id for e in examples}
    # Organizations like Ankeby (municipality, M) first.
    assert all(e.organization_id == demo_organizations[0].pk for e in examples)
    for example in examples:
        if example.named:
            first = example.figures[example.capabilities[0]]
            assert first["significant"] and first["change"] > 10
        else:
            assert example.figures == {}


def test_seeding_again_adds_nothing_and_keeps_a_users_change_and_removal(demo_organizations, nadia):
    ensure_demo_examples(demo_organizations, 2026)
    changed = Example.objects.get(seed_key=SEEDS[0].key)
    Example.objects.filter(pk=changed.pk).update(title="Vår egen rubrik")
    removed = Example.objects.get(seed_key=SEEDS[1].key)
    actions.delete_example(removed, by=nadia)
    assert ensure_demo_examples(demo_organizations, 2026) == 0
    assert Example.objects.get(pk=changed.pk).title == "Vår egen rubrik"
    assert not Example.objects.filter(seed_key=SEEDS[1].key).exists()
    assert Example.objects.count() == len(SEEDS) - 1


def test_without_a_rise_nothing_is_seeded(demo_organizations):
    assert ensure_demo_examples(demo_organizations[3:], 2026) == 0
