"""What "a frozen, typed view model" means, as a check the results and national tests share."""

from __future__ import annotations

import dataclasses
from typing import Any

OWN = ("mognad.results.pages", "mognad.results.report", "mognad.national.pages")
OWN += ("mognad.national.report",)


def problems(value: Any, path: str = "view") -> list[str]:
    """Where a view model is not frozen all the way down: a class of the pages that is not a
    frozen dataclass, or a list or dict in one of its fields (chart specs, `Spec`, aside). Values
    of lower layers (figures, Django models) are taken as they are."""
    cls = type(value)
    if not cls.__module__.startswith(OWN):
        return []
    if not dataclasses.is_dataclass(value) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return [f"{path}: {cls.__name__} is not a frozen dataclass"]
    found = []
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        where = f"{path}.{field.name}"
        if isinstance(item, list | dict) and "Spec" not in str(field.type):
            found.append(f"{where}: a {type(item).__name__} ({field.type})")
        for index, part in enumerate(item if isinstance(item, tuple) else (item,)):
            found += problems(part, f"{where}[{index}]" if isinstance(item, tuple) else where)
    return found
