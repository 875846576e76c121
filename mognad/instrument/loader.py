"""Read an instrument from YAML and check every node of it.

Pure Python: no Django, no database, so the offline `mognad score` command can use it.
`parse` reads the YAML strictly and hands it to `checker.Checker`, which collects every problem it
finds; `parse` raises one `InstrumentError` listing all of them, each naming the file and the path
of the bad node, e.g.
`instruments/standard/2026.1.yaml: dimensions[1].categories[0].capabilities[2].items[0].text.en:
missing`.
The file format is documented in `instruments/README.md`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any

import yaml

from mognad.instrument.checker import ID_PATTERN, Checker, is_version, version_key
from mognad.instrument.schema import Instrument

INSTRUMENTS_DIR = Path(__file__).resolve().parents[2] / "instruments"
DEFAULT_SLUG = "standard"


class InstrumentError(Exception):
    """An instrument that cannot be used; `errors` lists every problem, one message each."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


def load_file(path: str | Path) -> Instrument:
    return parse(read_text(path), source=str(path))


def read_text(path: str | Path) -> str:
    """The file's text, or an InstrumentError saying clearly why it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InstrumentError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise InstrumentError([f"{path}: is a folder, not a YAML file"]) from None
    except UnicodeDecodeError as exc:
        raise InstrumentError(
            [f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    except OSError as exc:
        raise InstrumentError([f"{path}: cannot be read ({exc.strerror})"]) from None


def parse(text: str, *, source: str) -> Instrument:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "cannot be read"
        raise InstrumentError([f"{source}: invalid YAML{where}: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise InstrumentError([f"{source}: invalid YAML: {exc}"]) from None
    checker = Checker(source)
    instrument = checker.instrument(data)
    if checker.errors:
        raise InstrumentError(checker.errors)
    assert instrument is not None
    return instrument


def available_versions(slug: str, *, root: Path | None = None) -> list[str]:
    """The versions of `slug` in the instruments folder, oldest first."""
    folder = (root or INSTRUMENTS_DIR) / slug
    if not ID_PATTERN.fullmatch(slug) or not folder.is_dir():
        return []
    versions = [p.stem for p in folder.glob("*.yaml") if is_version(p.stem)]
    return sorted(versions, key=version_key)


def available_slugs(*, root: Path | None = None) -> list[str]:
    root = root or INSTRUMENTS_DIR
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and available_versions(p.name, root=root)
    )


def find_instrument(spec: str | None, *, root: Path | None = None) -> Instrument:
    """Load an instrument by a YAML file path, `slug@version`, `slug` (its highest version) or None
    (the highest version of the default instrument, `standard`)."""
    root = root or INSTRUMENTS_DIR
    if spec is not None and _looks_like_path(spec):
        return load_file(spec)
    slug, _, version = (spec or DEFAULT_SLUG).partition("@")
    versions = available_versions(slug, root=root)
    if not versions:
        known = ", ".join(available_slugs(root=root)) or "none"
        raise InstrumentError(
            [f"unknown instrument {slug!r}; available instruments: {known} (in {root})"]
        )
    if not version:
        version = versions[-1]
    elif version not in versions:
        raise InstrumentError(
            [
                f"instrument {slug!r} has no version {version!r}; available versions: "
                f"{', '.join(versions)}"
            ]
        )
    path = root / slug / f"{version}.yaml"
    instrument = load_file(path)
    if (instrument.id, instrument.version) != (slug, version):
        raise InstrumentError(
            [
                f"{path}: the file says it is {instrument.key}, but its place in the instruments "
                f"folder says {slug}@{version}; rename the file or fix its id/version"
            ]
        )
    return instrument


def _looks_like_path(spec: str) -> bool:
    return spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec or Path(spec).is_file()


# --- YAML -----------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, but a key written twice in one mapping is an error instead of a silent
    overwrite (a likely copy-paste slip in a reviewed file)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Hashable, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, Hashable) and key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"the key {key!r} appears twice (first on line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        if isinstance(key, Hashable):
            seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
