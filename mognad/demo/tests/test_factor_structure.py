"""The demo answers have the factor structure of a real survey, so the instrument's reliability
figures (`mognad validate instrument`) mean something on demo data: six correlated category
factors measured with loadings of about 0.6–0.8, differing between statements, variance between
organizations, and a model of six categories that fits well but not perfectly.

Drawn exactly as `mognad demo generate` draws them, without a database (as test_calibration.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from mognad.demo.answers import ItemModel, sample_measurement
from mognad.demo.population import plan_population
from mognad.demo.tests.test_calibration import registry
from mognad.instrument.loader import find_instrument
from mognad.scoring.reliability import AnswerSet, analyse

SEED = 5
YEAR = 2026


@pytest.fixture(scope="module")
def reliability():
    instrument = find_instrument(None)
    items = ItemModel.build(instrument, SEED)
    plans = plan_population(
        count=80,
        years=[YEAR],
        seed=SEED,
        registry=registry(),
        categories=len(instrument.categories),
    )
    blocks, organizations = [], []
    for plan in plans:
        if YEAR not in plan.years:
            continue
        sample = sample_measurement(plan, YEAR, earlier=0, items=items, seed=SEED)
        answers = sample.answers[sample.submitted]
        blocks.append(answers)
        organizations += [plan.index] * len(answers)
    answers = np.concatenate(blocks)
    categories = [
        (c.id, [i.id for cap in c.capabilities for i in cap.items]) for c in instrument.categories
    ]
    data = AnswerSet(
        instrument.item_ids,
        answers,
        np.array(organizations, dtype=np.intp),
        tuple("all" for _ in organizations),
    )
    return analyse(categories, data, agreement={}, min_organizations=5, draws=0, seed=1)


def test_every_category_is_internally_consistent_but_not_redundant(reliability):
    for category in reliability.categories:
        assert 0.70 < category.alpha.estimate < 0.93, category.category_id
        assert 0.70 < category.omega.estimate < 0.93, category.category_id


def test_loadings_are_realistic_and_differ_between_statements(reliability):
    loadings = np.array(list(reliability.cfa.loadings.values()))
    assert loadings.min() > 0.5
    assert loadings.max() < 0.9
    assert 0.6 < np.median(loadings) < 0.8
    assert loadings.max() - loadings.min() > 0.1


def test_six_categories_fit_well_but_not_perfectly_and_better_than_one_factor(reliability):
    six, one = reliability.cfa, reliability.one_factor
    assert 0.95 < six.cfi < 0.999
    assert six.rmsea < 0.06
    assert six.chi2 > six.df  # some misfit, as with real answers
    assert one.cfi < six.cfi - 0.05
    for correlation in six.factor_correlations.values():
        assert 0.4 < correlation < 0.95


def test_organizations_differ_so_the_icc_is_between_a_tenth_and_a_third(reliability):
    for category_id, icc in reliability.icc.items():
        assert 0.05 < icc.icc1 < 0.35, category_id
        assert icc.icc2 > 0.7, category_id
