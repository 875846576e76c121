"""Examples beside an organization's weakest capabilities: "Organisationer som din som höjde
Systemförvaltning med mer än 10 punkter gjorde så här".

- *Like yours*: organizations of the same kind and size class, or of the same maturity type (in
  their latest released results up to the year).
- *Raised*: between two consecutive measurements of the organization whose questionnaires compare
  (`over_time.comparable`), the capability rose by more than `RAISE_POINTS` and by more than the
  noise – the over-time tab's one change test (`over_time.change`, Welch's t: the interval of the
  change lies above zero).
- Only released figures: each organization's own stored capability score, with at least k
  respondents (as the peer comparisons read them, `MeasurementScore`).
- The counts are figures over organizations, so they pass the disclosure door's organization rule
  (`released_groups`): at least `Benchmark.MIN_PEERS` like-yours organizations, and the raisers
  and the others each hold 0 or at least `unnamed_threshold()` unnamed organizations. When the count
  of raisers is withheld, only named organizations' examples are shown beside it (an unnamed
  organization's example would tell that it is a raiser).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Q

from mognad.examples import access, dialogue
from mognad.examples.models import Example
from mognad.examples.presenting import ShownExample, present_all
from mognad.orgs.access import AnyUser
from mognad.orgs.models import Organization
from mognad.results.disclosure.door import threshold, unnamed_threshold
from mognad.results.disclosure.organizations import released_groups
from mognad.results.figures import ORGANIZATION, Figure
from mognad.results.models import Benchmark, MeasurementResult, MeasurementScore
from mognad.results.pages import Page
from mognad.results.pages.over_time import change, comparable
from mognad.surveys.models import Measurement

RAISE_POINTS = 10.0


@dataclass(frozen=True)
class Beside:
    """One weak capability and what organizations like yours did about it."""

    capability_id: str
    name: str
    score: float
    peers: int | None  # like-yours organizations with two comparable years; None: withheld
    raised: int | None  # how many of them raised it; None: withheld
    examples: tuple[ShownExample, ...]


def like_yours(org: Organization, year: int, own_type: str | None) -> dict[int, bool]:
    """Organizations like `org` (not itself) → whether they are named in comparisons."""
    condition = Q(pk__in=[])
    if org.size_class:
        condition |= Q(kind=org.kind, size_class=org.size_class)
    if own_type:
        condition |= Q(pk__in=same_type(year, own_type))
    rows = Organization.objects.filter(condition).exclude(pk=org.pk)
    return dict(rows.values_list("pk", "named_in_comparisons"))


def same_type(year: int, type_id: str) -> list[int]:
    """Organizations whose latest released results up to `year` have the maturity type."""
    rows = MeasurementResult.objects.filter(
        group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        measurement__state=Measurement.State.CLOSED,
        measurement__year__lte=year,
        respondents__gte=threshold(),
    ).values_list("measurement__organization_id", "measurement__year", "payload__quadrant__type")
    latest: dict[int, tuple[int, str]] = {}
    for org_id, measured, found in rows:
        if org_id not in latest or measured >= latest[org_id][0]:
            latest[org_id] = (measured, str(found or ""))
    return [org_id for org_id, (_year, found) in latest.items() if found == type_id]


@dataclass(frozen=True)
class _Score:
    measurement_id: int
    year: int
    figure: Figure


def _scores(
    org_ids: list[int], capabilities: list[str], year: int
) -> dict[tuple[int, str], list[_Score]]:
    """Each organization's released capability scores up to `year`, oldest first."""
    k = threshold()
    rows = MeasurementScore.objects.filter(
        result__group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        result__measurement__organization_id__in=org_ids,
        result__measurement__state=Measurement.State.CLOSED,
        result__measurement__year__lte=year,
        result__respondents__gte=k,
        n__gte=k,
        score__isnull=False,
        node=MeasurementScore.Node.CAPABILITY,
        node_id__in=capabilities,
    ).values_list(
        "result__measurement__organization_id",
        "result__measurement_id",
        "result__measurement__year",
        "node_id",
        "score",
        "ci_low",
        "ci_high",
        "se",
        "n",
    )
    found: dict[tuple[int, str], list[_Score]] = defaultdict(list)
    for org_id, measurement_id, measured, node_id, score, low, high, se, n in rows:
        figure = Figure(score=float(score or 0.0), low=low, high=high, se=se, n=int(n))
        found[(org_id, node_id)].append(_Score(measurement_id, measured, figure))
    for series in found.values():
        series.sort(key=lambda s: s.year)
    return found


