"""Template tags other apps' pages use to show the example library beside their content (the
results' suggestions tab, the action plan), without importing this app: the template names the
tag, and Django finds it in the installed app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

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
