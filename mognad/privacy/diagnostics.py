"""Optional diagnostics: which browsers are used and which client-side errors visitors run into.

Only visitors who allowed diagnostics send reports (static/privacy/diagnostics.js). A report is
checked strictly, cleaned of anything that could identify a person, and added to a daily count per
(day, kind, browser, major version, error signature). There are no per-visitor rows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from mognad.platform import ratelimit
from mognad.privacy.models import DiagnosticsAggregate

BROWSERS = ("Chrome", "Edge", "Firefox", "Safari", "Opera", "Samsung Internet", "Other")
MAX_BODY_BYTES = 2048
MAX_RAW_MESSAGE = 1000
MAX_RAW_SOURCE = 1000
MESSAGE_LENGTH = 200
SOURCE_LENGTH = 100
MAX_LINE = 10_000_000
# Reports per client address and minute (mognad/platform/ratelimit.py; windows are kept a day).
RATE_LIMIT_PER_MINUTE = 60
# Distinct error signatures stored per day; further new ones are counted together, so a hostile
# client cannot grow the table without bound.
MAX_ERROR_SIGNATURES_PER_DAY = 500
OVERFLOW_SIGNATURE = "(other errors)"

_KEYS = {
    DiagnosticsAggregate.Kind.VISIT: {"kind", "browser", "version"},
    DiagnosticsAggregate.Kind.ERROR: {"kind", "browser", "version", "message", "source", "line"},
}
_REQUIRED = {"kind", "browser", "version"}
_URL_TAIL = re.compile(r"([a-z][a-z0-9+.-]*://[^\s?#]*)[?#]\S*", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@/]+@[^\s@/]+\.[a-z]{2,}", re.IGNORECASE)
_NUMBER = re.compile(r"\d[\d -]{4,}\d")
# Long random-looking strings (tokens in paths, ids) are replaced: they may point at a person.
_TOKEN = re.compile(r"(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}")
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#\s]*", re.IGNORECASE)


class InvalidReport(ValueError):
    """A report that is not exactly what diagnostics.js sends."""


@dataclass(frozen=True)
class Report:
    kind: str
    browser: str
    major_version: int
    signature: str = ""


def clean_text(text: str) -> str:
    """Remove what could identify a person from an error message or a path."""
    text = _URL_TAIL.sub(r"\1", text)
    text = _EMAIL.sub("[email]", text)
    text = _TOKEN.sub("[id]", text)
    return _NUMBER.sub("[number]", text)


def _text(payload: dict[str, object], key: str, limit: int) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise InvalidReport(f"{key} must be a string")
    if len(value) > limit:
        raise InvalidReport(f"{key} is longer than {limit} characters")
    value = " ".join(value.split())
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in value):
        raise InvalidReport(f"{key} contains control characters")
    return value


def _integer(payload: dict[str, object], key: str, maximum: int) -> int:
    value = payload.get(key, 0)
    # bool is an int in Python; a JSON true is not a version number.
    if type(value) is not int or not 0 <= value <= maximum:
        raise InvalidReport(f"{key} must be a whole number from 0 to {maximum}")
    return value


def _source(raw: str) -> str:
    path = _ORIGIN.sub("", raw).split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return ""
    return clean_text(path)[:SOURCE_LENGTH]


def parse_report(request: HttpRequest) -> Report:
    """The report in a request body, or InvalidReport saying what is wrong with it."""
    if request.content_type != "application/json":
        raise InvalidReport("the body must be application/json")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise InvalidReport("the content length is not a number") from None
    if declared > MAX_BODY_BYTES:
        raise InvalidReport(f"the body is larger than {MAX_BODY_BYTES} bytes")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise InvalidReport(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidReport("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise InvalidReport("the body must be a JSON object")
    kind = payload.get("kind")
    if kind not in tuple(_KEYS):  # a tuple: a list or object as the kind is no TypeError
        raise InvalidReport("kind must be 'visit' or 'error'")
    unknown = set(payload) - _KEYS[kind]
    if unknown:
        raise InvalidReport(f"unexpected fields: {', '.join(sorted(unknown))}")
    missing = _REQUIRED - set(payload)
    if missing:
        raise InvalidReport(f"missing fields: {', '.join(sorted(missing))}")
    browser = payload["browser"]
    if browser not in BROWSERS:
        raise InvalidReport("browser is not one of the known names")
    version = _integer(payload, "version", 999)
    if kind == DiagnosticsAggregate.Kind.VISIT:
        return Report(kind, browser, version)
    message = clean_text(_text(payload, "message", MAX_RAW_MESSAGE))[:MESSAGE_LENGTH]
    if not message:
        raise InvalidReport("message is empty")
    source = _source(_text(payload, "source", MAX_RAW_SOURCE))
    line = _integer(payload, "line", MAX_LINE)
    signature = f"{message} @ {source}:{line}" if source else message
    return Report(kind, browser, version, signature)


def within_rate_limit(request: HttpRequest) -> bool:
    """Count this request against its client's budget for the current minute."""
    address = ratelimit.client_address(request)
    # The shared limiter hashes keys too; the keyed hash keeps even that hash from being an IP's.
    client = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return ratelimit.hit(
        f"privacy:diagnostics:{client[:32]}", limit=RATE_LIMIT_PER_MINUTE, period=60
    )


def _increment(day: date, report: Report, signature: str) -> bool:
    return bool(
        DiagnosticsAggregate.objects.filter(
            day=day,
            kind=report.kind,
            browser=report.browser,
            major_version=report.major_version,
            signature=signature,
        ).update(count=F("count") + 1)
    )


@transaction.atomic
def record(report: Report, *, day: date) -> None:
    """Add one to the count for this report's key on `day`."""
    signature = report.signature
    if _increment(day, report, signature):
        return
    if report.kind == DiagnosticsAggregate.Kind.ERROR:
        distinct = DiagnosticsAggregate.objects.filter(
            day=day, kind=DiagnosticsAggregate.Kind.ERROR
        ).count()
        if distinct >= MAX_ERROR_SIGNATURES_PER_DAY:
            signature = OVERFLOW_SIGNATURE
            if _increment(day, report, signature):
                return
    try:
        with transaction.atomic():
            DiagnosticsAggregate.objects.create(
                day=day,
                kind=report.kind,
                browser=report.browser,
                major_version=report.major_version,
                signature=signature,
                count=1,
            )
    except IntegrityError:  # another request created the row first
        _increment(day, report, signature)


def retention_start(now: datetime | None = None) -> date:
    """The first day still kept: aggregates of earlier days are deleted."""
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=settings.DIAGNOSTICS_RETENTION_DAYS)


def purge_diagnostics(now: datetime | None = None) -> int:
    """Delete aggregates older than MOGNAD_DIAGNOSTICS_RETENTION_DAYS; returns the rows deleted."""
    deleted, _ = DiagnosticsAggregate.objects.filter(day__lt=retention_start(now)).delete()
    return deleted


def seconds_until_midnight(now: datetime | None = None) -> int:
    now = timezone.localtime(now or timezone.now())
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60, int((midnight - now).total_seconds()))
