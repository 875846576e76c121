"""Template helpers for instrument texts."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from mognad.instrument.schema import Text

register = template.Library()


@register.filter
def in_language(text: Text) -> str:
    """The text in the active language (Swedish unless English is active)."""
    return text.get((get_language() or "sv")[:2])
