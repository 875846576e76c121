"""The overview tab: overall maturity and the dimensions, the matrix, the type and data quality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.instrument.schema import Dimension, OrganizationType
from mognad.results import charts, queries
from mognad.results.benchmarks import peer_value
from mognad.results.figures import ORGANIZATION, OVERALL, Figure, GroupKey, MeasurementFigures
from mognad.results.models import PeerGroup
from mognad.results.pages.base import FigureRow, Page
from mognad.results.pages.categories import peer_label
from mognad.results.wording import find_type, node_names, quadrant_names, whole
from mognad.scoring.engine import CERTAIN_QUADRANT, calibrated
from mognad.surveys import insiders


@dataclass(frozen=True)
class TypeChance:
    """How likely one organization type is, given the uncertainty of the scores."""

    name: str
    percent: int
    uncertain: bool  # from 5 % to below 95 %: not calibrated, a rough guide only


@dataclass(frozen=True)
class Overview:
    headline: tuple[FigureRow, ...]  # overall maturity, then the two dimensions
    respondents: int | None
    invited: int | None
    response_rate: int | None  # percent, when both counts are shown
    type_name: str | None
    type_uncertain: bool  # no type reaches 95 %
    type_description: str | None
    recommendations: tuple[str, ...]
    probabilities: tuple[TypeChance, ...]
    matrix_chart: charts.Spec | None
    matrix_summary: str
    flags: tuple[str, ...]
    sampling_note: str
    k: int
    # Respondents added, removed or moved after the measurement opened (surveys/insiders.py).
    roster_changes: tuple[str, ...]


def build(page: Page) -> Overview:
    instrument, lang = page.instrument, page.lang
    capability = instrument.dimension_for_role("capability")
    legacy = instrument.dimension_for_role("legacy")
    respondents = page.figures.respondents(page.group)
    invited = page.figures.invited(page.group)
    org_type = current_type(page, page.group)
    quadrant = page.figures.quadrant(page.group, instrument)
    return Overview(
        headline=(
            FigureRow(_("Overall maturity"), page.figure(OVERALL)),
            FigureRow(capability.name.get(lang), page.figure(("dimension", capability.id))),
            FigureRow(legacy.name.get(lang), page.figure(("dimension", legacy.id))),
        ),
        respondents=respondents,
        invited=invited,
        response_rate=whole(100 * respondents / invited) if respondents and invited else None,
        type_name=org_type.name.get(lang) if org_type else None,
        type_uncertain=bool(org_type and quadrant and quadrant.get("uncertain")),
        type_description=org_type.description.get(lang) if org_type else None,
        recommendations=recommendations(org_type, lang),
        probabilities=_probabilities(page),
        matrix_chart=_matrix_chart(page, capability, legacy),
        matrix_summary=_matrix_summary(page, capability, legacy, org_type),
        flags=flag_texts(page, page.group),
        sampling_note=sampling_note(page.figures.payload(page.group)),
        k=page.figures.k,
        roster_changes=insiders.describe_changes(page.measurement),
    )


def current_type(page: Page, group: GroupKey) -> OrganizationType | None:
    """The group's organization type, when both dimensions are shown."""
    quadrant = page.figures.quadrant(group, page.instrument)
    return find_type(page.instrument, quadrant["type"]) if quadrant else None


def recommendations(org_type: OrganizationType | None, lang: str) -> tuple[str, ...]:
    return tuple(r.get(lang) for r in org_type.recommendations) if org_type else ()


def _probabilities(page: Page) -> tuple[TypeChance, ...]:
    quadrant = page.figures.quadrant(page.group, page.instrument)
    if not quadrant:
        return ()
    shares = {
        t.id: float(quadrant.get("probabilities", {}).get(t.id, 0.0)) for t in page.instrument.types
    }
    return tuple(
        TypeChance(
            t.name.get(page.lang),
            whole(100 * shares[t.id]),
            not calibrated(shares[t.id]),
        )
        for t in page.instrument.types
    )


