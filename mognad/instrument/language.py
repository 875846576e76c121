"""The content language of the current request: Swedish unless English is active.

`schema.content_language` is the rule; this reads the active Django translation for it.
"""

from __future__ import annotations

from django.utils import translation

from mognad.instrument.schema import content_language


def active_language() -> str:
    """ "sv" or "en": the language instrument texts, notices and reports are shown in now."""
    return content_language(translation.get_language())
