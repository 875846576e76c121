"""The scoring engine: an organization's answers in, its scores with their uncertainty out.

Pure numpy and frozen dataclasses, no Django (an import-linter contract enforces it). The method is
written up, with worked examples the tests check, in docs/scoring.md; keep the two in step.

- `results`: what the engine returns (frozen dataclasses);
- `method`: `score` and `compare`, the method in the order docs/scoring.md explains it, with
  `levels` (the named levels and the pass up the tree) and `flags` (data-quality flags);
- the fast kernels behind it, each exact to the last bit (tests/test_engine_exactness.py):
  `summation` (weighted means added in a fixed order), `packing` (sums and counts in one float32
  product), `resampling` (bootstrap counts, cached per process), `quantiles` (percentiles and
  standard deviations of many nodes at once);
- `tuning`: `tune_process()`, process-wide settings for scoring many groups, called explicitly by
  the worker's scoring job, re-scoring and the benchmarks (importing the engine changes nothing).
"""

from mognad.instrument.scale import DONT_KNOW, SCALE, UNANSWERED
from mognad.scoring.engine.levels import Level
from mognad.scoring.engine.method import compare, score
from mognad.scoring.engine.results import (
    Change,
    Consensus,
    Estimate,
    Flag,
    ItemScore,
    OrganizationScore,
    Quadrant,
)
from mognad.scoring.engine.tuning import tune_process
from mognad.scoring.structure import Structure

__all__ = [
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
    "Structure",
    "compare",
    "score",
    "tune_process",
]