def sampling_note(payload: dict[str, Any] | None) -> str:
    """What the intervals assume about who answered, in plain words (docs/scoring.md §3). Only
    the design is read: its counts stay behind the disclosure-control door."""
    sampling = (payload or {}).get("sampling") or {}
    design = sampling.get("design", "sample")
    if design == "whole_group":
        return _(
            "The whole target group was invited – finite-population correction: the intervals "
            "take into account how many of the invited answered, and shrink to the score itself "
            "when everyone has answered. They assume that those who did not answer would have "
            "answered like those who did."
        )
    if design == "units":
        return _(
            "Whole units were chosen: the intervals count the units that answered, not the "
            "people, since people in one unit tend to answer alike. With few units they are "
            "wide, and with fewer than about ten they may still be too narrow: in our simulations "
            "they covered the true score 89–95 times in 100 instead of 95."
        )
    return _(
        "The intervals assume that those who answered are a random sample of the group. If "
        "whole units were chosen instead, the intervals for the whole organization may be too "
        "narrow: the key user can state it in the measurement's settings."
    )


def _interval(figure: Figure) -> tuple[float, float] | None:
    if figure.low is None or figure.high is None:
        return None
    return (figure.low, figure.high)


def _matrix_chart(page: Page, capability: Dimension, legacy: Dimension) -> charts.Spec | None:
    instrument, lang = page.instrument, page.lang
    cap = page.figure(("dimension", capability.id))
    leg = page.figure(("dimension", legacy.id))
    if not (cap and leg):
        return None
    return charts.matrix(
        title=_("Digital capability and digital legacy"),
        description=_(
            "The position in the matrix, its confidence intervals drawn as a cross, the path "
            "through the earlier years and, as context, the peer group's and the national "
            "average."
        ),
        x_title=capability.name.get(lang) + " (%)",
        y_title=legacy.name.get(lang) + " (%)",
        x=cap.score,
        y=leg.score,
        x_interval=_interval(cap),
        y_interval=_interval(leg),
        x_cutoff=instrument.capability_cutoff,
        y_cutoff=instrument.legacy_cutoff,
        quadrant_names=quadrant_names(instrument, lang),
        label=page.group_name,
        path=_matrix_path(page, capability, legacy),
        context=_matrix_context(page, capability, legacy),
    )


def _matrix_path(page: Page, capability: Dimension, legacy: Dimension) -> list[charts.Position]:
    """The group's place in the earlier years whose questionnaire compares with this one's (the
    same dimensions and cut-offs): 1 query, when there are earlier years."""
    from mognad.results.pages.over_time import comparable

    earlier = [
        m for m in page.measurements if m.year < page.year and comparable(m, page.measurement)
    ]
    if not earlier:
        return []
    results = queries.results_of_many(earlier, organization_only=page.group == ORGANIZATION)
    path = []
    for measurement in earlier:
        figures = MeasurementFigures(
            measurement, [r for r in results if r.measurement_id == measurement.pk]
        )
        cap = figures.figure(page.group, ("dimension", capability.id))
        leg = figures.figure(page.group, ("dimension", legacy.id))
        if cap and leg:
            path.append(charts.Position(page.group_name, cap.score, leg.score, measurement.year))
    return path


def _matrix_context(page: Page, capability: Dimension, legacy: Dimension) -> list[charts.Position]:
    """The averages of the organization's peer group (its kind of organization) and of all
    organizations, as the benchmarks hold them (only what the disclosure-control door released;
    1 query)."""
    kind = (PeerGroup.KIND, peer_value(page.organization, PeerGroup.KIND))
    national = (PeerGroup.ALL, "")
    found = queries.dimension_benchmarks(page.measurement, [kind, national])
    context = []
    for group, name in (
        (kind, peer_label(page.organization, kind[0], kind[1])),
        (national, _("National average")),
    ):
        cap, leg = found[group].get(capability.id), found[group].get(legacy.id)
        if cap and leg:
            context.append(charts.Position(name, cap.mean, leg.mean))
    return context


