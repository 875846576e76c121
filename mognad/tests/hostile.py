"""Hostile input for the bad-input property tests (issue 6): strategies and a write detector.

`hostile_text()` draws random text (control characters, NUL, RTL marks, very long strings) and
known-nasty values (markup, spreadsheet formulas, SQL fragments, numbers out of range).
`row_counts()` is a snapshot of every Mognad table's row count (plus the auth tables), so a test can
assert that bad input wrote nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from hypothesis import strategies as st

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "@SUM(A1)",
    "'; DROP TABLE orgs_organization; --",
    "1 OR 1=1",
    "%s%s%s%n",
    "{{ settings.SECRET_KEY }}",
    "../../../etc/passwd",
    "0",
    "-5",
    "7",
    "-1",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "3.5",
    "x",
    "true",
    "None",
    "[]",
    "{}",
    "\ufeff",
    "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "x" * 5000,
    "å" * 70_000,
]


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Random or known-nasty text, without lone surrogates (no browser can post those)."""
    random = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=max_size)
    return st.one_of(st.sampled_from(NASTY), random)


def row_counts() -> dict[str, int]:
    """Rows per table for every Mognad model and the auth/session-independent tables."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("mognad."):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._default_manager.count()
    return counts


# Small tables whose every value is compared, so an UPDATE on bad input is caught too.
WATCHED = (
    "orgs.User",
    "orgs.Organization",
    "orgs.Unit",
    "orgs.Membership",
    "orgs.Invitation",
    "privacy.PrivacySettings",
    "surveys.Measurement",
    "surveys.UnitWindow",
    "surveys.Respondent",
    "surveys.Answer",
    "api.ApiToken",
)


def state() -> dict[str, Any]:
    """Row counts of every table, plus every value of the WATCHED tables."""
    snapshot: dict[str, Any] = dict(row_counts())
    for label in WATCHED:
        model = apps.get_model(label)
        rows = model._default_manager.order_by("pk").values()
        snapshot[f"{label} values"] = [
            {key: value for key, value in row.items() if key != "last_login"} for row in rows
        ]
    return snapshot


def changed(
    before: dict[str, int], after: dict[str, int], ignore: tuple[str, ...] = ()
) -> dict[str, tuple[int, int]]:
    """The tables whose row count differs, as label → (before, after)."""
    return {
        label: (before[label], after.get(label, 0))
        for label in before
        if label not in ignore and before[label] != after.get(label, 0)
    }


def assert_nothing_written(before: dict[str, int], *, ignore: tuple[str, ...] = ()) -> None:
    diff = changed(before, row_counts(), ignore)
    assert not diff, f"bad input wrote rows: {diff}"


def assert_refused(response: Any) -> None:
    """Never a server error; a 4xx, or a re-rendered page that shows an error."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 200:
        html = response.content.decode()
        assert "error" in html.lower() or "fel" in html.lower(), "a 200 without a visible error"
