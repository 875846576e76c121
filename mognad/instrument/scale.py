"""The answer scale, defined once: the six points, "Vet ej" and the code for an unanswered item.

Every statement is answered on a six-point agreement scale (1 = "stämmer inte alls", 6 = "stämmer
helt") or with "Vet ej" (don't know). An answer is stored as the point, or as `DONT_KNOW`;
an unanswered statement has no stored answer and is `UNANSWERED` in the scoring engine's matrix.
No Django here: the scoring engine imports it.
"""

from __future__ import annotations

SCALE: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
LOWEST, HIGHEST = SCALE[0], SCALE[-1]
# "Vet ej": stored as this value (surveys' Answer.value) and passed to the engine as it is.
DONT_KNOW = -1
# No answer: in the engine's answer matrix only (an unanswered statement has no stored answer).
UNANSWERED = 0
# Every value an answer can have.
ANSWER_VALUES: frozenset[int] = frozenset((*SCALE, DONT_KNOW))
# The percent points of one scale step: an answer x is (x − LOWEST) × STEP percent of optimal.
STEP_PERCENT = 100.0 / (HIGHEST - LOWEST)
