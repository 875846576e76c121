"""The scoring engine: an organization's answers in, its scores with their uncertainty out.

Pure numpy and frozen dataclasses, no Django (an import-linter contract enforces it). The method is
written up, with worked examples the tests check, in docs/scoring.md; keep the two in step.

- `results`: what the engine returns (frozen dataclasses);
- `method`: `score`, `compare` and `differs_from_peers`, the method in the order docs/scoring.md
  explains it, with `levels` (the named levels and the pass up the tree) and `flags` (data-quality
  flags);
- `intervals`: the jackknife standard errors, t intervals (Student's t quantiles computed here) and
  the draws behind the type probabilities;
- the fast kernel behind the pass up the tree, exact to the last bit
  (tests/test_engine_exactness.py): `summation` (weighted means added in a fixed order);
- `tuning`: `tune_process()`, process-wide settings for scoring many groups, called explicitly by
  the worker's scoring job, re-scoring and the benchmarks (importing the engine changes nothing).
"""

from mognad.instrument.scale import DONT_KNOW, SCALE, UNANSWERED
from mognad.scoring.engine.levels import Level
from mognad.scoring.engine.method import (
    CERTAIN_QUADRANT,
    calibrated,
    compare,
    differs_from_peers,
    score,
)
from mognad.scoring.engine.results import (
    Change,
    Consensus,
    Estimate,
    Flag,
    ItemScore,
    OrganizationScore,
    Quadrant,
    Sampling,
)
from mognad.scoring.engine.tuning import tune_process
from mognad.scoring.structure import Structure

__all__ = [
    "CERTAIN_QUADRANT",
    "DONT_KNOW",
    "SCALE",
    "UNANSWERED",
    "Change",
    "Consensus",
    "Estimate",
    "Flag",
    "ItemScore",
    "Level",
    "OrganizationScore",
    "Quadrant",
    "Sampling",
    "Structure",
    "calibrated",
    "compare",
    "differs_from_peers",
    "score",
    "tune_process",
]
