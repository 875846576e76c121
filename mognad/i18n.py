"""Translation catalogues: compile .po to .mo without GNU gettext, and check completeness.

Swedish is the default language, but message ids are English (Django's convention), so every page
needs a complete Swedish catalogue. `python -m mognad.i18n compile` writes the .mo files, which are
committed so that running Mognad needs no gettext tools; `check` fails on a missing, fuzzy or stale
translation. Extract new strings with `make messages` (needs GNU gettext's xgettext).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues(root: Path = ROOT) -> list[Path]:
    found = [
        *root.glob("locale/*/LC_MESSAGES/*.po"),
        *root.glob("mognad/*/locale/*/LC_MESSAGES/*.po"),
    ]
    return sorted(found)


def problems(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    found = [f"{po_path}: untranslated: {entry.msgid!r}" for entry in po.untranslated_entries()]
    found += [f"{po_path}: fuzzy: {entry.msgid!r}" for entry in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path}: missing; run python -m mognad.i18n compile")
    else:
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_path))
        }
        wanted = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in po.translated_entries()
        }
        if compiled != wanted:
            found.append(f"{mo_path}: stale; run python -m mognad.i18n compile")
    return found


def compile_all(root: Path = ROOT) -> None:
    for po_path in catalogues(root):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        compile_all()
        return 0
    if argv[:1] == ["check"]:
        found = [line for path in catalogues() for line in problems(path)]
        print("\n".join(found) if found else "translations complete")
        return 1 if found else 0
    print("usage: python -m mognad.i18n compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
