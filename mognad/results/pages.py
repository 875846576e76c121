"""What each results page shows, built from stored results through the suppression door.

Views, exports and the PDF report all build their content here, so they show the same figures.
Each builder reads only what `load` fetched plus a fixed number of queries of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from mognad.instrument.schema import Instrument, OrganizationType
from mognad.orgs.models import Organization, Unit
from mognad.results import charts, queries
from mognad.results.benchmarks import PEER_FIELDS, peer_value
from mognad.results.figures import (
    ORGANIZATION,
    OVERALL,
    Figure,
    GroupKey,
    MeasurementFigures,
    NodeKey,
)
from mognad.results.models import PeerGroup
from mognad.scoring.engine import Estimate, compare
from mognad.surveys.models import Measurement, MeasurementResult, Role

TOP = 3
WEAKEST_CAPABILITIES = 5


class NoResults(Exception):
    """The organization (or the chosen year or unit) has no results to show."""


def language() -> str:
    return "en" if (translation.get_language() or "sv").startswith("en") else "sv"


@dataclass
class Page:
    """One organization's results for one year, seen from one group (the organization or a unit)."""

    organization: Organization
    measurements: list[Measurement]
    measurement: Measurement
    figures: MeasurementFigures
    group: GroupKey
    unit: Unit | None
    scope: Unit | None  # the unit admin's unit, or None for the whole organization
    lang: str = field(default_factory=language)

    @property
    def instrument(self) -> Instrument:
        return self.measurement.instrument.definition()

    @property
    def year(self) -> int:
        return self.measurement.year

    @property
    def group_name(self) -> str:
        return self.unit.name if self.unit else self.organization.name

    def figure(self, node: NodeKey, group: GroupKey | None = None) -> Figure | None:
        return self.figures.figure(group or self.group, node)


def load(
    org: Organization,
    *,
    year: int | None,
    unit: Unit | None,
    scope: Unit | None,
) -> Page:
    """The page data: 2 queries (measurements, the year's stored groups)."""
    measurements = queries.closed_measurements(org)
    measurement = queries.pick_year(measurements, year)
    if measurement is None:
        raise NoResults
    figures = MeasurementFigures(measurement, queries.results_of(measurement))
    unit = unit or scope
    group = ("unit", str(unit.pk)) if unit is not None else ORGANIZATION
    return Page(org, measurements, measurement, figures, group, unit, scope)


# --- Names --------------------------------------------------------------------------------------


def node_names(instrument: Instrument, lang: str) -> dict[NodeKey, str]:
    names: dict[NodeKey, str] = {OVERALL: _("Overall maturity")}
    for d in instrument.dimensions:
        names[("dimension", d.id)] = d.name.get(lang)
    for c in instrument.categories:
        names[("category", c.id)] = c.name.get(lang)
    for cap in instrument.capabilities:
        names[("capability", cap.id)] = cap.name.get(lang)
    for item in instrument.items:
        names[("item", item.id)] = item.text.get(lang)
    return names


