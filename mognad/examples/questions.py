"""The result dialogue's questions: three per capability, Swedish and English, as reviewed data
in `data/dialogue_questions.yaml` (written by Mognad, like an instrument's texts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from mognad.instrument.schema import Text

QUESTIONS_FILE = Path(__file__).resolve().parent / "data" / "dialogue_questions.yaml"
PER_CAPABILITY = 3


class QuestionsError(ValueError):
    """The questions file is not as the guide needs it."""


def parse(source: str) -> dict[str, tuple[Text, ...]]:
    """Capability id → its questions; refuses anything but three questions with both languages."""
    data = yaml.safe_load(source) or {}
    if not isinstance(data, dict):
        raise QuestionsError("the questions file must map capability ids to lists of questions")
    found: dict[str, tuple[Text, ...]] = {}
    for capability, entries in data.items():
        if not isinstance(entries, list) or len(entries) != PER_CAPABILITY:
            raise QuestionsError(f"{capability}: exactly {PER_CAPABILITY} questions are needed")
        texts = []
        for entry in entries:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(lang), str) and entry[lang].strip() for lang in ("sv", "en")
            ):
                raise QuestionsError(f"{capability}: every question needs sv and en")
            texts.append(Text(sv=entry["sv"].strip(), en=entry["en"].strip()))
        found[str(capability)] = tuple(texts)
    return found


@cache
def questions() -> dict[str, tuple[Text, ...]]:
    return parse(QUESTIONS_FILE.read_text(encoding="utf-8"))


def questions_for(capability: str, lang: str) -> tuple[str, ...]:
    return tuple(q.get(lang) for q in questions().get(capability, ()))
