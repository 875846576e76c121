"""What the national page and the status report show: figures with labels, tables, chart specs.

`load(year)` takes the year's national figures from `store` (stored, computed again only when
their inputs changed) and the participation live from the database, in a fixed number of queries;
`sections(page)` turns them into labelled rows, one-sentence summaries and Vega-Lite specs in the
current language. The web page and the report render the same sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.instrument.schema import Instrument
from mognad.national import figures, queries, store
from mognad.national.figures import TYPE_ORDER, GroupRow
from mognad.national.formatting import interval, percent
from mognad.national.queries import OVERALL, NodeKey
from mognad.national.stats import Mean
from mognad.national.store import NoInstrument as NoInstrument
from mognad.orgs.models import Organization, Unit
from mognad.results import charts


@dataclass
class NationalPage:
    year: int
    instrument: Instrument
    national: figures.NationalFigures
    change: figures.Change | None
    participation: figures.Participation
    series: list[figures.SeriesPoint]
    named: list[str]
    k: int
    with_results: dict[str, int]  # organizations with shown results, by organization type
    data_date: datetime | None
    base_data_date: datetime | None


def load(year: int) -> NationalPage:
    """The year's page: the stored national figures (`store.figures`) and live participation."""
    found = store.figures(year)
    return NationalPage(
        year=year,
        instrument=store.instrument(found.instrument),
        national=found.national,
        change=found.change,
        participation=figures.participation(year, queries.participation_rows(year)),
        series=found.series,
        named=found.named,
        k=found.k,
        with_results=found.with_results,
        data_date=found.data_date,
        base_data_date=found.base_data_date,
    )


# --- Labels -------------------------------------------------------------------------------------


def _language() -> str:
    from django.utils import translation

    return "en" if (translation.get_language() or "sv").startswith("en") else "sv"


def node_names(instrument: Instrument) -> dict[NodeKey, str]:
    language = _language()
    names: dict[NodeKey, str] = {OVERALL: _("Overall maturity")}
    for dimension in instrument.dimensions:
        names[("dimension", dimension.id)] = dimension.name.get(language)
    for category in instrument.categories:
        names[("category", category.id)] = category.name.get(language)
    for capability in instrument.capabilities:
        names[("capability", capability.id)] = capability.name.get(language)
    return names


def type_names(instrument: Instrument) -> dict[str, str]:
    language = _language()
    return {t.id: t.name.get(language) for t in instrument.types}


def _kind_names() -> dict[str, str]:
    return {value: str(label) for value, label in Organization.Kind.choices}


def _unit_type_names() -> dict[str, str]:
    return {value: str(label) for value, label in Unit.UnitType.choices}


def _unknown(key: str) -> str:
    return key or _("Not stated")


# --- Rows ---------------------------------------------------------------------------------------


def _mean_row(label: str, mean: Mean | None, **extra: Any) -> dict[str, Any]:
    shown = mean is not None and mean.mean is not None
    return {
        "label": label,
        "score": mean.mean if shown and mean else None,
        "low": mean.low if shown and mean else None,
        "high": mean.high if shown and mean else None,
        "n": mean.n if mean else 0,
        **extra,
    }


def _group_rows(rows: list[GroupRow], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        _mean_row(
            names.get(row.key, _unknown(row.key)),
            row.mean,
            organizations=row.organizations,
            units=row.units,
        )
        for row in rows
    ]


def _bars_summary(what: str, rows: list[dict[str, Any]]) -> str:
    shown = [r for r in rows if r["score"] is not None]
    if not shown:
        return _("%(what)s: no group has enough organizations to show a figure.") % {"what": what}
    high = max(shown, key=lambda r: r["score"])
    low = min(shown, key=lambda r: r["score"])
    if high is low:
        return _("%(what)s: %(label)s %(score)s.") % {
            "what": what,
            "label": high["label"],
            "score": percent(high["score"]),
        }
    return _("%(what)s: highest %(high)s (%(high_score)s), lowest %(low)s (%(low_score)s).") % {
        "what": what,
        "high": high["label"],
        "high_score": percent(high["score"]),
        "low": low["label"],
        "low_score": percent(low["score"]),
    }


