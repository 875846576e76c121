"""Every organization in the capability × legacy matrix, for the status report.

A dot is one organization's own overall pair (its shown capability and legacy scores, as the
disclosure door released them). The rules, so that an organization that did not agree to be named
cannot be picked out:

- an unnamed organization's dot carries no label and no attribute: no name, kind, size class,
  county or colour by any of them (a colour by kind would name the only unnamed region of a
  county, say). Unnamed dots are drawn alike and listed in the table only as counts per type;
- unnamed dots are shown only when there are none or at least `unnamed_threshold()` of them, the
  rule the national figures use for unnamed organizations; with fewer the report says so;
- the dots are ordered by their position, never by id or name (an id order is the order in
  which organizations registered);
- a named organization's dot is labelled with its name: its figures are public by its consent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.instrument.schema import Instrument
from mognad.national.queries import OrganizationYear
from mognad.results.charts.base import ACCENT, GREY, INK, Spec, _base, _percent, _square
from mognad.results.charts.matrix import _quadrant_labels
from mognad.results.disclosure.door import unnamed_threshold
from mognad.results.wording import node_names, number, quadrant_names, type_names


@dataclass(frozen=True)
class Dot:
    capability: float
    legacy: float
    name: str | None  # None: an organization that did not agree to be named
    type_id: str  # the stored type (a function of the position), "" when it is not shown


@dataclass(frozen=True)
class TypeCount:
    label: str
    named: int
    unnamed: int


@dataclass(frozen=True)
class Scatter:
    dots: tuple[Dot, ...]  # ordered by position
    counts: tuple[TypeCount, ...]  # organizations per type (the table next to the chart)
    named: tuple[Dot, ...]  # the named dots, by name (the table of named organizations)
    unnamed_hidden: int  # unnamed organizations left out (fewer than the threshold)
    summary: str
    spec: Spec | None
    x_title: str  # the capability dimension's name
    y_title: str  # the legacy dimension's name


def _axes(instrument: Instrument) -> tuple[str, str] | None:
    roles = {d.role: d.id for d in instrument.dimensions}
    if "capability" not in roles or "legacy" not in roles:
        return None
    return roles["capability"], roles["legacy"]


def dots(
    instrument: Instrument, organizations: Sequence[OrganizationYear], k_unnamed: int
) -> tuple[list[Dot], int]:
    """The dots that may be drawn and how many unnamed organizations were left out."""
    axes = _axes(instrument)
    if axes is None:
        return [], 0
    x_key, y_key = ("dimension", axes[0]), ("dimension", axes[1])
    found = [
        Dot(o.scores[x_key], o.scores[y_key], o.name if o.named else None, o.quadrant or "")
        for o in organizations
        if x_key in o.scores and y_key in o.scores
    ]
    unnamed = sum(1 for d in found if d.name is None)
    hidden = 0
    if 0 < unnamed < k_unnamed:
        found = [d for d in found if d.name is not None]
        hidden = unnamed
    return sorted(found, key=lambda d: (d.capability, d.legacy, d.name or "")), hidden


def build(instrument: Instrument, organizations: Sequence[OrganizationYear], lang: str) -> Scatter:
    drawn, hidden = dots(instrument, organizations, unnamed_threshold())
    names = type_names(instrument, lang)
    counts = tuple(
        TypeCount(
            names[type_id],
            sum(1 for d in drawn if d.name is not None and d.type_id == type_id),
            sum(1 for d in drawn if d.name is None and d.type_id == type_id),
        )
        for type_id in (t.id for t in instrument.types)
    )
    summary = _summary(drawn, hidden)
    return Scatter(
        dots=tuple(drawn),
        counts=counts,
        named=tuple(sorted((d for d in drawn if d.name is not None), key=lambda d: d.name or "")),
        unnamed_hidden=hidden,
        summary=summary,
        spec=_spec(instrument, drawn, summary, lang) if drawn else None,
        x_title=_titles(instrument, lang)[0],
        y_title=_titles(instrument, lang)[1],
    )


def _titles(instrument: Instrument, lang: str) -> tuple[str, str]:
    axes = _axes(instrument)
    if axes is None:
        return "", ""
    labels = node_names(instrument, lang)
    return labels[("dimension", axes[0])], labels[("dimension", axes[1])]


def _summary(drawn: Sequence[Dot], hidden: int) -> str:
    named = sum(1 for d in drawn if d.name is not None)
    unnamed = len(drawn) - named
    if not drawn and not hidden:
        return _("No organization has both a capability and a legacy score yet.")
    text = ngettext(
        "Each dot is one organization's position: %(n)s organization, %(named)s of them named "
        "with their consent; the others are anonymous dots.",
        "Each dot is one organization's position: %(n)s organizations, %(named)s of them named "
        "with their consent; the others are anonymous dots.",
        len(drawn),
    ) % {"n": len(drawn), "named": named}
    if hidden:
        text += " " + ngettext(
            "%(hidden)s organization that did not agree to be named is left out: too few to "
            "show without pointing it out.",
            "%(hidden)s organizations that did not agree to be named are left out: too few to "
            "show without pointing them out.",
            hidden,
        ) % {"hidden": hidden}
    elif unnamed == 0 and named:
        text += " " + _("Every organization shown agreed to be named.")
    return text


def _spec(instrument: Instrument, drawn: Sequence[Dot], summary: str, lang: str) -> Spec:
    x_title, y_title = _titles(instrument, lang)
    x, y = {"field": "x", **_percent(x_title)}, {"field": "y", **_percent(y_title)}
    spec = _square(_base(_("Every organization in the matrix"), summary))
    cutoff = {"type": "rule", "color": GREY, "strokeDash": [4, 4]}
    anonymous = [{"x": d.capability, "y": d.legacy} for d in drawn if d.name is None]
    named = [
        {
            "x": d.capability,
            "y": d.legacy,
            "name": d.name,
            "x_text": number(d.capability),
            "y_text": number(d.legacy),
        }
        for d in drawn
        if d.name is not None
    ]
    x_cut, y_cut = instrument.capability_cutoff, instrument.legacy_cutoff
    layers: list[Spec] = [
        {"data": {"values": [{"x": x_cut}]}, "mark": cutoff, "encoding": {"x": x}},
        {"data": {"values": [{"y": y_cut}]}, "mark": cutoff, "encoding": {"y": y}},
        {
            "data": {"values": _quadrant_labels(x_cut, y_cut, quadrant_names(instrument, lang))},
            "mark": {"type": "text", "color": GREY, "fontSize": 13},
            "encoding": {"x": x, "y": y, "text": {"field": "name"}},
        },
    ]
    if anonymous:
        # No tooltip, no label, one colour: an anonymous dot says nothing but its position.
        layers.append(
            {
                "data": {"values": anonymous},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 60,
                    "color": GREY,
                    "opacity": 0.7,
                },
                "encoding": {"x": x, "y": y},
            }
        )
    if named:
        tooltip = [
            {"field": "name", "title": " "},
            {"field": "x_text", "title": x_title},
            {"field": "y_text", "title": y_title},
        ]
        layers.append(
            {
                "data": {"values": named},
                "layer": [
                    {
                        "mark": {
                            "type": "point",
                            "filled": True,
                            "size": 90,
                            "color": ACCENT,
                            "shape": "diamond",
                        },
                        "encoding": {"x": x, "y": y, "tooltip": tooltip},
                    },
                    {
                        "mark": {"type": "text", "color": INK, "align": "left", "dx": 7},
                        "encoding": {"x": x, "y": y, "text": {"field": "name"}},
                    },
                ],
            }
        )
    spec["layer"] = layers
    return spec
