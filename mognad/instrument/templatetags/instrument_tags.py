"""Template helpers for instrument texts."""

from __future__ import annotations

from django import template

from mognad.instrument.language import active_language
from mognad.instrument.schema import Text

register = template.Library()


@register.filter
def in_language(text: Text) -> str:
    """The text in the active language (Swedish unless English is active)."""
    return text.get(active_language())
