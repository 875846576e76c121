"""`mognad score FILE.csv`: score a CSV file of answers offline, without a database.

The file format and the method are in docs/scoring.md. Bad input stops with one clear error naming
the file, the line and the column, and exit status 2.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mognad.instrument.loader import InstrumentError, find_instrument
from mognad.instrument.schema import Instrument
from mognad.scoring.answerfile import AnswerFileError, read_answers
from mognad.scoring.engine import Estimate, OrganizationScore, score
from mognad.scoring.structure import Structure

BAD_INPUT = 2


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _estimate(estimate: Estimate) -> dict[str, Any]:
    ci = None if estimate.ci is None else [round(bound, 1) for bound in estimate.ci]
    return {"score": _percent(estimate.score), "ci": ci, "n": estimate.n}


def as_json(
    result: OrganizationScore, instrument: Instrument, *, seed: int, resamples: int
) -> dict[str, Any]:
    """The command's JSON output: scores in percent rounded to 0.1."""
    quadrant = result.quadrant
    return {
        "instrument": instrument.key,
        "seed": seed,
        "resamples": resamples,
        "respondents": result.respondents,
        "overall": _estimate(result.overall),
        "dimensions": {k: _estimate(v) for k, v in result.dimensions.items()},
        "categories": {k: _estimate(v) for k, v in result.categories.items()},
        "capabilities": {k: _estimate(v) for k, v in result.capabilities.items()},
        "items": {
            k: {
                "score": _percent(v.score),
                "n": v.n,
                "dont_know": v.dont_know,
                "unanswered": v.unanswered,
            }
            for k, v in result.items.items()
        },
        "quadrant": None
        if quadrant is None
        else {
            "type": quadrant.type_id,
            "probabilities": {k: round(p, 3) for k, p in quadrant.probabilities.items()},
            "uncertain": quadrant.uncertain,
        },
        "strengths": list(result.strengths),
        "weaknesses": list(result.weaknesses),
        "consensus": {
            k: {
                "sd": _percent(v.sd),
                "agreement": None if v.agreement is None else round(v.agreement, 2),
                "n": v.n,
            }
            for k, v in result.consensus.items()
        },
        "flags": [
            {
                "code": flag.code,
                "subject": flag.subject,
                "detail": {
                    k: round(v, 3) if isinstance(v, float) else v for k, v in flag.detail.items()
                },
            }
            for flag in result.flags
        ],
    }


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _interval(estimate: Estimate) -> str:
    if estimate.ci is None:
        return ""
    return f"{estimate.ci[0]:.1f}–{estimate.ci[1]:.1f}"


def as_table(
    result: OrganizationScore, instrument: Instrument, *, seed: int, resamples: int
) -> str:
    """A readable report: the hierarchy with score, 95 % interval and counts, then the findings."""
    lines = [
        f"Instrument {instrument.key}, {result.respondents} respondents "
        f"(t intervals; type probabilities from {resamples} draws, seed {seed}).",
        "Scores in percent of optimal preconditions.",
        "",
        f"{'':44} {'score':>6}  {'95 % CI':<12} {'n':>5}  {'Vet ej':>6}",
    ]

    def row(label: str, estimate: Estimate, dont_know: str = "") -> None:
        lines.append(
            f"{label[:44]:44} {_cell(estimate.score):>6}  {_interval(estimate):<12} "
            f"{estimate.n:>5}  {dont_know:>6}"
        )

    row("Overall", result.overall)
    for dimension in instrument.dimensions:
        row(f"  {dimension.name.en} ({dimension.role})", result.dimensions[dimension.id])
        for category in dimension.categories:
            row(f"    {category.name.en}", result.categories[category.id])
            for capability in category.capabilities:
                row(f"      {capability.name.en}", result.capabilities[capability.id])
                for item in capability.items:
                    score_ = result.items[item.id]
                    estimate = Estimate(score_.score, score_.ci, score_.se, score_.n)
                    row(f"        {item.id}", estimate, str(score_.dont_know))
    lines.append("")
    if result.quadrant is None:
        lines.append("Maturity type: none (no score on one of the two dimensions)")
    else:
        names = {t.id: t.name.en for t in instrument.types}
        shares = ", ".join(
            f"{names.get(k, k)} {p:.0%}" for k, p in result.quadrant.probabilities.items()
        )
        verdict = "uncertain" if result.quadrant.uncertain else "certain"
        lines.append(
            f"Maturity type: {names.get(result.quadrant.type_id, result.quadrant.type_id)} "
            f"({verdict}; probabilities: {shares})"
        )
    lines.append(f"Strengths: {', '.join(result.strengths) or '–'}")
    lines.append(f"Weaknesses: {', '.join(result.weaknesses) or '–'}")
    lines.append("Consensus (SD of respondents' category scores, agreement r_wg):")
    for category_id, consensus in result.consensus.items():
        agreement = "–" if consensus.agreement is None else f"{consensus.agreement:.2f}"
        lines.append(f"  {category_id:40} SD {_cell(consensus.sd):>5}  r_wg {agreement:>4}")
    lines.append("Data-quality flags:" if result.flags else "Data-quality flags: none")
    for flag in result.flags:
        detail = ", ".join(
            f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in flag.detail.items()
        )
        subject = f" {flag.subject}" if flag.subject else ""
        lines.append(f"  {flag.code}{subject}: {detail}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Score a CSV file of answers offline (no database): one row per respondent, a 'respondent' "
        "column, item ids as columns, values 1–6, '-' for 'Vet ej', empty for unanswered."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.csv", help="the answers")
        parser.add_argument(
            "--instrument",
            metavar="FILE_OR_SLUG@VERSION",
            help="a YAML file, slug@version or slug (default: the latest standard instrument)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument(
            "--seed",
            default="0",
            help="seed of the draws behind the type probabilities (default 0)",
        )
        parser.add_argument(
            "--resamples", default="2000", help="draws behind the type probabilities (default 2000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = _whole_number("--seed", options["seed"], minimum=0)
        resamples = _whole_number("--resamples", options["resamples"], minimum=1)
        try:
            instrument = find_instrument(options["instrument"])
        except InstrumentError as exc:
            raise CommandError(f"cannot load the instrument: {exc}", returncode=BAD_INPUT) from None
        structure = Structure.from_instrument(instrument)
        try:
            answers = read_answers(options["file"], structure.item_ids)
        except AnswerFileError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None
        result = score(answers.answers, structure, resamples=resamples, seed=seed)
        if options["json"]:
            data = as_json(result, instrument, seed=seed, resamples=resamples)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_table(result, instrument, seed=seed, resamples=resamples))


def _whole_number(option: str, value: str, *, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise CommandError(
            f"{option} must be a whole number of at least {minimum}, got {value!r}",
            returncode=BAD_INPUT,
        )
    return number
