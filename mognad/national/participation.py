"""Participation in a year, live: organizations registered, measurements by state, responses.

Not a figure over answers (nothing here passes the disclosure door): counts of organizations and
measurements, and response counts per kind of organization. The national page shows them
(pages/participation.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from mognad.national.queries import OrganizationStatus


@dataclass(frozen=True)
class ParticipationRow:
    key: str
    registered: int
    closed: int
    open: int
    draft: int
    invited: int  # people invited by personal link (measurements that track invitations)
    responded: int  # submitted responses, every measurement
    tracked_responded: int  # submitted responses of measurements that track invitations

    @property
    def not_started(self) -> int:
        """Organizations without an opened measurement this year (none, or a draft only)."""
        return self.registered - self.closed - self.open

    @property
    def response_rate(self) -> float | None:
        return self.tracked_responded / self.invited if self.invited else None


@dataclass(frozen=True)
class Participation:
    year: int
    total: ParticipationRow
    by_kind: list[ParticipationRow]
    by_county: list[ParticipationRow]
    not_started: list[OrganizationStatus]


def _participation_row(key: str, rows: Sequence[OrganizationStatus]) -> ParticipationRow:
    return ParticipationRow(
        key=key,
        registered=len(rows),
        closed=sum(1 for r in rows if r.state == "closed"),
        open=sum(1 for r in rows if r.state == "open"),
        draft=sum(1 for r in rows if r.state == "draft"),
        invited=sum(r.invited for r in rows if r.tracked),
        responded=sum(r.responded for r in rows),
        tracked_responded=sum(r.responded for r in rows if r.tracked),
    )


def participation(year: int, rows: Sequence[OrganizationStatus]) -> Participation:
    """Organizations, measurements, respondents and response rates by organization type, county."""
    kinds: dict[str, list[OrganizationStatus]] = defaultdict(list)
    counties: dict[str, list[OrganizationStatus]] = defaultdict(list)
    for row in rows:
        kinds[row.kind].append(row)
        counties[row.county].append(row)
    kind_rank = {"municipality": 0, "region": 1, "agency": 2, "company": 3}
    return Participation(
        year=year,
        total=_participation_row("", rows),
        by_kind=[
            _participation_row(key, kinds[key])
            for key in sorted(kinds, key=lambda k: (kind_rank.get(k, 9), k))
        ],
        by_county=[
            _participation_row(key, counties[key])
            for key in sorted(counties, key=lambda k: (k == "", k))
        ],
        not_started=[r for r in rows if r.state in ("", "draft")],
    )
