"""The status report's short narrative and its recommendations by type, generated from the figures.

The narrative is a few sentences: what rose and what fell on the fixed panel (only changes whose
95 % interval excludes zero count as a rise or a fall), and where the uncertainty is (the widest
interval among the national means, the organizations whose type is uncertain). The
recommendations are the instrument's own text for each type (its YAML `types`), with how many
organizations have that type – nothing is written out here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.instrument.schema import Instrument
from mognad.national import figures
from mognad.national.queries import NodeKey
from mognad.national.stats import Difference, Mean
from mognad.results.wording import interval, node_names, number, signed

# At most this many rises (and falls) are named in the narrative, the largest first.
MOST = 3


Entry = tuple[float, str, Difference]


def _changes(
    change: figures.Change, names: Mapping[NodeKey, str]
) -> tuple[list[Entry], list[Entry]]:
    rose: list[Entry] = []
    fell: list[Entry] = []
    for node, found in change.nodes.items():
        panel = found.panel
        if panel.delta is None or panel.low is None or panel.high is None:
            continue
        if panel.low > 0:
            rose.append((panel.delta, names.get(node, node[1]), panel))
        elif panel.high < 0:
            fell.append((panel.delta, names.get(node, node[1]), panel))
    rose.sort(key=lambda entry: -entry[0])
    fell.sort(key=lambda entry: entry[0])
    return rose[:MOST], fell[:MOST]


def _listed(entries: Sequence[Entry]) -> str:
    return "; ".join(
        _("%(name)s %(delta)s points (95 %% interval %(interval)s)")
        % {
            "name": name,
            "delta": signed(panel.delta),
            "interval": f"{signed(panel.low)} … {signed(panel.high)}",
        }
        for _delta, name, panel in entries
    )


def change_sentences(change: figures.Change | None, names: Mapping[NodeKey, str]) -> list[str]:
    """What rose and what fell on the fixed panel, or why nothing can be said."""
    if change is None:
        return [_("There is no earlier year with results to compare with.")]
    if change.panel < 2:
        return [
            _(
                "Too few organizations have results in both %(base)s and %(year)s to say "
                "what rose or fell."
            )
            % {"base": change.base_year, "year": change.year}
        ]
    rose, fell = _changes(change, names)
    values = {"base": change.base_year, "year": change.year, "panel": change.panel}
    sentences = []
    if rose:
        sentences.append(
            _(
                "From %(base)s to %(year)s, among the %(panel)s organizations measured both years, "
                "these rose: %(list)s."
            )
            % {**values, "list": _listed(rose)}
        )
    if fell:
        sentences.append(
            _("These fell: %(list)s.") % {"list": _listed(fell)}
            if rose
            else _(
                "From %(base)s to %(year)s, among the %(panel)s organizations measured both "
                "years, these fell: %(list)s."
            )
            % {**values, "list": _listed(fell)}
        )
    if not rose and not fell:
        sentences.append(
            _(
                "From %(base)s to %(year)s, no measure changed by more than its uncertainty among "
                "the %(panel)s organizations measured both years."
            )
            % values
        )
    return sentences


def uncertainty_sentences(
    nodes: Mapping[NodeKey, Mean], names: Mapping[NodeKey, str], uncertain_types: int
) -> list[str]:
    """Where the uncertainty is: the least precise national mean, and uncertain types."""
    sentences = []
    widest = max(
        (
            (mean.high - mean.low, node, mean)
            for node, mean in nodes.items()
            if node[0] in ("dimension", "category")
            and mean.low is not None
            and mean.high is not None
        ),
        default=None,
        key=lambda entry: entry[0],
    )
    if widest is not None:
        width, node, mean = widest
        sentences.append(
            _(
                "The least certain national figure is %(name)s: its 95 %% interval %(interval)s is "
                "%(width)s points wide (%(n)s organizations)."
            )
            % {
                "name": names.get(node, node[1]),
                "interval": interval(mean.low, mean.high),
                "width": number(width),
                "n": mean.n,
            }
        )
    if uncertain_types:
        sentences.append(
            ngettext(
                "%(n)s organization lies so close to a cut-off that its type is uncertain.",
                "%(n)s organizations lie so close to a cut-off that their type is uncertain.",
                uncertain_types,
            )
            % {"n": uncertain_types}
        )
    return sentences


def build(
    instrument: Instrument,
    national: figures.NationalFigures,
    change: figures.Change | None,
    lang: str,
) -> tuple[str, ...]:
    names = node_names(instrument, lang)
    return (
        *change_sentences(change, names),
        *uncertainty_sentences(national.nodes, names, national.uncertain_types),
    )


@dataclass(frozen=True)
class TypeAdvice:
    """One type's recommendations from the instrument, with the organizations of that type."""

    name: str
    description: str
    recommendations: tuple[str, ...]
    organizations: int


def recommendations(
    instrument: Instrument, national: figures.NationalFigures, lang: str
) -> tuple[TypeAdvice, ...]:
    """Each of the instrument's types in the instrument's order, with its recommendations."""
    return tuple(
        TypeAdvice(
            name=t.name.get(lang),
            description=t.description.get(lang),
            recommendations=tuple(r.get(lang) for r in t.recommendations),
            organizations=national.types[t.id].count if t.id in national.types else 0,
        )
        for t in instrument.types
    )