def _matrix_summary(
    page: Page, capability: Dimension, legacy: Dimension, org_type: OrganizationType | None
) -> str:
    lang = page.lang
    cap = page.figure(("dimension", capability.id))
    leg = page.figure(("dimension", legacy.id))
    if not (cap and leg):
        return _("There are too few respondents to place the organization in the matrix.")
    return _(
        "%(name)s has %(cap)s %% on %(cap_name)s and %(leg)s %% on %(leg_name)s, which makes "
        "it the type %(type)s."
    ) % {
        "name": page.group_name,
        "cap": whole(cap.score),
        "cap_name": capability.name.get(lang).lower(),
        "leg": whole(leg.score),
        "leg_name": legacy.name.get(lang).lower(),
        "type": org_type.name.get(lang) if org_type else "–",
    }


# --- Data quality -------------------------------------------------------------------------------


def _flag_text(code: str, detail: dict[str, Any], item: str) -> str | None:
    """A stored data-quality flag in plain words (None for a flag the pages do not show)."""
    if code == "few_respondents":
        return (
            ngettext(
                "Only %(respondents)s person answered. With fewer than %(threshold)s "
                "respondents every figure is uncertain and its interval is wide. The interval "
                "covers the true score 95 times in 100 if those who answered are a random sample "
                "of the group; it cannot show a skew in who chose to answer, nor tell whether "
                "the answers are honest. A statement only one person answered gets the whole "
                "scale, 0–100 %%.",
                "Only %(respondents)s people answered. With fewer than %(threshold)s "
                "respondents every figure is uncertain and its interval is wide. The interval "
                "covers the true score 95 times in 100 if those who answered are a random sample "
                "of the group; it cannot show a skew in who chose to answer, nor tell whether "
                "the answers are honest. A statement only one person answered gets the whole "
                "scale, 0–100 %%.",
                _count(detail, "respondents"),
            )
            % detail
        )
    if code == "low_response_rate":
        return _(
            "The response rate was %(rate)s %% (%(responded)s of %(invited)s invited). "
            "The results may not represent the whole organization."
        ) % {**detail, "rate": whole(100 * float(detail.get("rate", 0)))}
    if code == "straight_lining":
        return (
            ngettext(
                "%(respondents)s respondent gave the same answer to every statement (at "
                "least %(min_items)s). The answers may not reflect a real judgement.",
                "%(respondents)s respondents gave the same answer to every statement (at "
                "least %(min_items)s). Their answers may not reflect a real judgement.",
                _count(detail, "respondents"),
            )
            % detail
        )
    if code == "high_dont_know":
        return _('Many answered "Don\'t know" (%(share)s %%) to: %(item)s') % {
            "share": whole(100 * float(detail.get("share", 0))),
            "item": item,
        }
    return None


def _count(detail: dict[str, Any], key: str) -> int:
    """A stored count, for choosing the plural (0 when it is missing or not a number)."""
    try:
        return int(detail.get(key, 0))
    except (TypeError, ValueError):
        return 0


def flag_texts(page: Page, group: GroupKey) -> tuple[str, ...]:
    """The data-quality flags of a group in plain words."""
    names = node_names(page.instrument, page.lang)
    texts = []
    for flag in page.figures.flags(group):
        subject = flag.get("subject", "")
        item = names.get(("item", subject), subject)
        text = _flag_text(flag.get("code", ""), flag.get("detail", {}), item)
        if text is not None:
            texts.append(text)
    quadrant = page.figures.quadrant(group, page.instrument)
    if quadrant and quadrant.get("uncertain"):
        texts.append(
            _(
                "The maturity type is uncertain: no type reaches %(share)s %% probability. "
                "How likely each type is stands with the matrix."
            )
            % {"share": round(CERTAIN_QUADRANT * 100)}
        )
    return tuple(texts)
