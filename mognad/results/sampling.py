"""What the engine needs to know about how a group's respondents were sampled (docs/scoring.md §3).

The key user states it per measurement (`Measurement.sampling`):
- a sample (the default): respondents are a simple random sample of a large group;
- the whole target group was invited: the finite-population correction with N = the invited of the
  group (only where invitations are personal, so that the invited are counted);
- whole units were chosen: in a group that spans several units (the organization, a role, a unit
  with sub-units) the jackknife leaves out one unit at a time, so the interval counts units rather
  than people. A group inside one unit is a sample of that unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mognad.surveys.models import Measurement

# Respondents without a unit form one unit of their own.
_NO_UNIT = -1


def design_options(
    measurement: Measurement,
    units: Sequence[int | None],
    mask: npt.NDArray[np.bool_],
    invited: int | None,
) -> dict[str, Any]:
    """The engine's `whole_group` / `clusters` options for the group of rows `mask`."""
    if measurement.sampling == Measurement.Sampling.WHOLE_GROUP and invited is not None:
        return {"whole_group": True}
    if measurement.sampling == Measurement.Sampling.UNITS:
        labels = np.array([_NO_UNIT if u is None else u for u in units], dtype=np.int64)[mask]
        if len(np.unique(labels)) >= 2:
            return {"clusters": labels}
    return {}
