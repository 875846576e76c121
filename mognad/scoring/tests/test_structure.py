"""The instrument's hierarchy as index arrays."""

import dataclasses

import numpy as np
import pytest

from mognad.scoring.structure import Structure
from mognad.scoring.tests.factories import TINY, make_instrument, make_structure


def test_it_numbers_every_level_in_instrument_order_with_parent_indexes():
    structure = make_structure()
    assert structure.key == "tiny@1"
    assert structure.item_ids == ("i1", "i2", "i3", "i4", "i5", "i6")
    assert structure.capability_ids == ("e1", "n1", "o1", "t1")
    assert structure.category_ids == ("eff", "inn", "org", "tek")
    assert structure.dimension_ids == ("cap", "leg")
    assert structure.item_capability.tolist() == [0, 0, 1, 2, 3, 3]
    assert structure.capability_category.tolist() == [0, 1, 2, 3]
    assert structure.category_dimension.tolist() == [0, 0, 1, 1]
    assert (structure.capability_dimension, structure.legacy_dimension) == (0, 1)


def test_it_normalizes_the_weights_within_each_parent():
    structure = make_structure(weights={"i1": 3, "eff": 2, "leg": 3})
    assert structure.item_weights.tolist() == [0.75, 0.25, 1.0, 1.0, 0.5, 0.5]
    assert structure.category_weights.tolist() == pytest.approx([2 / 3, 1 / 3, 0.5, 0.5])
    assert structure.dimension_weights.tolist() == [0.25, 0.75]


def test_it_maps_each_quadrant_to_its_organization_type_and_keeps_the_cutoffs():
    structure = make_structure(capability_cutoff=55, legacy_cutoff=45)
    assert structure.types[("high", "limiting")] == "high-limiting"
    assert (structure.capability_cutoff, structure.legacy_cutoff) == (55.0, 45.0)


def test_its_arrays_cannot_be_changed():
    structure = make_structure()
    with pytest.raises(ValueError, match="read-only"):
        structure.item_weights[0] = 2.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        structure.key = "other"  # type: ignore[misc]


def test_it_needs_one_capability_and_one_legacy_dimension():
    spec = {"a": ("capability", TINY["cap"][1]), "b": ("capability", TINY["leg"][1])}
    with pytest.raises(ValueError, match="exactly one dimension with role 'capability', found 2"):
        Structure.from_instrument(make_instrument(spec))


def test_it_rejects_a_weight_that_is_not_positive():
    with pytest.raises(ValueError, match="item weights: every weight must be a positive number"):
        make_structure(weights={"i2": 0})


def test_it_rejects_an_item_id_used_twice():
    spec = {"cap": TINY["cap"], "leg": ("legacy", {"org": {"o1": ["i1"]}})}
    with pytest.raises(ValueError, match="item id 'i1' appears more than once"):
        make_structure(spec)


def test_it_rejects_an_instrument_without_a_type_for_every_quadrant():
    instrument = make_instrument()
    instrument = dataclasses.replace(instrument, types=instrument.types[:3])
    with pytest.raises(ValueError, match=r"no organization type for the quadrant\(s\)"):
        Structure.from_instrument(instrument)


def test_build_rejects_children_of_one_parent_that_are_not_consecutive():
    with pytest.raises(ValueError, match="children of one parent must be consecutive"):
        Structure.build(
            key="x@1",
            item_ids=["a", "b", "c"],
            capability_ids=["c1", "c2"],
            category_ids=["k1", "k2"],
            dimension_ids=["d1", "d2"],
            item_capability=[0, 1, 0],
            capability_category=[0, 1],
            category_dimension=[0, 1],
            capability_dimension=0,
            legacy_dimension=1,
            types={
                q: "t"
                for q in [
                    ("low", "limiting"),
                    ("high", "limiting"),
                    ("low", "enabling"),
                    ("high", "enabling"),
                ]
            },
        )


def test_build_rejects_a_cutoff_outside_0_to_100():
    with pytest.raises(ValueError, match="capability cut-off 120 is not between 0 and 100"):
        make_structure(capability_cutoff=120)


def test_aggregations_hold_where_each_parents_children_start():
    (starts, weights), *_ = make_structure().aggregations
    assert starts.tolist() == [0, 2, 3, 4]
    assert np.array_equal(weights, [0.5, 0.5, 1, 1, 0.5, 0.5])