class _Comparable:
    """Whether two measurements' questionnaires compare, decided once per pair of versions."""

    def __init__(self, measurement_ids: set[int]) -> None:
        self.measurements = {
            m.pk: m
            for m in Measurement.objects.filter(pk__in=measurement_ids).select_related("instrument")
        }
        self.decided: dict[tuple[int, int], bool] = {}

    def __call__(self, a: int, b: int) -> bool:
        first, second = self.measurements[a], self.measurements[b]
        key = (first.instrument_id, second.instrument_id)
        if key not in self.decided:
            self.decided[key] = comparable(first, second)
        return self.decided[key]


@dataclass(frozen=True)
class Rise:
    """One organization's change of one capability between two consecutive comparable years."""

    organization_id: int
    capability: str
    before_year: int
    after_year: int
    delta: float | None
    raised: bool  # more than RAISE_POINTS, and the interval of the change above zero


def rises(org_ids: list[int], capabilities: list[str], year: int) -> list[Rise]:
    """Every consecutive comparable pair of years up to `year`, with the over-time change test."""
    series = _scores(org_ids, capabilities, year)
    compare_ok = _Comparable({s.measurement_id for scores in series.values() for s in scores})
    found = []
    for (org_id, capability), scores in series.items():
        for before, after in pairwise(scores):
            if after.year <= before.year or not compare_ok(
                before.measurement_id, after.measurement_id
            ):
                continue
            moved = change(before.figure, after.figure)
            raised = bool(
                moved.significant
                and moved.delta is not None
                and moved.delta > RAISE_POINTS
                and moved.ci is not None
                and moved.ci[0] > 0
            )
            found.append(Rise(org_id, capability, before.year, after.year, moved.delta, raised))
    return found


def raisers(
    org_ids: list[int], capabilities: list[str], year: int
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Per capability: the organizations with two consecutive comparable years (the peers), and
    those of them that raised it by more than RAISE_POINTS beyond the noise."""
    peers: dict[str, set[int]] = defaultdict(set)
    raised: dict[str, set[int]] = defaultdict(set)
    for rise in rises(org_ids, capabilities, year):
        peers[rise.capability].add(rise.organization_id)
        if rise.raised:
            raised[rise.capability].add(rise.organization_id)
    return peers, raised


def _counts(
    peers: set[int], raised: set[int], named: dict[int, bool]
) -> tuple[int | None, int | None]:
    if len(peers) < Benchmark.MIN_PEERS:
        return None, None
    unnamed = frozenset(org for org in peers if not named.get(org, False))
    shown = released_groups(
        {"peers": frozenset(peers), "raised": frozenset(raised), "rest": frozenset(peers - raised)},
        unnamed,
        unnamed_threshold(),
        protected="peers",
    )
    if "peers" not in shown:
        return None, None
    return len(peers), (len(raised) if "raised" in shown or not raised else None)


def beside_weakest(page: Page, user: AnyUser) -> tuple[Beside, ...]:
    """For each of the page's weakest capabilities: the like-yours counts and the published
    examples of organizations like yours that raised it."""
    access.require_browser(user)
    org = page.organization
    weak = dialogue.weakest(page)
    if not weak:
        return ()
    quadrant = page.figures.quadrant(ORGANIZATION, page.instrument)
    named = like_yours(org, page.year, str(quadrant["type"]) if quadrant else None)
    capabilities = [w.id for w in weak]
    peers, raised = raisers(list(named), capabilities, page.year)
    published = [
        e
        for e in access.published_examples(user).exclude(organization=org)
        if e.organization_id in named
    ]
    own = access.own_organization_ids(user)
    found = []
    for w in weak:
        n_peers, n_raised = _counts(peers[w.id], raised[w.id], named)
        shown_unnamed = n_raised is not None
        chosen: list[Example] = [
            e
            for e in published
            if w.id in e.capabilities
            and e.organization_id in raised[w.id]
            and (e.named or shown_unnamed)
        ]
        found.append(
            Beside(
                capability_id=w.id,
                name=w.name,
                score=w.figure.score,
                peers=n_peers,
                raised=n_raised,
                examples=tuple(present_all(chosen, viewer_org_ids=own)),
            )
        )
    return tuple(found)
