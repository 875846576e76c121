"""The instrument's reliability over a year's national answers (`mognad validate instrument`).

Loads the submitted responses of every organization that closed a measurement in the year with at
least k respondents (the disclosure door's threshold; the organization-level results it stored say
how many), with each response's organization and organization kind, and the r_wg the scoring engine
stored per organization and category. The figures are national aggregates; the analysis refuses a
year with fewer organizations than the door's minimum for a figure over organizations. The
computation is `mognad.scoring.reliability.analyse`; the method is in docs/scoring.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.apps import apps
from django.utils import timezone

from mognad.instrument.schema import Instrument
from mognad.national.models import ReliabilityYear
from mognad.national.queries import closed_measurements
from mognad.national.release import MIN_ORGANIZATIONS
from mognad.results.answers import load_answers
from mognad.results.disclosure.door import threshold, unnamed_threshold
from mognad.results.models import MeasurementResult
from mognad.scoring.reliability import (
    AnswerSet,
    GroupComparison,
    InstrumentReliability,
    ReliabilityError,
    analyse,
)
from mognad.scoring.reliability.cfa import LEVELS, Fit
from mognad.scoring.reliability.consistency import CategoryConsistency, Interval
from mognad.surveys.models import Measurement

DEFAULT_DRAWS = 200
DEFAULT_SEED = 20261207


def minimum_organizations() -> int:
    """The door's minimum for a figure over organizations (and at least the unnamed minimum)."""
    return max(MIN_ORGANIZATIONS, unnamed_threshold())


@dataclass(frozen=True)
class YearAnswers:
    year: int
    instrument: Instrument
    answers: AnswerSet
    agreement: dict[str, list[float]]
    demo_organizations: int  # how many of the organizations are generated demo data


@dataclass(frozen=True)
class YearReliability:
    year: int
    instrument: str
    compared_year: int | None
    demo_organizations: int
    k: int
    result: InstrumentReliability

    @property
    def demo(self) -> bool:
        return self.demo_organizations > 0


def _measurements(year: int) -> list[tuple[Measurement, MeasurementResult]]:
    """One closed measurement per organization (the latest) whose results hold ≥ k respondents."""
    measurements = closed_measurements(year)  # in the order of the organizations' ids
    results = {
        r.measurement_id: r
        for r in MeasurementResult.objects.filter(
            measurement__in=measurements, group_kind=MeasurementResult.GroupKind.ORGANIZATION
        )
    }
    k = threshold()
    return [(m, results[m.pk]) for m in measurements if int(results[m.pk].respondents) >= k]


def _demo_organizations(organization_ids: set[int]) -> int:
    # Looked up by name: the demo app sits above this one and is not imported here.
    if not apps.is_installed("mognad.demo"):
        return 0
    generated = apps.get_model("demo", "GeneratedOrganization")
    return int(generated.objects.filter(organization_id__in=organization_ids).count())


def load_year(year: int) -> YearAnswers:
    """The year's responses (see the module doc); ReliabilityError when too few organizations."""
    chosen = _measurements(year)
    need = minimum_organizations()
    if len(chosen) < need:
        raise ReliabilityError(
            f"{year}: {len(chosen)} organizations closed a measurement with at least "
            f"{threshold()} respondents; the reliability figures need at least {need}"
        )
    latest = max((m.instrument for m, _ in chosen), key=lambda v: (v.published_at, v.pk))
    instrument = latest.definition()
    item_ids = instrument.item_ids
    blocks, organizations, kinds = [], [], []
    agreement: dict[str, list[float]] = {c.id: [] for c in instrument.categories}
    for measurement, result in chosen:
        matrix = load_answers(measurement)
        position = {item: n for n, item in enumerate(matrix.item_ids)}
        block = np.zeros((len(matrix.response_ids), len(item_ids)), dtype=np.int8)
        for n, item in enumerate(item_ids):
            if item in position:
                block[:, n] = matrix.values[:, position[item]]
        blocks.append(block)
        organizations += [measurement.organization_id] * len(matrix.response_ids)
        kinds += [measurement.organization.kind] * len(matrix.response_ids)
        for category_id, entry in ((result.payload or {}).get("consensus") or {}).items():
            value = (entry or {}).get("agreement")
            if category_id in agreement and value is not None:
                agreement[category_id].append(float(value))
    answers = AnswerSet(
        item_ids,
        np.concatenate(blocks),
        np.array(organizations, dtype=np.intp),
        tuple(kinds),
    )
    return YearAnswers(
        year,
        instrument,
        answers,
        agreement,
        _demo_organizations({m.organization_id for m, _ in chosen}),
    )


