"""The action plan as a section of the organization's PDF report (results/report.py calls it
through `results.extensions`): the plan made from the report's year, and the follow-up of the
plan of the year before (its capabilities' change up to the report's year, never later)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mognad.plans.models import ActionPlan, PlannedAction
from mognad.plans.queries import capability_names, follow_up
from mognad.results.pages import Page


def _actions(plan: ActionPlan, page: Page) -> list[PlannedAction]:
    """The plan's actions the report's group covers: all for the organization, the unit's
    subtree for a unit's report."""
    actions = plan.actions.select_related("unit", "owner_user")
    if page.unit is not None:
        actions = actions.filter(unit__path__startswith=page.unit.path)
    return list(actions)


def section(page: Page) -> SafeString:
    plans = {
        p.year: p
        for p in ActionPlan.objects.filter(
            organization=page.organization, year__lte=page.year
        ).select_related("measurement__instrument", "organization")
    }
    current = plans.get(page.year)
    earlier = [m.year for m in page.measurements if m.year < page.year]
    previous = plans.get(earlier[-1]) if earlier else None
    if current is None and previous is None:
        return mark_safe("")
    context: dict[str, object] = {"year": page.year}
    if current is not None:
        names = capability_names(current.measurement, page.lang)
        context["current"] = current
        context["current_rows"] = [
            (a, [names.get(c, c) for c in a.capabilities]) for a in _actions(current, page)
        ]
    if previous is not None:
        shown = _actions(previous, page)
        follow = follow_up(previous, shown, page.unit)
        if follow.next_year == page.year:
            context["previous"] = previous
            context["follow"] = follow
            context["previous_rows"] = [(a, follow.by_action.get(a.pk, ())) for a in shown]
    return mark_safe(render_to_string("plans/report_section.html", context))  # noqa: S308