def role_name(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _type(instrument: Instrument, type_id: str) -> OrganizationType | None:
    return next((t for t in instrument.types if t.id == type_id), None)


def quadrant_names(instrument: Instrument, lang: str) -> dict[str, str]:
    return {f"{t.capability}-{t.legacy}": t.name.get(lang) for t in instrument.types}


def _interval(figure: Figure) -> tuple[float, float] | None:
    if figure.low is None or figure.high is None:
        return None
    return (figure.low, figure.high)


def row(label: str, figure: Figure | None, **extra: Any) -> dict[str, Any]:
    """A table/chart row: the figure's values, or None everywhere when hidden."""
    return {
        "label": label,
        "figure": figure,
        "score": round(figure.score, 1) if figure else None,
        "low": round(figure.low, 1) if figure and figure.low is not None else None,
        "high": round(figure.high, 1) if figure and figure.high is not None else None,
        **extra,
    }


def flag_texts(page: Page, group: GroupKey) -> list[str]:
    """The data-quality flags of a group in plain words."""
    names = node_names(page.instrument, page.lang)
    texts = []
    for flag in page.figures.flags(group):
        detail = flag.get("detail", {})
        code = flag.get("code")
        if code == "few_respondents":
            texts.append(
                _(
                    "Only %(respondents)s people answered. With fewer than %(threshold)s "
                    "respondents the figures are uncertain: read the intervals."
                )
                % detail
            )
        elif code == "low_response_rate":
            texts.append(
                _(
                    "The response rate was %(rate)s %% (%(responded)s of %(invited)s invited). "
                    "The results may not represent the whole organization."
                )
                % {**detail, "rate": round(100 * float(detail.get("rate", 0)))}
            )
        elif code == "straight_lining":
            texts.append(
                _(
                    "%(respondents)s respondents gave the same answer to every statement (at "
                    "least %(min_items)s). Their answers may not reflect a real judgement."
                )
                % detail
            )
        elif code == "high_dont_know":
            texts.append(
                _('Many answered "Don\'t know" (%(share)s %%) to: %(item)s')
                % {
                    "share": round(100 * float(detail.get("share", 0))),
                    "item": names.get(("item", flag.get("subject", "")), flag.get("subject")),
                }
            )
    quadrant = page.figures.quadrant(group, page.instrument)
    if quadrant and quadrant.get("uncertain"):
        texts.append(
            _(
                "The organization type is uncertain: no type reaches %(share)s %% probability. "
                "See the probabilities below."
            )
            % {"share": 80}
        )
    return texts


# --- Overview -----------------------------------------------------------------------------------


def overview(page: Page) -> dict[str, Any]:
    instrument, lang = page.instrument, page.lang
    capability = instrument.dimension_for_role("capability")
    legacy = instrument.dimension_for_role("legacy")
    overall = page.figure(OVERALL)
    cap = page.figure(("dimension", capability.id))
    leg = page.figure(("dimension", legacy.id))
    respondents = page.figures.respondents(page.group)
    invited = page.figures.invited(page.group)
    headline = [
        row(_("Overall maturity"), overall),
        row(capability.name.get(lang), cap),
        row(legacy.name.get(lang), leg),
    ]
    quadrant = page.figures.quadrant(page.group, instrument)
    org_type = _type(instrument, quadrant["type"]) if quadrant else None
    probabilities = []
    if quadrant:
        for t in instrument.types:
            share = float(quadrant.get("probabilities", {}).get(t.id, 0.0))
            probabilities.append({"name": t.name.get(lang), "percent": round(100 * share)})
    chart = None
    summary = _("There are too few respondents to place the organization in the matrix.")
    if cap and leg:
        chart = charts.matrix(
            title=_("Digital capability and digital legacy"),
            description=_("The position in the matrix, its confidence intervals drawn as a cross."),
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
        )
        summary = _(
            "%(name)s has %(cap)s %% on %(cap_name)s and %(leg)s %% on %(leg_name)s, which makes "
            "it the type %(type)s."
        ) % {
            "name": page.group_name,
            "cap": round(cap.score),
            "cap_name": capability.name.get(lang).lower(),
            "leg": round(leg.score),
            "leg_name": legacy.name.get(lang).lower(),
            "type": org_type.name.get(lang) if org_type else "–",
        }
    return {
        "headline": headline,
        "overall": overall,
        "respondents": respondents,
        "invited": invited,
        "response_rate": round(100 * respondents / invited) if respondents and invited else None,
        "org_type": org_type,
        "type_name": org_type.name.get(lang) if org_type else None,
        "type_description": org_type.description.get(lang) if org_type else None,
        "recommendations": [r.get(lang) for r in org_type.recommendations] if org_type else [],
        "probabilities": probabilities,
        "matrix_chart": chart,
        "matrix_summary": summary,
        "flags": flag_texts(page, page.group),
        "k": page.figures.k,
    }


# --- Categories and capabilities ------------------------------------------------------------------


def peer_choice(page: Page, requested: str | None) -> tuple[str, str]:
    """The peer group to compare with (the same organization type by default) and its value."""
    peer_group = requested or PeerGroup.KIND
    return peer_group, peer_value(page.organization, peer_group)


def peer_label(org: Organization, peer_group: str, value: str) -> str:
    if peer_group == PeerGroup.ALL:
        return _("All organizations")
    if peer_group == PeerGroup.KIND:
        return _("Organization type: %(value)s") % {"value": org.get_kind_display()}
    if peer_group == PeerGroup.SIZE_CLASS:
        return _("Size class: %(value)s") % {"value": value}
    if peer_group == PeerGroup.COUNTY:
        return _("County: %(value)s") % {"value": value}
    return _("Municipality group: %(value)s") % {"value": value}


def categories(page: Page, peer_group: str | None = None) -> dict[str, Any]:
    instrument, lang = page.instrument, page.lang
    peer_group, value = peer_choice(page, peer_group)
    benchmarks = (
        queries.benchmarks(page.measurement, peer_group, value)
        if value or peer_group == PeerGroup.ALL
        else {}
    )
    label = peer_label(page.organization, peer_group, value)

    def peer(node: NodeKey) -> float | None:
        b = benchmarks.get(node)
        return round(b.mean, 1) if b else None

    category_rows = []
    for c in instrument.categories:
        node = ("category", c.id)
        fig = page.figure(node)
        p = peer(node)
        consensus = page.figures.consensus(page.group, c.id)
        category_rows.append(
            row(
                c.name.get(lang),
                fig,
                id=c.id,
                peer=p,
                peer_count=benchmarks[node].count if node in benchmarks else None,
                gap=round(fig.score - p, 1) if fig and p is not None else None,
                consensus=consensus,
            )
        )
    capability_rows = []
    for c in instrument.categories:
        for cap in c.capabilities:
            node = ("capability", cap.id)
            fig = page.figure(node)
            p = peer(node)
            capability_rows.append(
                row(
                    cap.name.get(lang),
                    fig,
                    id=cap.id,
                    category=c.name.get(lang),
                    peer=p,
                    gap=round(fig.score - p, 1) if fig and p is not None else None,
                )
            )
    answer_labels = [s.label.get(lang) for s in instrument.scale] + [instrument.dont_know.get(lang)]
    item_rows = []
    distribution_rows = []
    for item in instrument.items:
        fig = page.figure(("item", item.id))
        shares: list[int] = []
        if fig and fig.distribution:
            counts = [*fig.distribution, fig.dont_know]
            seen = sum(counts) or 1
            shares = [round(100 * c / seen) for c in counts]
            for order, (answer, count) in enumerate(zip(answer_labels, counts, strict=True)):
                distribution_rows.append(
                    {"label": item.id, "answer": answer, "order": order, "share": count / seen}
                )
        item_rows.append(
            row(
                item.text.get(lang),
                fig,
                id=item.id,
                shares=shares,
                dont_know=round(100 * fig.dont_know_share)
                if fig and fig.dont_know_share is not None
                else None,
                peer=peer(("item", item.id)),
            )
        )
    names = {c.id: c.name.get(lang) for c in instrument.categories}
    strengths = [names[c] for c in page.figures.ranked(page.group, "strengths") if c in names]
    weaknesses = [names[c] for c in page.figures.ranked(page.group, "weaknesses") if c in names]
    gaps = sorted(
        [r for r in category_rows + capability_rows if r["gap"] is not None],
        key=lambda r: r["gap"],
    )[:TOP]
    own_name = page.group_name
    spider_series: list[tuple[str, list[float | None]]] = [
        (own_name, [r["score"] for r in category_rows])
    ]
    if any(r["peer"] is not None for r in category_rows):
        spider_series.append((label, [r["peer"] for r in category_rows]))
    shown = [r for r in category_rows if r["score"] is not None]
    spider = (
        charts.spider(
            title=_("The six categories"),
            description=_("Own scores against the peer average per category."),
            axes=[r["label"] for r in category_rows],
            series=spider_series,
        )
        if len(shown) >= 3
        else None
    )
    if shown:
        best = max(shown, key=lambda r: r["score"])
        worst = min(shown, key=lambda r: r["score"])
        spider_summary = _(
            "The highest category is %(best)s (%(best_score)s %%), the lowest %(worst)s "
            "(%(worst_score)s %%)."
        ) % {
            "best": best["label"],
            "best_score": round(best["score"]),
            "worst": worst["label"],
            "worst_score": round(worst["score"]),
        }
    else:
        spider_summary = _("No category has enough respondents to be shown.")
    capability_chart = charts.bars(
        title=_("Capabilities"),
        description=_(
            "Score per capability with its confidence interval; the tick is the peer average."
        ),
        rows=capability_rows,
        x_title=_("Percent of optimal preconditions"),
        own_label=own_name,
        peer_label=label,
    )
    item_chart = charts.distribution(
        title=_("Answers per statement"),
        description=_("The share of each answer per statement, including Don't know."),
        rows=distribution_rows,
        answer_labels=answer_labels,
        x_title=_("Share of those who saw the statement"),
    )
    return {
        "peer_group": peer_group,
        "peer_groups": PeerGroup.choices,
        "peer_label": label,
        "peer_available": bool(benchmarks),
        "category_rows": category_rows,
        "capability_rows": capability_rows,
        "item_rows": item_rows,
        "answer_labels": answer_labels,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "gaps": gaps,
        "spider_chart": spider,
        "spider_summary": spider_summary,
        "capability_chart": capability_chart if any(r["score"] for r in capability_rows) else None,
        "item_chart": item_chart if distribution_rows else None,
    }


# --- Internal comparison --------------------------------------------------------------------------


def _columns(instrument: Instrument) -> list[tuple[NodeKey, str]]:
    return [(("dimension", d.id), d.id) for d in instrument.dimensions]


def internal(page: Page) -> dict[str, Any]:
    instrument, lang = page.instrument, page.lang
    figures = page.figures
    dimension_nodes = [("dimension", d.id) for d in instrument.dimensions]
    category_nodes = [("category", c.id) for c in instrument.categories]
    root = page.group
    base_depth = figures.depth(root)

    def group_row(group_key: GroupKey, label: str, depth: int = 0) -> dict[str, Any]:
        return {
            "key": group_key,
            "label": label,
            "depth": depth,
            "unit_id": group_key[1] if group_key[0] == "unit" else None,
            "respondents": figures.respondents(group_key),
            "overall": figures.figure(group_key, OVERALL),
            "dimensions": [figures.figure(group_key, n) for n in dimension_nodes],
            "categories": [figures.figure(group_key, n) for n in category_nodes],
        }

    unit_rows = []
    for group in figures.subtree(root):
        unit = group.result.unit
        label = (
            page.organization.name
            if group.key == ORGANIZATION
            else (unit.name if unit else _("A unit that no longer exists"))
        )
        depth = figures.depth(group.key) - base_depth
        unit_rows.append(group_row(group.key, label, depth))
    role_rows = []
    if root == ORGANIZATION:
        role_rows = [group_row(g.key, role_name(g.key[1])) for g in figures.roles()]
    consensus_rows = []
    for c in instrument.categories:
        entry = figures.consensus(root, c.id)
        consensus_rows.append(
            {
                "label": c.name.get(lang),
                "sd": round(entry["sd"], 1) if entry else None,
                "agreement": round(entry["agreement"], 2) if entry else None,
                "low_agreement": bool(entry and entry["agreement"] < 0.5),
            }
        )
    chart_rows = [row(r["label"], r["overall"]) for r in unit_rows[1:] if r["overall"] is not None]
    role_chart_rows = [row(r["label"], r["overall"]) for r in role_rows if r["overall"]]
    hidden_units = sum(1 for r in unit_rows if r["respondents"] is None)
    return {
        "dimension_names": [d.name.get(lang) for d in instrument.dimensions],
        "category_names": [c.name.get(lang) for c in instrument.categories],
        "unit_rows": unit_rows,
        "role_rows": role_rows,
        "consensus_rows": consensus_rows,
        "hidden_units": hidden_units,
        "units_chart": charts.bars(
            title=_("Overall maturity per unit"),
            description=_("Overall maturity per unit with its confidence interval."),
            rows=chart_rows,
            x_title=_("Percent of optimal preconditions"),
            own_label=_("Overall maturity"),
        )
        if chart_rows
        else None,
        "roles_chart": charts.bars(
            title=_("Overall maturity per role"),
            description=_("Overall maturity per respondent role with its confidence interval."),
            rows=role_chart_rows,
            x_title=_("Percent of optimal preconditions"),
            own_label=_("Overall maturity"),
        )
        if role_chart_rows
        else None,
        "roles_summary": _roles_summary(role_rows),
        "units_summary": _units_summary(unit_rows[1:], hidden_units, page.figures.k),
    }


def _roles_summary(role_rows: list[dict[str, Any]]) -> str:
    shown = [r for r in role_rows if r["overall"] is not None]
    if len(shown) < 2:
        return _("Fewer than two roles have enough respondents to compare.")
    high = max(shown, key=lambda r: r["overall"].score)
    low = min(shown, key=lambda r: r["overall"].score)
    return _(
        "%(high)s see the organization most positively (%(high_score)s %%), %(low)s least "
        "(%(low_score)s %%)."
    ) % {
        "high": high["label"],
        "high_score": round(high["overall"].score),
        "low": low["label"],
        "low_score": round(low["overall"].score),
    }


def _units_summary(unit_rows: list[dict[str, Any]], hidden: int, k: int) -> str:
    shown = [r for r in unit_rows if r["overall"] is not None]
    text = ""
    if len(shown) >= 2:
        high = max(shown, key=lambda r: r["overall"].score)
        low = min(shown, key=lambda r: r["overall"].score)
        text = _(
            "The highest unit is %(high)s (%(high_score)s %%), the lowest %(low)s "
            "(%(low_score)s %%)."
        ) % {
            "high": high["label"],
            "high_score": round(high["overall"].score),
            "low": low["label"],
            "low_score": round(low["overall"].score),
        }
    elif not shown:
        text = _("No unit has enough respondents to be shown.")
    if hidden:
        text += " " + _(
            "Figures are hidden for groups with fewer than %(k)s respondents, and for groups "
            "whose figures could otherwise be worked out from the others."
        ) % {"k": k}
    return text.strip()


# --- All organizations --------------------------------------------------------------------------


def node_choices(instrument: Instrument, lang: str) -> list[tuple[str, str]]:
    choices = [("overall", _("Overall maturity"))]
    choices += [(f"dimension:{d.id}", d.name.get(lang)) for d in instrument.dimensions]
    choices += [(f"category:{c.id}", c.name.get(lang)) for c in instrument.categories]
    choices += [(f"capability:{c.id}", "– " + c.name.get(lang)) for c in instrument.capabilities]
    return choices


def parse_node(value: str) -> NodeKey:
    kind, _sep, node_id = value.partition(":")
    return (kind, node_id)


def all_organizations(page: Page, node: NodeKey, filters: dict[str, str]) -> dict[str, Any]:
    lang = page.lang
    peers = queries.peer_scores(page.measurement, node[0], node[1], filters)
    own = page.figures.figure(ORGANIZATION, node)
    names = node_names(page.instrument, lang)
    node_name = names.get(node, node[1])
    enough = len(peers) >= 5
    bins = [{"start": s, "end": s + 5, "count": 0} for s in range(0, 100, 5)]
    percentile = None
    named = []
    if enough:
        for p in peers:
            bins[min(int(p.score // 5), 19)]["count"] += 1
        if own is not None:
            others = [p.score for p in peers if p.organization_id != page.organization.pk]
            below = sum(1 for s in others if s < own.score)
            ties = sum(1 for s in others if s == own.score)
            percentile = round(100 * (below + ties / 2) / len(others)) if others else None
        named = sorted(
            (
                {
                    "name": p.name,
                    "score": round(p.score, 1),
                    "own": p.organization_id == page.organization.pk,
                }
                for p in peers
                if p.named or p.organization_id == page.organization.pk
            ),
            key=lambda r: -float(r["score"]),  # type: ignore[arg-type]
        )
    mean = round(sum(p.score for p in peers) / len(peers), 1) if enough else None
    chart = (
        charts.peer_histogram(
            title=_("%(node)s: all organizations") % {"node": node_name},
            description=_("How many organizations scored in each band; the line is yours."),
            bins=bins,
            own=own.score if own else None,
            own_label=page.organization.name,
            x_title=_("Percent of optimal preconditions"),
            y_title=_("Organizations"),
        )
        if enough
        else None
    )
    if enough and own is not None and percentile is not None:
        summary = _(
            "%(name)s has %(score)s %% on %(node)s, higher than %(percentile)s %% of the "
            "%(count)s organizations compared (their average is %(mean)s %%)."
        ) % {
            "name": page.organization.name,
            "score": round(own.score),
            "node": node_name,
            "percentile": percentile,
            "count": len(peers),
            "mean": round(mean or 0),
        }
    elif enough:
        summary = _("%(count)s organizations are compared; the average is %(mean)s %%.") % {
            "count": len(peers),
            "mean": round(mean or 0),
        }
    else:
        summary = _("Fewer than 5 organizations match the filters, so no comparison is shown.")
    return {
        "node": node,
        "node_name": node_name,
        "count": len(peers),
        "enough": enough,
        "own": own,
        "mean": mean,
        "percentile": percentile,
        "bins": [b for b in bins if b["count"]],
        "named": named,
        "anonymous_count": len(peers) - len(named) if enough else 0,
        "chart": chart,
        "summary": summary,
    }


# --- Over time ----------------------------------------------------------------------------------


def comparable(a: Measurement, b: Measurement) -> bool:
    """Two measurements compare when their instruments share the slug, structure and cut-offs."""
    if a.instrument_id == b.instrument_id:
        return True
    ia, ib = a.instrument.definition(), b.instrument.definition()
    return (
        ia.id == ib.id
        and [(d.id, [c.id for c in d.categories]) for d in ia.dimensions]
        == [(d.id, [c.id for c in d.categories]) for d in ib.dimensions]
        and (ia.capability_cutoff, ia.legacy_cutoff) == (ib.capability_cutoff, ib.legacy_cutoff)
    )


def _estimate(figure: Figure | None) -> Estimate:
    if figure is None:
        return Estimate(None, None, None, 0)
    ci = (figure.low, figure.high) if figure.low is not None and figure.high is not None else None
    return Estimate(figure.score, ci, figure.se, figure.n)


def over_time(page: Page) -> dict[str, Any]:
    """The yearly series of the page's group: 1 query for every year's stored groups."""
    lang = page.lang
    measurements = page.measurements
    results = queries.results_of_many(measurements, organization_only=page.group == ORGANIZATION)
    by_measurement: dict[int, list[MeasurementResult]] = {}
    for result in results:
        by_measurement.setdefault(result.measurement_id, []).append(result)
    instrument = page.instrument
    nodes = [(OVERALL, _("Overall maturity"))] + [
        (("dimension", d.id), d.name.get(lang)) for d in instrument.dimensions
    ]
    years = []
    previous: tuple[Measurement, MeasurementFigures] | None = None
    for measurement in measurements:
        figures = MeasurementFigures(measurement, by_measurement.get(measurement.pk, []))
        definition = measurement.instrument.definition()
        quadrant = figures.quadrant(page.group, definition)
        org_type = _type(definition, quadrant["type"]) if quadrant else None
        entry: dict[str, Any] = {
            "year": measurement.year,
            "instrument": measurement.instrument.key,
            "respondents": figures.respondents(page.group),
            "type_name": org_type.name.get(lang) if org_type else None,
            "uncertain": bool(quadrant and quadrant.get("uncertain")),
            "values": [],
            "comparable": None,
        }
        for node, _name in nodes:
            fig = figures.figure(page.group, node)
            change = None
            if previous is not None and comparable(previous[0], measurement):
                before = previous[1].figure(page.group, node)
                if before is not None and fig is not None:
                    change = compare(_estimate(before), _estimate(fig))
            entry["values"].append({"figure": fig, "change": change})
        if previous is not None:
            entry["comparable"] = comparable(previous[0], measurement)
        years.append(entry)
        previous = (measurement, figures)
    chart_rows = [
        {
            "year": entry["year"],
            "series": name,
            "score": round(value["figure"].score, 1),
            "low": value["figure"].low,
            "high": value["figure"].high,
        }
        for entry in years
        for (_node, name), value in zip(nodes, entry["values"], strict=True)
        if value["figure"] is not None
    ]
    path = [(e["year"], e["type_name"]) for e in years if e["type_name"]]
    shown = [e for e in years if e["values"][0]["figure"] is not None]
    if len(shown) >= 2:
        first, last = shown[0], shown[-1]
        summary = _(
            "Overall maturity went from %(first)s %% in %(first_year)s to %(last)s %% in "
            "%(last_year)s."
        ) % {
            "first": round(first["values"][0]["figure"].score),
            "first_year": first["year"],
            "last": round(last["values"][0]["figure"].score),
            "last_year": last["year"],
        }
    else:
        summary = _("There is not yet more than one year to compare.")
    return {
        "node_names": [name for _node, name in nodes],
        "years": years,
        "path": path,
        "not_comparable": [e["year"] for e in years if e["comparable"] is False],
        "chart": charts.trend(
            title=_("Maturity over the years"),
            description=_("Yearly scores with their confidence intervals."),
            rows=chart_rows,
            y_title=_("Percent of optimal preconditions"),
            x_title=_("Year"),
        )
        if chart_rows
        else None,
        "summary": summary,
    }


# --- Improvement suggestions --------------------------------------------------------------------


def suggestions(page: Page) -> dict[str, Any]:
    """The instrument's suggestions for the weakest categories and capabilities, weakest first."""
    instrument, lang = page.instrument, page.lang
    category_items: list[dict[str, Any]] = []
    for c in instrument.categories:
        fig = page.figure(("category", c.id))
        if fig is None:
            continue
        category_items.append(
            {
                "name": c.name.get(lang),
                "score": round(fig.score, 1),
                "suggestions": [s.get(lang) for s in c.suggestions],
            }
        )
    category_items.sort(key=lambda r: r["score"])
    capability_items: list[dict[str, Any]] = []
    for c in instrument.categories:
        for cap in c.capabilities:
            fig = page.figure(("capability", cap.id))
            if fig is None or not cap.suggestions:
                continue
            capability_items.append(
                {
                    "name": cap.name.get(lang),
                    "category": c.name.get(lang),
                    "score": round(fig.score, 1),
                    "suggestions": [s.get(lang) for s in cap.suggestions],
                }
            )
    capability_items.sort(key=lambda r: r["score"])
    quadrant = page.figures.quadrant(page.group, instrument)
    org_type = _type(instrument, quadrant["type"]) if quadrant else None
    return {
        "weakest_categories": category_items[:TOP],
        "weakest_capabilities": capability_items[:WEAKEST_CAPABILITIES],
        "type_name": org_type.name.get(lang) if org_type else None,
        "recommendations": [r.get(lang) for r in org_type.recommendations] if org_type else [],
    }


def all_flags(page: Page) -> Iterable[str]:
    return flag_texts(page, page.group)


PEER_FIELD_NAMES = PEER_FIELDS