def _previous_year(year: int) -> int | None:
    earlier = (
        Measurement.objects.filter(year__lt=year, state=Measurement.State.CLOSED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return int(earlier) if earlier is not None else None


def validate_year(
    year: int, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> YearReliability:
    """Every reliability figure of `year`, invariance against the latest earlier year with
    enough data and across organization kinds."""
    current = load_year(year)
    categories = [
        (c.id, [item.id for cap in c.capabilities for item in cap.items])
        for c in current.instrument.categories
    ]
    comparisons: dict[str, list[tuple[str, AnswerSet]]] = {}
    kinds = sorted(set(current.answers.groups))
    comparisons["kinds"] = [
        (
            kind,
            current.answers.rows(np.array([g == kind for g in current.answers.groups], dtype=bool)),
        )
        for kind in kinds
    ]
    compared_year = _previous_year(year)
    if compared_year is not None:
        try:
            earlier = load_year(compared_year)
        except ReliabilityError:
            compared_year = None
        else:
            shared = [i for i in current.instrument.item_ids if i in set(earlier.answers.item_ids)]
            if set(shared) >= {i for _, items in categories for i in items}:
                comparisons["years"] = [
                    (str(compared_year), earlier.answers),
                    (str(year), current.answers),
                ]
            else:
                compared_year = None
    result = analyse(
        categories,
        current.answers,
        agreement=current.agreement,
        comparisons=comparisons,
        min_organizations=minimum_organizations(),
        draws=draws,
        seed=seed,
    )
    return YearReliability(
        year=year,
        instrument=current.instrument.key,
        compared_year=compared_year,
        demo_organizations=current.demo_organizations,
        k=threshold(),
        result=result,
    )


# --- Plain data for JSON, the report and the codebook --------------------------------------------


def _r(value: float | None, digits: int = 3) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def _fit(fit: Fit | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {
        "level": fit.level,
        "groups": fit.groups,
        "n": fit.n,
        "chi2": _r(fit.chi2, 1),
        "df": fit.df,
        "cfi": _r(fit.cfi),
        "tli": _r(fit.tli),
        "rmsea": _r(fit.rmsea),
        "srmr": _r(fit.srmr),
        "converged": fit.converged,
    }


def _icc(result: InstrumentReliability, category_id: str, which: str) -> float | None:
    found = result.icc.get(category_id)
    return None if found is None else _r(getattr(found, which))


def _comparison(comparison: GroupComparison) -> dict[str, Any]:
    levels = []
    if comparison.result is not None:
        for level, fit in zip(LEVELS, comparison.result.fits, strict=True):
            delta = comparison.result.delta(level)
            levels.append(
                {
                    **(_fit(fit) or {}),
                    "delta_cfi": _r(delta[0]) if delta else None,
                    "delta_rmsea": _r(delta[1]) if delta else None,
                }
            )
    return {
        "compared": list(comparison.compared),
        "sizes": list(comparison.result.sizes) if comparison.result else [],
        "left_out": list(comparison.left_out),
        "reason": comparison.reason,
        "levels": levels,
    }


def _interval(value: Interval | None) -> list[float | None] | None:
    return None if value is None else [_r(value.estimate), _r(value.low), _r(value.high)]


def _category(r: InstrumentReliability, c: CategoryConsistency) -> dict[str, Any]:
    agreement = r.agreement[c.category_id]
    return {
        "category": c.category_id,
        "statements": c.statements,
        "respondents": c.respondents,
        "smallest_pair": c.smallest_pair,
        "alpha": _interval(c.alpha),
        "omega": _interval(c.omega),
        "dont_know_rate": _r(c.dont_know_rate),
        "icc1": _icc(r, c.category_id, "icc1"),
        "icc2": _icc(r, c.category_id, "icc2"),
        "rwg_mean": _r(agreement.mean),
        "rwg_median": _r(agreement.median),
        "rwg_strong_share": _r(agreement.share_strong),
        "rwg_organizations": agreement.organizations,
        "items": [
            {
                "item": i.item_id,
                "answered": i.answered,
                "dont_know": i.dont_know,
                "dont_know_rate": _r(i.dont_know_rate),
                "item_rest": _r(i.item_rest),
                "loading_one_factor": _r(i.loading),
                "loading_cfa": _r(r.cfa.loadings.get(i.item_id)) if r.cfa else None,
            }
            for i in c.items
        ],
    }


def as_dict(report: YearReliability) -> dict[str, Any]:
    r = report.result
    return {
        "year": report.year,
        "instrument": report.instrument,
        "demo_data": report.demo,
        "demo_organizations": report.demo_organizations,
        "k": report.k,
        "respondents": r.respondents,
        "organizations": r.organizations,
        "statements": r.statements,
        "bootstrap": {"draws": r.draws, "seed": r.seed},
        "missing": {
            "method": "pairwise",
            "responses_with_dont_know": r.with_dont_know,
            "complete_responses": r.complete,
        },
        "left_out": [{"item": item, "dont_know_rate": _r(rate)} for item, rate in r.left_out],
        "categories": [_category(r, c) for c in r.categories],
        "cfa": {
            "six_factors": _fit(r.cfa),
            "one_factor": _fit(r.one_factor),
            "reason": r.cfa_reason,
            "factor_correlations": {
                f"{a}~{b}": _r(v)
                for (a, b), v in (r.cfa.factor_correlations if r.cfa else {}).items()
            },
        },
        "invariance": {name: _comparison(c) for name, c in r.groups.items()},
    }


def as_json(report: YearReliability) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2)


def store(report: YearReliability) -> ReliabilityYear:
    """Keep the figures for the national report and the research codebook (one row per year)."""
    row, _created = ReliabilityYear.objects.update_or_create(
        year=report.year,
        defaults={
            "figures": json.dumps(as_dict(report), ensure_ascii=False),
            "computed_at": timezone.now(),
        },
    )
    return row


def _cell(value: float | None, digits: int = 2) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def as_text(report: YearReliability) -> str:
    r = report.result
    lines = [
        f"The instrument's reliability, {report.year} ({report.instrument})",
        f"{r.respondents} responses from {r.organizations} organizations (each with at least "
        f"{report.k} respondents), {r.statements} statements.",
    ]
    if report.demo:
        lines.append(
            f"DEMO DATA: {report.demo_organizations} of the {r.organizations} organizations are "
            "generated demo data; these are not figures about real organizations."
        )
    lines += [
        f'Missing data: "Vet ej" and unanswered statements are missing; covariances are pairwise '
        f'(available cases). {r.with_dont_know} responses have at least one "Vet ej", '
        f"{r.complete} answered every statement on the scale.",
        f"Bootstrap: {r.draws} draws of respondents, seed {r.seed}; 95 % percentile intervals.",
        *(
            [
                "Left out (fewer than 10 answers on the scale, or no variance): "
                + ", ".join(f'{item} ("Vet ej" {_cell(rate)})' for item, rate in r.left_out)
            ]
            if r.left_out
            else []
        ),
        "",
        f"{'category':14} {'items':>5} {'alpha [95 % CI]':>20} {'omega [95 % CI]':>20} "
        f"{'Vet ej':>6} {'ICC1':>5} {'ICC2':>5} {'r_wg':>5}",
    ]
    for c in r.categories:

        def interval(value: Any) -> str:
            if value is None:
                return "–"
            return f"{_cell(value.estimate)} [{_cell(value.low)}, {_cell(value.high)}]"

        icc = r.icc.get(c.category_id)
        lines.append(
            f"{c.category_id:14} {c.statements:>5} {interval(c.alpha):>20} {interval(c.omega):>20} "
            f"{_cell(c.dont_know_rate):>6} {_cell(icc.icc1 if icc else None):>5} "
            f"{_cell(icc.icc2 if icc else None):>5} "
            f"{_cell(r.agreement[c.category_id].mean):>5}"
        )
    lines += ["", 'Statements: item–rest correlation, loading (CFA, standardized), "Vet ej" rate']
    for c in r.categories:
        for i in c.items:
            loading = r.cfa.loadings.get(i.item_id) if r.cfa else None
            lines.append(
                f"  {c.category_id:14} {i.item_id:24} r_ir {_cell(i.item_rest)}  "
                f"loading {_cell(loading)}  Vet ej {_cell(i.dont_know_rate)}"
            )
    lines.append("")
    if r.cfa is None:
        lines.append(f"Confirmatory factor analysis: not run ({r.cfa_reason}).")
    else:
        lines.append("Confirmatory factor analysis (ML on pairwise covariances, semopy):")
        for name, fit in (("six categories", r.cfa), ("one factor", r.one_factor)):
            if fit is not None:
                lines.append("  " + _fit_line(name, fit))
    for name, comparison in r.groups.items():
        title = {"years": "years", "kinds": "organization kinds"}.get(name, name)
        lines.append("")
        if comparison.result is None:
            lines.append(f"Measurement invariance across {title}: not run ({comparison.reason}).")
            continue
        sizes = ", ".join(
            f"{label} (n = {n})"
            for label, n in zip(comparison.result.groups, comparison.result.sizes, strict=True)
        )
        lines.append(f"Measurement invariance across {title}: {sizes}")
        if comparison.left_out:
            lines.append(f"  left out (too few): {', '.join(comparison.left_out)}")
        for level, fit in zip(LEVELS, comparison.result.fits, strict=True):
            delta = comparison.result.delta(level)
            change = f"  ΔCFI {delta[0]:+.3f}  ΔRMSEA {delta[1]:+.3f}" if delta is not None else ""
            lines.append("  " + _fit_line(level, fit) + change)
    return "\n".join(lines) + "\n"


def _fit_line(name: str, fit: Fit) -> str:
    return (
        f"{name:15} χ² {fit.chi2:.1f}  df {fit.df}  CFI {_cell(fit.cfi, 3)}  "
        f"TLI {_cell(fit.tli, 3)}  RMSEA {_cell(fit.rmsea, 3)}  SRMR {_cell(fit.srmr, 3)}"
        + ("" if fit.converged else "  (did not converge)")
    )


def codebook_lines(first: int, last: int) -> list[str]:
    """The research codebook's section on the instrument's reliability (English, as the codebook):
    the figures `mognad validate instrument` stored for the years first..last."""
    lines = [
        "## The instrument's reliability",
        "",
        "Computed over all participating organizations' answers of a year (not only those in this "
        "dataset) by `mognad validate instrument --year Y`; the method (pairwise missing data, "
        "bootstrap intervals over respondents, ICC from a one-way ANOVA, CFA and measurement "
        'invariance with semopy) is in docs/scoring.md, "The instrument\'s reliability".',
        "",
    ]
    rows = list(ReliabilityYear.objects.filter(year__gte=first, year__lte=last))
    if not rows:
        return [*lines, "Not computed for these years.", ""]
    for row in rows:
        figures = json.loads(row.figures)
        lines += [f"### {row.year}", ""]
        if figures.get("demo_data"):
            lines += [
                "**Demo data**: these figures come from generated demo data, not from real "
                "organizations.",
                "",
            ]
        lines += [
            f"{figures['respondents']} responses from {figures['organizations']} organizations, "
            f"{figures['bootstrap']['draws']} bootstrap draws.",
            "",
            "| Category | α [95 % CI] | ω [95 % CI] | Vet ej | ICC(1) | ICC(2) | r_wg (mean) |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in figures["categories"]:
            lines.append(
                f"| `{c['category']}` | {_triple(c['alpha'])} | {_triple(c['omega'])} | "
                f"{_cell(c['dont_know_rate'])} | {_cell(c['icc1'])} | {_cell(c['icc2'])} | "
                f"{_cell(c['rwg_mean'])} |"
            )
        six = (figures.get("cfa") or {}).get("six_factors")
        if six:
            lines += [
                "",
                f"CFA, six categories: CFI {_cell(six['cfi'], 3)}, TLI {_cell(six['tli'], 3)}, "
                f"RMSEA {_cell(six['rmsea'], 3)}, SRMR {_cell(six['srmr'], 3)}.",
            ]
        lines.append("")
    return lines


def _triple(values: list[float | None] | None) -> str:
    if not values:
        return "–"
    return f"{_cell(values[0])} [{_cell(values[1])}, {_cell(values[2])}]"
