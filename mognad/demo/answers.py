"""The answers of one organization's measurement in one year, from a latent-trait model.

A respondent's answer to an item is the rounded latent level, clipped to the six-point scale:

    answer = clip(round(3.5 + level), 1, 6)
    level  = year + maturity + learning + category + profile[category] + unit + role[dimension]
             + person + person[category] + technical view [technical items] − difficulty[item]
             + noise[item]

This is a factor model: each respondent's six category factors (`person` + `person[category]`,
the person shared by all categories so the factors correlate, about 0.7) measured by the category's
statements, whose noise differs by statement (standardized loadings about 0.6–0.8, as in real
surveys), with the organization's maturity, profile and units as variance between organizations
(ICC). A respondent's view of technical matters touches the technical statements of every
category, so six factors describe the answers well but not perfectly. `mognad validate instrument`
reports the resulting α, ω, ICC and fit. The organization's maturity makes organizations' category
scores correlate. "Vet ej" is more likely for
technical items among respondents outside IT, a few respondents are straight-liners, some start but
never submit, and the rest never answer. Each measurement draws from its own random stream, so the
answers of one organization and year do not depend on which other organizations were generated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from mognad.demo.population import STREAM_ITEMS, STREAM_MEASUREMENT, OrganizationPlan, rng_for
from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST, UNANSWERED
from mognad.instrument.schema import Instrument
from mognad.orgs.models import Unit
from mognad.surveys.models import Respondent, Role

# National level by year, in scale points: a rise after the first year, the pandemic dip of 2021,
# then a slow recovery. Years outside the table continue its ends.
YEAR_EFFECT = {
    2019: -0.05,
    2020: 0.05,
    2021: -0.10,
    2022: 0.00,
    2023: 0.04,
    2024: 0.08,
    2025: 0.11,
    2026: 0.14,
}
TREND_AFTER = 0.03  # per year after the last year of the table
# Capability rose most in 2020 (the 2020 status report).
CAPABILITY_YEAR_BONUS = {2020: 0.05}
# Organizations that measure repeatedly improve: this much per earlier measurement, up to a cap.
LEARNING = 0.06
LEARNING_CAP = 5
# Public organizations lean towards efficiency; the technical legacy is the hardest part.
CATEGORY_EFFECT = {
    "efficiency": 0.25,
    "innovation": -0.20,
    "balancing": -0.15,
    "organization": 0.00,
    "users": 0.10,
    "technology": -0.20,
}
# The level the answers centre on, tuned so the national maturity lands near 50 %.
INTERCEPT = -0.25
ITEM_DIFFICULTY_SD = 0.25
TECHNICAL_DIFFICULTY = 0.10
PERSON_SD = 0.45
PERSON_CATEGORY_SD = 0.30
NOISE_SD = 0.75
# The noise of each statement is NOISE_SD times a factor drawn from this range (mean square ≈ 1),
# so statements measure their category with different precision.
NOISE_SCALE_RANGE = (0.67, 1.27)
# A respondent's view of technical matters, shared by the technical statements of all categories.
TECHNICAL_VIEW_SD = 0.35
STREAM_TECHNICAL_VIEW = 1

_R = Role
# Role effect on the capability and on the legacy dimension: leaders see more maturity than staff;
# IT is critical of the legacy it maintains.
ROLE_EFFECT: dict[str, tuple[float, float]] = {
    _R.POLITICIAN: (0.30, 0.15),
    _R.TOP_MANAGEMENT: (0.35, 0.20),
    _R.MANAGER: (0.10, 0.05),
    _R.STRATEGIST: (0.00, -0.05),
    _R.IT: (0.05, -0.25),
    _R.STAFF: (-0.25, -0.10),
    _R.OTHER: (-0.10, -0.05),
}
# Who is asked in a unit of each type.
_MIX: dict[str, dict[str, float]] = {
    Unit.UnitType.MANAGEMENT.value: {
        _R.POLITICIAN.value: 0.2,
        _R.TOP_MANAGEMENT.value: 0.25,
        _R.STRATEGIST.value: 0.25,
        _R.MANAGER.value: 0.1,
        _R.STAFF.value: 0.15,
        _R.OTHER.value: 0.05,
    },
    Unit.UnitType.IT.value: {
        _R.IT.value: 0.75,
        _R.MANAGER.value: 0.1,
        _R.STRATEGIST.value: 0.1,
        _R.STAFF.value: 0.05,
    },
}
_DEFAULT_MIX: dict[str, float] = {
    _R.MANAGER.value: 0.3,
    _R.STAFF.value: 0.45,
    _R.STRATEGIST.value: 0.1,
    _R.TOP_MANAGEMENT.value: 0.05,
    _R.IT.value: 0.04,
    _R.OTHER.value: 0.06,
}
# "Vet ej": a base rate per role, and an extra rate on technical items.
DONT_KNOW_BASE: dict[str, float] = {
    _R.POLITICIAN: 0.06,
    _R.TOP_MANAGEMENT: 0.03,
    _R.MANAGER: 0.03,
    _R.STRATEGIST: 0.02,
    _R.IT: 0.015,
    _R.STAFF: 0.06,
    _R.OTHER: 0.05,
}
DONT_KNOW_TECHNICAL: dict[str, float] = {
    _R.POLITICIAN: 0.28,
    _R.TOP_MANAGEMENT: 0.12,
    _R.MANAGER: 0.15,
    _R.STRATEGIST: 0.10,
    _R.IT: 0.01,
    _R.STAFF: 0.22,
    _R.OTHER: 0.18,
}
STRAIGHT_LINERS = 0.02
UNANSWERED_SHARE = 0.005
STARTED_NOT_SUBMITTED = 0.04
ENGLISH = 0.05
RESPONSE_RATE_MEAN = 0.68
RESPONSE_RATE_SD = 0.08
RESPONSE_RATE_RANGE = (0.48, 0.88)


@dataclass(frozen=True)
class ItemModel:
    """The instrument as the answer model sees it (same item order as the instrument)."""

    category: npt.NDArray[np.intp]  # category index of each item
    capability_side: npt.NDArray[np.bool_]  # per category: in the capability dimension?
    category_effect: npt.NDArray[np.float64]  # per category
    difficulty: npt.NDArray[np.float64]  # per item
    noise_sd: npt.NDArray[np.float64]  # per item
    technical: npt.NDArray[np.bool_]  # per item
    # The first item of each page (category), for respondents who stop half-way.
    page_starts: tuple[int, ...]

    @classmethod
    def build(cls, instrument: Instrument, seed: int) -> ItemModel:
        categories = instrument.categories
        category_of = {
            item.id: index
            for index, category in enumerate(categories)
            for capability in category.capabilities
            for item in capability.items
        }
        items = instrument.items
        technical = np.array([item.technical for item in items], dtype=bool)
        rng = rng_for(seed, STREAM_ITEMS)
        difficulty = (
            rng.normal(0.0, ITEM_DIFFICULTY_SD, len(items)) + TECHNICAL_DIFFICULTY * technical
        )
        noise_sd = NOISE_SD * rng.uniform(*NOISE_SCALE_RANGE, len(items))
        capability_ids = {c.id for c in instrument.dimension_for_role("capability").categories}
        category = np.array([category_of[item.id] for item in items], dtype=np.intp)
        starts = tuple(int(np.flatnonzero(category == k)[0]) for k in range(len(categories)))
        return cls(
            category=category,
            capability_side=np.array([c.id in capability_ids for c in categories], dtype=bool),
            category_effect=np.array([CATEGORY_EFFECT.get(c.id, 0.0) for c in categories]),
            difficulty=difficulty,
            noise_sd=noise_sd,
            technical=technical,
            page_starts=starts,
        )


@dataclass(frozen=True)
class MeasurementSample:
    """Everyone asked in one measurement, and the answers of those who answered.

    `answers` has a row per person asked: 1..6, DONT_KNOW, or UNANSWERED (no answer row); rows of
    people who never started are all UNANSWERED.
    """

    units: npt.NDArray[np.intp]  # unit key of each person
    roles: tuple[str, ...]
    languages: tuple[str, ...]
    status: tuple[str, ...]  # Respondent.Status values: invited, started or completed
    reminders: npt.NDArray[np.intp]
    answers: npt.NDArray[np.int8]

    @property
    def submitted(self) -> npt.NDArray[np.bool_]:
        return np.array([s == Respondent.Status.COMPLETED for s in self.status], dtype=bool)

    @property
    def started(self) -> npt.NDArray[np.bool_]:
        return np.array([s == Respondent.Status.STARTED for s in self.status], dtype=bool)


def year_effect(year: int) -> float:
    first, last = min(YEAR_EFFECT), max(YEAR_EFFECT)
    if year < first:
        return YEAR_EFFECT[first]
    if year > last:
        return YEAR_EFFECT[last] + TREND_AFTER * (year - last)
    return YEAR_EFFECT[year]


# Roles in a fixed order, and the tables above as arrays indexed by it.
ROLES = tuple(ROLE_EFFECT)
_ROLE_CAPABILITY = np.array([ROLE_EFFECT[r][0] for r in ROLES])
_ROLE_LEGACY = np.array([ROLE_EFFECT[r][1] for r in ROLES])
_DONT_KNOW_BASE = np.array([DONT_KNOW_BASE[r] for r in ROLES])
_DONT_KNOW_TECHNICAL = np.array([DONT_KNOW_TECHNICAL[r] for r in ROLES])


@cache
def _cumulative_mix(unit_type: str) -> npt.NDArray[np.float64]:
    mix = _MIX.get(unit_type, _DEFAULT_MIX)
    p = np.array([mix.get(role, 0.0) for role in ROLES])
    return np.cumsum(p / p.sum())


def _roles(rng: np.random.Generator, unit_types: Sequence[str]) -> npt.NDArray[np.intp]:
    """Index into ROLES of each person, drawn from the role mix of the person's unit type."""
    kinds = sorted(set(unit_types))
    cumulative = np.array([_cumulative_mix(kind) for kind in kinds])
    kind_of = np.array([kinds.index(t) for t in unit_types], dtype=np.intp)
    draws = rng.random(len(unit_types))
    chosen = (draws[:, None] >= cumulative[kind_of]).sum(axis=1)
    roles: npt.NDArray[np.intp] = np.minimum(chosen, len(ROLES) - 1).astype(np.intp)
    return roles


