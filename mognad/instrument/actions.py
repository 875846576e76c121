"""Publishing an instrument version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from mognad.instrument.loader import InstrumentError, parse, read_text
from mognad.instrument.models import InstrumentItem, InstrumentVersion
from mognad.instrument.schema import Instrument
from mognad.platform.hashing import sha256_hex


def read_source(path_or_text: str | Path) -> tuple[str, str]:
    """(YAML text, name for messages) from a path or from YAML text itself.

    A `Path`, or a one-line string, is a file path; a string with line breaks is YAML text.
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return path_or_text, "<text>"
    return read_text(path_or_text), str(path_or_text)


@transaction.atomic
def publish_instrument(
    path_or_text: str | Path, *, by: AbstractBaseUser | None = None
) -> InstrumentVersion:
    """Validate and publish one instrument version; publishing the same content again is a no-op.

    Raises InstrumentError when the file is invalid, when the version is already published with
    different content, or when an item id that earlier versions used moved to another capability.
    """
    text, source = read_source(path_or_text)
    instrument = parse(text, source=source)
    sha256 = sha256_hex(text)
    existing = _already_published(instrument, sha256, source)
    if existing is not None:
        return existing
    _check_item_ids_are_stable(instrument, source)
    try:
        with transaction.atomic():
            version = InstrumentVersion.objects.create(
                slug=instrument.id,
                version=instrument.version,
                name_sv=instrument.name.sv,
                name_en=instrument.name.en,
                source=text,
                sha256=sha256,
                published_by=str(by) if by is not None else "",
            )
    except IntegrityError:
        # Someone published the same version at the same moment: same answer as if they had
        # been first.
        existing = _already_published(instrument, sha256, source)
        if existing is None:
            raise
        return existing
    InstrumentItem.objects.bulk_create(
        InstrumentItem(
            version=version,
            item_id=item.id,
            position=position,
            capability_id=capability.id,
            category_id=category.id,
            dimension_id=dimension.id,
            technical=item.technical,
        )
        for position, (dimension, category, capability, item) in enumerate(_walk(instrument))
    )
    return version


def _already_published(
    instrument: Instrument, sha256: str, source: str
) -> InstrumentVersion | None:
    """The published version if it has exactly this content; an error if it has other content."""
    existing = InstrumentVersion.objects.filter(
        slug=instrument.id, version=instrument.version
    ).first()
    if existing is None or existing.sha256 == sha256:
        return existing
    raise InstrumentError(
        [
            f"{source}: {instrument.id} version {instrument.version} is already published "
            "with different content; publish a new version"
        ]
    )


def _walk(instrument: Instrument) -> Any:
    for dimension in instrument.dimensions:
        for category in dimension.categories:
            for capability in category.capabilities:
                for item in capability.items:
                    yield dimension, category, capability, item


def _check_item_ids_are_stable(instrument: Instrument, source: str) -> None:
    """An item id means one statement of one capability for ever: rewording is fine, moving is
    not."""
    wanted = {item.id: capability.id for _, _, capability, item in _walk(instrument)}
    earlier = (
        InstrumentItem.objects.filter(version__slug=instrument.id, item_id__in=wanted)
        .exclude(version__version=instrument.version)
        .select_related("version")
        .order_by("item_id", "version__published_at")
    )
    errors = []
    reported = set()
    for row in earlier:
        if row.capability_id != wanted[row.item_id] and row.item_id not in reported:
            reported.add(row.item_id)
            errors.append(
                f"{source}: item {row.item_id!r} is in capability {wanted[row.item_id]!r}, but "
                f"version {row.version.version} has it in capability {row.capability_id!r}; an "
                "item id must stay in its capability, so give the moved statement a new id"
            )
    if errors:
        raise InstrumentError(errors)
