"""Insiders: whose addresses may be respondents, and the roster changes after a measurement opened.

k-anonymity counts people; it cannot tell whether the key user controls some of them. Two things
make that harder and visible (docs/privacy.md, "Insiders"): respondents' addresses must belong to
the organization's own e-mail domains (orgs/domains.py), and every change to the respondents of an
open measurement is counted per unit and day and listed on its results pages ("4 respondents were
added to IT-avdelningen on 3 March 2026").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.orgs import domains
from mognad.surveys.models import Measurement, RosterChange


def refusal(measurement: Measurement, emails: Iterable[str]) -> str | None:
    """Why the first address the organization does not allow is refused; None if all are fine."""
    organization = measurement.organization
    refused = domains.outside(organization, emails)
    return domains.refusal(organization, refused[0]) if refused else None


def record(measurement: Measurement, kind: str, unit_ids: Iterable[int | None]) -> None:
    """Count added, removed or moved respondents (one unit id each) – only while it is open."""
    if not measurement.is_open():
        return
    counts: dict[int | None, int] = defaultdict(int)
    for unit_id in unit_ids:
        counts[unit_id] += 1
    day = timezone.localdate()
    for unit_id, count in counts.items():
        same = RosterChange.objects.filter(measurement=measurement, kind=kind, day=day)
        same = same.filter(unit__isnull=True) if unit_id is None else same.filter(unit_id=unit_id)
        updated = same.update(count=F("count") + count)
        if not updated:
            RosterChange.objects.create(
                measurement=measurement, unit_id=unit_id, kind=kind, day=day, count=count
            )


def _sentence(kind: str, count: int, unit: str, day: str) -> str:
    values = {"n": count, "unit": unit, "day": day}
    if kind == RosterChange.Kind.ADDED:
        text = ngettext(
            "%(n)s respondent was added to %(unit)s on %(day)s.",
            "%(n)s respondents were added to %(unit)s on %(day)s.",
            count,
        )
    elif kind == RosterChange.Kind.REMOVED:
        text = ngettext(
            "%(n)s respondent was removed from %(unit)s on %(day)s.",
            "%(n)s respondents were removed from %(unit)s on %(day)s.",
            count,
        )
    else:
        text = ngettext(
            "%(n)s respondent was moved to %(unit)s or changed role there on %(day)s.",
            "%(n)s respondents were moved to %(unit)s or changed role there on %(day)s.",
            count,
        )
    return text % values


def describe_changes(measurement: Measurement) -> tuple[str, ...]:
    """The roster changes after opening, one sentence per unit, kind and day, oldest first (one
    query)."""
    totals: dict[tuple[datetime.date, str, str], int] = defaultdict(int)
    for day, unit_name, kind, count in measurement.roster_changes.values_list(
        "day", "unit__name", "kind", "count"
    ):
        totals[(day, unit_name or _("no unit"), kind)] += count
    return tuple(
        _sentence(kind, count, unit_name, formats.date_format(day, "j F Y"))
        for (day, unit_name, kind), count in sorted(totals.items())
    )
