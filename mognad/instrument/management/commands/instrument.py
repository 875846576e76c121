"""`mognad instrument load|validate|list|show`: publish and inspect instrument versions."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.instrument.actions import publish_instrument, read_source
from mognad.instrument.loader import InstrumentError, parse
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.queries import all_published, published_version
from mognad.instrument.schema import Instrument
from mognad.instrument.serialize import instrument_as_json
from mognad.platform.hashing import sha256_hex

INVALID = 2  # exit status for an invalid instrument file


class Command(BaseCommand):
    help = "Publish, validate, list and show instrument versions."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        load = commands.add_parser(
            "load", help="Validate a YAML file and publish it (again: no change)."
        )
        load.add_argument("file", help="e.g. instruments/standard/2026.1.yaml")
        validate = commands.add_parser(
            "validate", help="Check a YAML file and list every problem (no database)."
        )
        validate.add_argument("file")
        commands.add_parser("list", help="List the published versions.")
        show = commands.add_parser("show", help="Show a published version.")
        show.add_argument("--slug", default="standard", help="Instrument (default: standard).")
        show.add_argument("--version", dest="instrument_version", help="Default: the highest.")
        show.add_argument("--json", action="store_true", help="Print the instrument as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "load":
            self.load(options["file"])
        elif subcommand == "validate":
            self.validate(options["file"])
        elif subcommand == "list":
            self.list_versions()
        else:
            self.show(options["slug"], options["instrument_version"], as_json=options["json"])

    def load(self, path: str) -> None:
        try:
            text, source = read_source(path)
            instrument = parse(text, source=source)
            already = InstrumentVersion.objects.filter(
                slug=instrument.id, version=instrument.version, sha256=sha256_hex(text)
            ).exists()
            version = publish_instrument(path)
        except InstrumentError as exc:
            raise CommandError(_problems(exc), returncode=INVALID) from None
        if already:
            self.stdout.write(
                f"{version.key} is already published with this content; nothing to do."
            )
        else:
            count = version.items.count()
            self.stdout.write(
                self.style.SUCCESS(f"Published {version.key} ({version.name_en}): {count} items.")
            )

    def validate(self, path: str) -> None:
        try:
            text, source = read_source(path)
            instrument = parse(text, source=source)
        except InstrumentError as exc:
            raise CommandError(_problems(exc), returncode=INVALID) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{path} is valid: {instrument.key}, {len(instrument.categories)} categories, "
                f"{len(instrument.capabilities)} capabilities, {len(instrument.items)} items."
            )
        )

    def list_versions(self) -> None:
        versions = all_published()
        if not versions:
            self.stdout.write(_NOTHING_PUBLISHED)
            return
        for version in versions:
            self.stdout.write(
                f"{version.key}\t{version.name_en}\tpublished {version.published_at:%Y-%m-%d %H:%M}"
                f"\t{version.items.count()} items\tsha256 {version.sha256[:12]}"
            )

    def show(self, slug: str, version: str | None, *, as_json: bool) -> None:
        found = published_version(slug, version)
        if found is None:
            wanted = f"{slug}@{version}" if version else slug
            known = ", ".join(v.key for v in all_published())
            if not known:
                raise CommandError(_NOTHING_PUBLISHED)
            raise CommandError(f"No published instrument {wanted}; published versions: {known}.")
        instrument = found.definition()
        if as_json:
            self.stdout.write(
                json.dumps(instrument_as_json(instrument), ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(_outline(instrument))


_NOTHING_PUBLISHED = (
    "No instrument version is published yet; publish one with "
    "`mognad instrument load instruments/standard/2026.1.yaml`."
)


def _problems(exc: InstrumentError) -> str:
    count = len(exc.errors)
    heading = "1 problem" if count == 1 else f"{count} problems"
    return f"the instrument is not valid ({heading}):\n" + "\n".join(
        f"  {line}" for line in exc.errors
    )


def _percent(weight: float) -> str:
    return f"{weight * 100:.0f} %"


def _outline(instrument: Instrument) -> str:
    lines = [
        f"{instrument.name.en} ({instrument.key})",
        "Scale: "
        + "; ".join(f"{p.value} = {p.label.en}" for p in instrument.scale)
        + f"; or {instrument.dont_know.en}",
        f"Cut-offs: capability {instrument.capability_cutoff:g} %, "
        f"legacy {instrument.legacy_cutoff:g} %",
        "",
    ]
    for dimension in instrument.dimensions:
        lines.append(
            f"{dimension.name.en} [{dimension.id}, {dimension.role}] {_percent(dimension.weight)}"
        )
        for category in dimension.categories:
            lines.append(f"  {category.name.en} [{category.id}] {_percent(category.weight)}")
            for capability in category.capabilities:
                lines.append(
                    f"    {capability.name.en} [{capability.id}] {_percent(capability.weight)}"
                )
                for item in capability.items:
                    mark = " (technical)" if item.technical else ""
                    lines.append(f"      {item.id}{mark}: {item.text.en}")
    lines.append("")
    lines.append("Maturity types:")
    for kind in instrument.types:
        lines.append(
            f"  {kind.name.en} [{kind.id}]: capability {kind.capability}, legacy {kind.legacy}, "
            f"{len(kind.recommendations)} recommendations"
        )
    lines.append(f"Glossary: {len(instrument.glossary)} terms")
    return "\n".join(lines)