def _bars(title: str, rows: list[dict[str, Any]], summary: str) -> dict[str, Any] | None:
    if not any(r["score"] is not None for r in rows):
        return None
    return charts.bars(
        title=title,
        description=summary,
        rows=[
            {"label": r["label"], "score": r["score"], "low": r["low"], "high": r["high"]}
            for r in rows
        ],
        x_title=_("Percent of optimal preconditions"),
        own_label=_("National mean"),
    )


def sections(page: NationalPage) -> dict[str, Any]:
    """Every section's rows, summaries and chart specs (in the current language)."""
    national = page.national
    instrument = page.instrument
    names = node_names(instrument)
    types = type_names(instrument)
    nodes = national.nodes

    headline = [_mean_row(names[OVERALL], nodes.get(OVERALL))]
    headline += [
        _mean_row(names[("dimension", d.id)], nodes.get(("dimension", d.id)))
        for d in instrument.dimensions
    ]
    category_rows = [
        _mean_row(names[("category", c.id)], nodes.get(("category", c.id)))
        for c in instrument.categories
    ]
    capability_rows = [
        _mean_row(
            names[("capability", cap.id)],
            nodes.get(("capability", cap.id)),
            category=names[("category", c.id)],
        )
        for c in instrument.categories
        for cap in c.capabilities
    ]
    overall = national.overall
    if overall.mean is None:
        summary = _("No organization has results for %(year)s yet.") % {"year": page.year}
    else:
        summary = ngettext(
            "National maturity %(year)s is %(score)s (95 %% interval %(interval)s) over "
            "%(n)s organization.",
            "National maturity %(year)s is %(score)s (95 %% interval %(interval)s) over "
            "%(n)s organizations.",
            overall.n,
        ) % {
            "year": page.year,
            "score": percent(overall.mean),
            "interval": interval(overall.low, overall.high),
            "n": overall.n,
        }

    type_rows: list[dict[str, Any]] = []
    for type_id in TYPE_ORDER:
        share = national.types.get(type_id)
        if share is None:
            continue
        type_rows.append(
            {
                "label": types.get(type_id, type_id),
                "count": share.count,
                "score": None if share.share is None else share.share * 100,
                "low": None if share.low is None else share.low * 100,
                "high": None if share.high is None else share.high * 100,
            }
        )
    typed = sum(r["count"] for r in type_rows)
    types_summary = (
        _("Share of organizations of each type: %(shares)s.")
        % {"shares": ", ".join(f"{r['label']} {percent(r['score'], 0)}" for r in type_rows)}
        if typed
        else _("No organization has a type for %(year)s yet.") % {"year": page.year}
    )

    kind_rows = _group_rows(national.by_kind, _kind_names())
    size_rows = _group_rows(national.by_size_class, {})
    county_rows = _group_rows(national.by_county, {})
    group_rows = _group_rows(national.by_municipality_group, {})
    unit_rows = _group_rows(national.by_unit_type, _unit_type_names())

    spread_rows = [
        {
            "label": names.get(("category", row.category_id), row.category_id),
            "organizations": row.organizations,
            "within": row.within_sd,
            "between": row.between_sd,
            "share": None if row.share_between is None else row.share_between * 100,
        }
        for row in national.spread
    ]

    change = page.change
    change_rows = []
    flows = []
    explanation = ""
    if change is not None:
        explanation = figures.explain(change)
        for node, found in change.nodes.items():
            change_rows.append(
                {
                    "label": names.get(node, node[1]),
                    "panel": found.panel,
                    "panel_before": found.panel_before,
                    "panel_after": found.panel_after,
                    "naive": found.naive,
                    "naive_before": found.naive_before,
                    "naive_after": found.naive_after,
                }
            )
        flows = [
            {"label": types.get(source, source), "counts": counts, "total": total}
            for source, counts, total in change.flow_matrix()
        ]

    trend_rows = []
    for point in page.series:
        trend_rows.append(
            {
                "year": point.year,
                "series": _("All organizations (naive)"),
                "score": point.naive.mean,
                "low": point.naive.low,
                "high": point.naive.high,
            }
        )
        if point.chained is not None:
            trend_rows.append(
                {
                    "year": point.year,
                    "series": _("Fixed panel, chained"),
                    "score": point.chained,
                    "low": None,
                    "high": None,
                }
            )
    trend_summary = _(
        "The national mean of each year over all organizations, next to an index that follows "
        "only organizations measured in consecutive years."
    )

    specs = {
        "categories": _bars(_("Categories"), headline + category_rows, summary),
        "capabilities": _bars(
            _("Capabilities"),
            capability_rows,
            _bars_summary(_("Capabilities"), capability_rows),
        ),
        "types": _bars(_("The four types"), type_rows, types_summary),
        "kinds": _bars(
            _("Organization types"), kind_rows, _bars_summary(_("Organization types"), kind_rows)
        ),
        "sizes": _bars(_("Size classes"), size_rows, _bars_summary(_("Size classes"), size_rows)),
        "counties": _bars(_("Counties"), county_rows, _bars_summary(_("Counties"), county_rows)),
        "groups": _bars(
            _("Municipality groups"),
            group_rows,
            _bars_summary(_("Municipality groups"), group_rows),
        ),
        "units": _bars(
            _("Unit types (sectors)"), unit_rows, _bars_summary(_("Unit types"), unit_rows)
        ),
        "trend": charts.trend(
            title=_("National maturity over the years"),
            description=trend_summary,
            rows=trend_rows,
            y_title=_("Percent of optimal preconditions"),
            x_title=_("Year"),
        )
        if trend_rows
        else None,
    }
    summaries = {
        "categories": summary,
        "capabilities": _bars_summary(_("Capabilities"), capability_rows),
        "types": types_summary,
        "kinds": _bars_summary(_("Organization types"), kind_rows),
        "sizes": _bars_summary(_("Size classes"), size_rows),
        "counties": _bars_summary(_("Counties"), county_rows),
        "groups": _bars_summary(_("Municipality groups"), group_rows),
        "units": _bars_summary(_("Unit types"), unit_rows),
        "trend": trend_summary,
    }
    quality = national.quality
    participation = page.participation
    kinds = _kind_names()
    with_results = page.with_results
    findings = [
        _bars_summary(_("Categories"), category_rows),
        types_summary,
        _bars_summary(_("Organization types"), kind_rows),
        _bars_summary(_("Unit types"), unit_rows),
    ]
    return {
        "summary": summary,
        "findings": findings,
        "headline": headline,
        "category_rows": category_rows,
        "capability_rows": capability_rows,
        "type_rows": type_rows,
        "type_names": [types.get(t, t) for t in TYPE_ORDER],
        "uncertain_types": national.uncertain_types,
        "typed": typed,
        "kind_rows": kind_rows,
        "size_rows": size_rows,
        "county_rows": county_rows,
        "group_rows": group_rows,
        "unit_rows": unit_rows,
        "spread_rows": spread_rows,
        "sector_spread": national.sector_spread,
        "change": change,
        "change_rows": change_rows,
        "flows": flows,
        "explanation": explanation,
        "trend_rows": [r for r in trend_rows if r["low"] is not None or r["score"] is not None],
        "series": page.series,
        "quality": quality,
        "dont_know_items": [
            {
                "label": _item_text(instrument, item.item_id),
                "share": item.share * 100,
                "seen": item.seen,
            }
            for item in quality.top_dont_know
        ],
        "participation": participation,
        "participation_tables": [
            {
                "caption": _("Participation by organization type"),
                "heading": _("Organization type"),
                "rows": [
                    {"label": kinds.get(row.key, _unknown(row.key)), "row": row}
                    for row in participation.by_kind
                ],
            },
            {
                "caption": _("Participation by county"),
                "heading": _("County"),
                "rows": [
                    {"label": _unknown(row.key), "row": row} for row in participation.by_county
                ],
            },
        ],
        "composition": [
            {
                "label": kinds.get(row.key, _unknown(row.key)),
                "registered": row.registered,
                "with_results": with_results.get(row.key, 0),
            }
            for row in participation.by_kind
        ],
        "hidden": national.hidden,
        "charts": {
            name: {"id": f"chart-{name}", "spec": spec, "summary": summaries[name], "svg": None}
            for name, spec in specs.items()
        },
        "min_organizations": figures.MIN_ORGANIZATIONS,
        "k": page.k,
        "instrument_key": instrument.key,
        "named": page.named,
    }


def _item_text(instrument: Instrument, item_id: str) -> str:
    language = _language()
    for item in instrument.items:
        if item.id == item_id:
            return item.text.get(language)
    return item_id
