"""Pure tallies: answers acknowledged to clients against answers stored; emails against the sink.

No Django, no I/O: the scenario collects the facts, these functions judge them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# One answer: (response key, item id) → value ("1".."6" or "dk").
AnswerKey = tuple[str, str]


@dataclass(frozen=True)
class AnswerTally:
    acknowledged: int
    stored: int
    lost: int
    changed: int
    unacknowledged_stored: int

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.changed == 0


def tally_answers(
    acknowledged: Mapping[AnswerKey, str], stored: Mapping[AnswerKey, str]
) -> AnswerTally:
    """`lost`: acknowledged and not stored; `changed`: stored with another value than the last one
    acknowledged; `unacknowledged_stored`: saved by a request whose answer the client never saw
    (the connection died after the commit) — allowed, the client simply retried or moved on."""
    lost = sum(1 for key in acknowledged if key not in stored)
    changed = sum(
        1 for key, value in acknowledged.items() if key in stored and stored[key] != value
    )
    extra = sum(1 for key in stored if key not in acknowledged)
    return AnswerTally(
        acknowledged=len(acknowledged),
        stored=len(stored),
        lost=lost,
        changed=changed,
        unacknowledged_stored=extra,
    )


@dataclass(frozen=True)
class MailTally:
    queued: int
    delivered: int
    missing: int
    duplicates: int
    unexpected: int

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.duplicates == 0 and self.unexpected == 0


def tally_mail(queued: Iterable[str], received: Iterable[str]) -> MailTally:
    """`queued`: the recipient of every email queued (each once); `received`: the recipient of every
    message the sink recorded. Exactly once means every queued recipient appears once in the sink.
    `duplicates` counts the extra copies; `unexpected`, messages to someone never queued."""
    wanted = Counter(address.lower() for address in queued)
    got = Counter(address.lower() for address in received)
    missing = sum(max(count - got[address], 0) for address, count in wanted.items())
    duplicates = sum(
        max(count - wanted[address], 0) for address, count in got.items() if address in wanted
    )
    unexpected = sum(count for address, count in got.items() if address not in wanted)
    return MailTally(
        queued=sum(wanted.values()),
        delivered=sum(min(count, wanted[address]) for address, count in got.items()),
        missing=missing,
        duplicates=duplicates,
        unexpected=unexpected,
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction ≤ 1) of a non-empty list."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    ordered = sorted(values)
    rank = max(1, math.ceil(round(len(ordered) * fraction, 9)))
    return ordered[rank - 1]
