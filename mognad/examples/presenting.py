"""Examples as the pages show them: names instead of ids, and nothing that identifies an
organization that chose not to be named (no name, no figures) unless the reader is its own member
or the national coordinator."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.examples import queries
from mognad.examples.models import Example
from mognad.instrument.language import active_language
from mognad.orgs.models import Organization


@dataclass(frozen=True)
class FigureRow:
    """Unrounded, as every view model (the template writes them out with `results_format`)."""

    capability: str
    before: float
    after: float
    before_year: int
    after_year: int
    change: float | None
    low: float | None  # the change's 95 % interval
    high: float | None
    significant: bool


@dataclass(frozen=True)
class ShownExample:
    pk: int
    title: str
    who: str  # the organization's name, or its kind and size class
    named: bool
    capabilities: tuple[str, ...]
    capability_ids: tuple[str, ...]
    effort: str
    what_was_done: str
    contact_role: str
    maturity_type: str
    year: int
    status: str
    status_label: str
    note: str
    figures: tuple[FigureRow, ...]
    organization_slug: str  # only for the organization's own members and the coordinator
    can_be_edited: bool


def anonymous_description(org: Organization) -> str:
    """“A municipality, size class M”: what an unnamed organization is shown as."""
    kinds: dict[str, str] = {
        Organization.Kind.MUNICIPALITY: _("A municipality"),
        Organization.Kind.REGION: _("A region"),
        Organization.Kind.AGENCY: _("A government agency"),
        Organization.Kind.COMPANY: _("A municipal company"),
    }
    kind = kinds.get(org.kind, _("An organization"))
    if org.size_class:
        return _("%(kind)s, size class %(size)s") % {"kind": kind, "size": org.size_class}
    return kind


def _figure_rows(example: Example, names: dict[str, str]) -> tuple[FigureRow, ...]:
    rows = []
    for capability, f in sorted(example.figures.items()):
        ci = f.get("ci")
        rows.append(
            FigureRow(
                capability=names.get(capability, capability),
                before=float(f["before"]),
                after=float(f["after"]),
                before_year=int(f["before_year"]),
                after_year=int(f["after_year"]),
                change=f.get("change"),
                low=ci[0] if ci else None,
                high=ci[1] if ci else None,
                significant=bool(f.get("significant")),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class _Names:
    capabilities: dict[str, str]
    types: dict[str, str]


def _names() -> _Names:
    """The current questionnaire's capability and type names (one query)."""
    lang = active_language()
    instrument = queries.current_instrument()
    return _Names(
        queries.capability_names(instrument, lang), dict(queries.type_choices(instrument, lang))
    )


def present(
    example: Example, *, viewer_org_ids: set[int] | None, known: _Names | None = None
) -> ShownExample:
    """`viewer_org_ids`: the reader's own organizations; None for the national coordinator."""
    known = known or _names()
    names, types = known.capabilities, known.types
    insider = viewer_org_ids is None or example.organization_id in viewer_org_ids
    open_to_reader = example.named or insider
    return ShownExample(
        pk=example.pk,
        title=example.title,
        who=example.organization.name
        if open_to_reader
        else anonymous_description(example.organization),
        named=example.named,
        capabilities=tuple(names.get(c, c) for c in example.capabilities),
        capability_ids=tuple(example.capabilities),
        effort=example.get_effort_display(),
        what_was_done=example.what_was_done,
        contact_role=example.contact_role,
        maturity_type=types.get(example.maturity_type, ""),
        year=example.year,
        status=example.status,
        status_label=example.get_status_display(),
        note=example.coordinator_note,
        figures=_figure_rows(example, names) if example.named else (),
        organization_slug=example.organization.slug if insider else "",
        can_be_edited=example.can_be_edited(),
    )


def present_all(
    examples: Iterable[Example], *, viewer_org_ids: set[int] | None
) -> list[ShownExample]:
    known = _names()
    return [present(e, viewer_org_ids=viewer_org_ids, known=known) for e in examples]
