"""Template tags other apps' pages use to show the example library beside their content (the
results' suggestions tab, the action plan), without importing this app: the template names the
tag, and Django finds it in the installed app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from mognad.examples.access import may_browse
from mognad.orgs.access import can_change_organization
from mognad.orgs.models import Organization

register = template.Library()


@register.inclusion_tag("examples/_publish_link.html", takes_context=True)
def publish_example_link(context: dict[str, Any], org: Organization, action: Any) -> dict[str, Any]:
    """A key user's link to publish a completed planned action as an example (nothing for
    others, or for an action that is not done)."""
    user = context.get("user")
    url = ""
    if user is not None and action.is_completed() and can_change_organization(user, org):
        url = f"{reverse('examples:create', args=[org.slug])}?action={action.pk}"
    return {"url": url, "action": action}


@register.inclusion_tag("examples/_beside.html", takes_context=True)
def examples_beside_weakest(context: dict[str, Any], page: Any) -> dict[str, Any]:
    """The results' suggestions tab: examples of organizations like yours beside each of the
    weakest capabilities (`suggested.py`)."""
    from mognad.examples.suggested import beside_weakest

    user = context.get("user")
    if user is None or not may_browse(user):
        return {"rows": ()}
    return {"rows": beside_weakest(page, user)}


@register.inclusion_tag("examples/_beside.html", takes_context=True)
def examples_beside_plan(context: dict[str, Any], org: Organization, year: int) -> dict[str, Any]:
    """The action plan's page: the same, from the results of the plan's year."""
    from mognad.examples.suggested import beside_weakest
    from mognad.orgs.access import unit_scope
    from mognad.results import pages

    user = context.get("user")
    if user is None or not may_browse(user):
        return {"rows": ()}
    try:
        page = pages.load(org, year=year, unit=None, scope=unit_scope(user, org))
    except pages.NoResults:
        return {"rows": ()}
    return {"rows": beside_weakest(page, user)}
