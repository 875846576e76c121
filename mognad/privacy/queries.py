"""Reading privacy data for views (none of it belongs to an organization)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, Sum

from mognad.privacy.diagnostics import retention_start
from mognad.privacy.models import DiagnosticsAggregate, PrivacySettings

TOP_ERRORS = 20


def privacy_settings() -> PrivacySettings:
    """The operator's settings; an unsaved empty row until the coordinator fills them in."""
    found = PrivacySettings.objects.filter(id=PrivacySettings.SINGLETON_ID).first()
    return found or PrivacySettings(id=PrivacySettings.SINGLETON_ID)


@dataclass(frozen=True)
class BrowserRow:
    browser: str
    major_version: int
    visits: int
    errors: int


@dataclass(frozen=True)
class ErrorRow:
    signature: str
    count: int
    browsers: int
    last_seen: date


@dataclass(frozen=True)
class DiagnosticsOverview:
    since: date
    browsers: list[BrowserRow]
    errors: list[ErrorRow]
    total_visits: int
    total_errors: int


def diagnostics_overview(now: datetime | None = None) -> DiagnosticsOverview:
    """Browsers and versions with their counts, and the most frequent errors, in the window."""
    since = retention_start(now)
    window = DiagnosticsAggregate.objects.filter(day__gte=since)
    per_browser: dict[tuple[str, int], dict[str, int]] = {}
    for row in window.values("browser", "major_version", "kind").annotate(total=Sum("count")):
        counts = per_browser.setdefault((row["browser"], row["major_version"]), {})
        counts[row["kind"]] = row["total"]
    browsers = sorted(
        (
            BrowserRow(
                browser=browser,
                major_version=version,
                visits=counts.get(DiagnosticsAggregate.Kind.VISIT, 0),
                errors=counts.get(DiagnosticsAggregate.Kind.ERROR, 0),
            )
            for (browser, version), counts in per_browser.items()
        ),
        key=lambda row: (-row.visits, -row.errors, row.browser, -row.major_version),
    )
    error_rows = list(
        window.filter(kind=DiagnosticsAggregate.Kind.ERROR)
        .values("signature")
        .annotate(total=Sum("count"), last_seen=Max("day"))
        .order_by("-total", "signature")[:TOP_ERRORS]
    )
    signatures = [row["signature"] for row in error_rows]
    browser_counts: dict[str, set[tuple[str, int]]] = {}
    for signature, browser, version in window.filter(
        kind=DiagnosticsAggregate.Kind.ERROR, signature__in=signatures
    ).values_list("signature", "browser", "major_version"):
        browser_counts.setdefault(signature, set()).add((browser, version))
    errors = [
        ErrorRow(
            signature=row["signature"],
            count=row["total"],
            browsers=len(browser_counts.get(row["signature"], ())),
            last_seen=row["last_seen"],
        )
        for row in error_rows
    ]
    return DiagnosticsOverview(
        since=since,
        browsers=browsers,
        errors=errors,
        total_visits=sum(row.visits for row in browsers),
        total_errors=sum(row.errors for row in browsers),
    )
