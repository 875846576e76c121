"""Template filters for who sees what in a measurement (the rules are in surveys/access.py)."""

from __future__ import annotations

from django import template

from mognad.orgs.access import AnyUser
from mognad.surveys.access import can_see_respondents
from mognad.surveys.models import Measurement

register = template.Library()


@register.filter(name="can_see_respondents")
def can_see_respondents_filter(measurement: Measurement, user: AnyUser) -> bool:
    return can_see_respondents(user, measurement)