def _who_answers(
    rng: np.random.Generator, plan: OrganizationPlan, asked: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Who submitted, and who started without submitting (the organization's response rate)."""
    rate = float(
        np.clip(
            rng.normal(RESPONSE_RATE_MEAN + plan.response_propensity, RESPONSE_RATE_SD),
            *RESPONSE_RATE_RANGE,
        )
    )
    submitted = np.zeros(asked, dtype=bool)
    submitted[rng.permutation(asked)[: round(rate * asked)]] = True
    started = ~submitted & (rng.random(asked) < STARTED_NOT_SUBMITTED / (1 - rate))
    return submitted, started


def _technical_view(
    plan: OrganizationPlan, year: int, asked: int, seed: int
) -> npt.NDArray[np.float64]:
    """Each person's view of technical matters, from its own stream (the measurement's other draws
    stay as they were)."""
    rng = rng_for(seed, STREAM_MEASUREMENT, plan.index, year, STREAM_TECHNICAL_VIEW)
    view: npt.NDArray[np.float64] = rng.normal(0.0, TECHNICAL_VIEW_SD, (asked, 1))
    return view


def sample_measurement(
    plan: OrganizationPlan, year: int, *, earlier: int, items: ItemModel, seed: int
) -> MeasurementSample:
    """The respondents and answers of `plan`'s measurement of `year` (`earlier`: how many times the
    organization measured before)."""
    rng = rng_for(seed, STREAM_MEASUREMENT, plan.index, year)
    asked = max(20, round(plan.respondents * rng.uniform(0.9, 1.1)))
    weights = np.array([u.weight for u in plan.units])
    units = rng.choice(len(plan.units), size=asked, p=weights / weights.sum())
    unit_types = [plan.units[u].unit_type for u in units]
    role = _roles(rng, unit_types)
    languages = tuple("en" if x < ENGLISH else "sv" for x in rng.random(asked))

    submitted, started = _who_answers(rng, plan, asked)

    n_items, n_categories = len(items.category), len(items.category_effect)
    capability_side = items.capability_side
    role_effect = np.where(
        capability_side[None, :], _ROLE_CAPABILITY[role][:, None], _ROLE_LEGACY[role][:, None]
    )  # people × categories
    unit_effect = np.array([u.effect for u in plan.units])[units][:, None]
    organization = (
        INTERCEPT
        + year_effect(year)
        + plan.maturity
        + LEARNING * min(earlier, LEARNING_CAP)
        + items.category_effect
        + np.array(plan.profile)
        + np.where(capability_side, CAPABILITY_YEAR_BONUS.get(year, 0.0), 0.0)
    )  # categories
    person = rng.normal(0.0, PERSON_SD, (asked, 1))
    person_category = rng.normal(0.0, PERSON_CATEGORY_SD, (asked, n_categories))
    level = organization[None, :] + unit_effect + role_effect + person + person_category
    latent = (
        level[:, items.category]
        + _technical_view(plan, year, asked, seed) * items.technical
        - items.difficulty
        + rng.normal(0.0, 1.0, (asked, n_items)) * items.noise_sd
    )
    answers = np.clip(np.rint(3.5 + latent), LOWEST, HIGHEST).astype(np.int8)

    straight = rng.random(asked) < STRAIGHT_LINERS
    if straight.any():
        typical = np.clip(np.rint(3.5 + level[straight].mean(axis=1)), LOWEST, HIGHEST)
        typical = typical.astype(np.int8)
        answers[straight] = typical[:, None]

    base = _DONT_KNOW_BASE[role][:, None]
    technical = _DONT_KNOW_TECHNICAL[role][:, None]
    # Some people say "Vet ej" much more readily than others.
    propensity = rng.lognormal(0.0, 0.5, (asked, 1))
    p_dont_know = np.minimum((base + technical * items.technical[None, :]) * propensity, 0.9)
    dont_know = (rng.random((asked, n_items)) < p_dont_know) & ~straight[:, None]
    answers[dont_know] = DONT_KNOW
    answers[rng.random((asked, n_items)) < UNANSWERED_SHARE] = UNANSWERED

    # Those who started but never submitted stopped on some page; those who never started have no
    # answers at all.
    stops = rng.integers(1, len(items.page_starts), asked)
    for person_index in np.flatnonzero(started):
        answers[person_index, items.page_starts[stops[person_index]] :] = UNANSWERED
    answers[~(submitted | started)] = UNANSWERED

    status = tuple(
        np.where(
            submitted,
            Respondent.Status.COMPLETED.value,
            np.where(started, Respondent.Status.STARTED.value, Respondent.Status.INVITED.value),
        ).tolist()
    )
    reminders = np.where(submitted, rng.integers(0, 2, asked), rng.integers(1, 3, asked))
    return MeasurementSample(
        units=units.astype(np.intp),
        roles=tuple(str(ROLES[r]) for r in role),
        languages=languages,
        status=status,
        reminders=reminders.astype(np.intp),
        answers=answers,
    )
