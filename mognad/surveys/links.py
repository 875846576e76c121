"""From a link in a respondent's hand to what it may answer: the queries behind the answering pages.

Every way a link can fail (unknown, malformed, closed, outside the unit's window) returns None, so
the pages show one and the same friendly message and reveal nothing about whether a token exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef
from django.utils import timezone

from mognad.instrument.models import InstrumentItem
from mognad.instrument.schema import Category, Instrument
from mognad.platform.hashing import sha256_hex
from mognad.surveys import tokens
from mognad.surveys.models import Answer, Measurement, Respondent, Response, UnitWindow

PERSONAL = "r"
OPEN = "o"

# Item id → InstrumentItem primary key per published instrument version. Published versions are
# immutable, so one query per version and process is enough; every answer page needs the map.
_item_pks: dict[int, dict[str, int]] = {}


def item_pks_of(version_id: int) -> dict[str, int]:
    if version_id not in _item_pks:
        _item_pks[version_id] = dict(
            InstrumentItem.objects.filter(version_id=version_id).values_list("item_id", "pk")
        )
    return _item_pks[version_id]


@dataclass
class Link:
    kind: str  # PERSONAL or OPEN
    token: str
    measurement: Measurement
    respondent: Respondent | None
    response_key: str | None
    # An open link's browser id (from its signed cookie): the secret of the "continue on another
    # device" link. Never stored; only its hash is the response's key.
    browser_id: str | None = None

    @property
    def language(self) -> str:
        if self.respondent is not None:
            return self.respondent.language
        return self.measurement.language

    @cached_property
    def instrument(self) -> Instrument:
        return self.measurement.instrument.definition()

    @property
    def categories(self) -> tuple[Category, ...]:
        return self.instrument.categories

    @cached_property
    def response(self) -> Response | None:
        if self.response_key is None:
            return None
        rows = Response.objects.filter(
            response_key=self.response_key, measurement=self.measurement
        ).select_related("measurement")
        return next(iter(rows[:1]), None)

    @property
    def item_pks(self) -> dict[str, int]:
        """Item id → InstrumentItem primary key, for the pinned instrument version."""
        return item_pks_of(self.measurement.instrument_id)

    def answers(self) -> dict[str, int]:
        """Item id → stored value (a point of the scale or DONT_KNOW)."""
        if self.response is None:
            return {}
        by_pk = {pk: item_id for item_id, pk in self.item_pks.items()}
        return {
            by_pk[item]: value
            for item, value in Answer.objects.filter(response=self.response).values_list(
                "item_id", "value"
            )
        }


def _within_window(measurement: Measurement, unit_path: str | None, today: datetime.date) -> bool:
    if unit_path is None:
        return True
    # The nearest unit with a window (the unit itself, else the closest ancestor) decides.
    matching = [
        window
        for window in UnitWindow.objects.filter(measurement=measurement).select_related("unit")
        if unit_path.startswith(window.unit.path)
    ]
    if not matching:
        return True
    nearest = max(matching, key=lambda w: len(w.unit.path))
    return nearest.contains(today)


def personal_link(token: str, *, today: datetime.date | None = None) -> Link | None:
    if not tokens.looks_like_token(token):
        return None
    # One query: the respondent with its unit, measurement, instrument version (without the YAML
    # source: the parsed instrument is cached per process) and organization, and whether any unit
    # of the measurement has its own answering window.
    rows = (
        Respondent.objects.filter(token_hash=sha256_hex(token))
        .select_related("unit", "measurement__instrument", "measurement__organization")
        .defer("measurement__instrument__source")
        .annotate(
            has_windows=Exists(UnitWindow.objects.filter(measurement=OuterRef("measurement")))
        )
        .order_by()  # the hash is unique: no ORDER BY to compile and run
    )
    respondent = next(iter(rows[:1]), None)
    if respondent is None or not respondent.measurement.is_open():
        return None
    measurement = respondent.measurement
    if not measurement.uses_email():
        return None
    if respondent.has_windows and not _within_window(
        measurement,
        respondent.unit.path if respondent.unit else None,
        today or timezone.localdate(),
    ):
        return None
    return Link(
        kind=PERSONAL,
        token=token,
        measurement=measurement,
        respondent=respondent,
        response_key=tokens.response_key(token),
    )


def open_link(token: str, *, browser_id: str | None) -> Link | None:
    if not tokens.looks_like_token(token):
        return None
    measurement = (
        Measurement.objects.filter(open_token_hash=sha256_hex(token))
        .select_related("instrument", "organization")
        .defer("instrument__source")
        .first()
    )
    if measurement is None or not measurement.is_open() or not measurement.uses_open_link():
        return None
    return Link(
        kind=OPEN,
        token=token,
        measurement=measurement,
        respondent=None,
        response_key=tokens.open_response_key(browser_id) if browser_id else None,
    )


def resolve(kind: str, token: str, *, browser_id: str | None = None) -> Link | None:
    if kind == PERSONAL:
        return personal_link(token)
    return open_link(token, browser_id=browser_id)


def open_response_exists(measurement: Measurement, key: str) -> bool:
    """Whether an open-link response with this key is in the measurement (a continue link)."""
    return Response.objects.filter(measurement=measurement, response_key=key).exists()
