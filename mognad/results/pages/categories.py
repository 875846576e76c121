"""The categories tab: categories and capabilities against a peer group, statements and answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.instrument.schema import Instrument
from mognad.orgs.models import Organization
from mognad.results import charts, queries
from mognad.results.benchmarks import peer_value
from mognad.results.figures import NodeKey
from mognad.results.models import Benchmark, PeerGroup
from mognad.results.pages.base import TOP, FigureRow, Page
from mognad.results.wording import extremes, municipality_group_name, whole
from mognad.scoring.engine import differs_from_peers


@dataclass(frozen=True)
class PeerRow(FigureRow):
    """A category's or capability's row with the peer average and the difference to it."""

    id: str
    peer: float | None

    @property
    def gap(self) -> int | None:
        """Own score − peer average in percentage points, as the difference of the two figures
        the row shows (39 % against 41 % is −2), so that the row adds up."""
        if self.figure is None or self.peer is None:
            return None
        return whole(self.figure.score) - whole(self.peer)

    @property
    def differs(self) -> bool | None:
        """The "differs from peers" marker: whether the peer average lies outside the own 95 %
        interval (docs/scoring.md §3); None without an interval or a peer average."""
        if self.figure is None or self.figure.low is None or self.figure.high is None:
            return None
        return differs_from_peers((self.figure.low, self.figure.high), self.peer)

    def bar(self) -> charts.Bar:
        return charts.Bar(self.label, self.score, self.low, self.high, self.peer)


@dataclass(frozen=True)
class CategoryRow(PeerRow):
    peer_count: int | None  # organizations behind the peer average
    agreement: float | None  # the consensus index (0–1), when shown


@dataclass(frozen=True)
class CapabilityRow(PeerRow):
    category: str


@dataclass(frozen=True)
class ItemRow(FigureRow):
    id: str
    shares: tuple[int, ...]  # percent of each answer and "Don't know", of those who saw it
    dont_know: int | None  # percent
    peer: float | None


@dataclass(frozen=True)
class StatementGroup:
    """A category's statements with their answers, as a chart and a table (the PDF report draws
    one per category, so that each chart fits a page at full size)."""

    category: str
    rows: tuple[ItemRow, ...]
    chart: charts.Spec | None
    summary: str


@dataclass(frozen=True)
class Peers:
    """The chosen peer group, its value for this organization and its benchmarks by node."""

    group: str
    label: str
    benchmarks: dict[NodeKey, Benchmark]

    def mean(self, node: NodeKey) -> float | None:
        found = self.benchmarks.get(node)
        return found.mean if found else None

    def count(self, node: NodeKey) -> int | None:
        found = self.benchmarks.get(node)
        return found.count if found else None


@dataclass(frozen=True)
class Categories:
    peer_group: str
    peer_groups: tuple[tuple[str, str], ...]
    peer_label: str
    peer_available: bool
    category_rows: tuple[CategoryRow, ...]
    capability_rows: tuple[CapabilityRow, ...]
    item_rows: tuple[ItemRow, ...]
    answer_labels: tuple[str, ...]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    gaps: tuple[PeerRow, ...]  # the largest shortfalls to the peers, largest first
    spider_chart: charts.Spec | None
    spider_summary: str
    capability_chart: charts.Spec | None
    item_chart: charts.Spec | None
    min_peers: int = Benchmark.MIN_PEERS  # organizations a peer average needs


def build(page: Page, peer_group: str | None = None) -> Categories:
    peers = _peers(page, peer_group)
    category_rows = _category_rows(page, peers)
    capability_rows = _capability_rows(page, peers)
    labels = answer_labels(page.instrument, page.lang)
    item_rows, answers = _item_rows(page, peers, labels)
    gaps = sorted(
        [r for r in (*category_rows, *capability_rows) if r.gap is not None],
        key=lambda r: r.gap or 0.0,
    )
    return Categories(
        peer_group=peers.group,
        peer_groups=tuple((value, str(label)) for value, label in PeerGroup.choices),
        peer_label=peers.label,
        peer_available=bool(peers.benchmarks),
        category_rows=category_rows,
        capability_rows=capability_rows,
        item_rows=item_rows,
        answer_labels=labels,
        strengths=_ranked(page, "strengths"),
        weaknesses=_ranked(page, "weaknesses"),
        gaps=tuple(gaps[:TOP]),
        spider_chart=_spider(page, category_rows, peers.label),
        spider_summary=_spider_summary(category_rows),
        capability_chart=_capability_chart(page, capability_rows, peers.label),
        item_chart=_item_chart(answers, labels),
    )


def peer_label(org: Organization, peer_group: str, value: str) -> str:
    if peer_group == PeerGroup.ALL:
        return _("All organizations")
    if peer_group == PeerGroup.KIND:
        return _("Kind of organization: %(value)s") % {"value": org.get_kind_display()}
    if peer_group == PeerGroup.SIZE_CLASS:
        return _("Size class: %(value)s") % {"value": value}
    if peer_group == PeerGroup.COUNTY:
        return _("County: %(value)s") % {"value": value}
    return _("Municipality group: %(value)s") % {"value": municipality_group_name(value)}


def _peers(page: Page, requested: str | None) -> Peers:
    """The peer group to compare with (the same organization type by default) and its benchmarks."""
    group = requested or PeerGroup.KIND
    value = peer_value(page.organization, group)
    benchmarks = (
        queries.benchmarks(page.measurement, group, value)
        if value or group == PeerGroup.ALL
        else {}
    )
    return Peers(group, peer_label(page.organization, group, value), benchmarks)


def _category_rows(page: Page, peers: Peers) -> tuple[CategoryRow, ...]:
    rows = []
    for c in page.instrument.categories:
        node = ("category", c.id)
        consensus = page.figures.consensus(page.group, c.id)
        rows.append(
            CategoryRow(
                label=c.name.get(page.lang),
                figure=page.figure(node),
                id=c.id,
                peer=peers.mean(node),
                peer_count=peers.count(node),
                agreement=consensus["agreement"] if consensus else None,
            )
        )
    return tuple(rows)


def _capability_rows(page: Page, peers: Peers) -> tuple[CapabilityRow, ...]:
    rows = []
    for c in page.instrument.categories:
        for cap in c.capabilities:
            node = ("capability", cap.id)
            rows.append(
                CapabilityRow(
                    label=cap.name.get(page.lang),
                    figure=page.figure(node),
                    id=cap.id,
                    peer=peers.mean(node),
                    category=c.name.get(page.lang),
                )
            )
    return tuple(rows)


def answer_labels(instrument: Instrument, lang: str) -> tuple[str, ...]:
    """The six scale labels and "Don't know", in the order the answer tables show them."""
    return (*(s.label.get(lang) for s in instrument.scale), instrument.dont_know.get(lang))


def _item_rows(
    page: Page, peers: Peers, labels: tuple[str, ...]
) -> tuple[tuple[ItemRow, ...], list[charts.AnswerShare]]:
    """Each statement's row, and the share of each answer for the chart."""
    rows = []
    answers: list[charts.AnswerShare] = []
    for item in page.instrument.items:
        node = ("item", item.id)
        figure = page.figure(node)
        shares: tuple[int, ...] = ()
        if figure and figure.distribution:
            counts = [*figure.distribution, figure.dont_know]
            seen = sum(counts) or 1
            shares = tuple(whole(100 * count / seen) for count in counts)
            answers += _answer_shares(item.text.get(page.lang), counts, labels)
        share = figure.dont_know_share if figure else None
        rows.append(
            ItemRow(
                label=item.text.get(page.lang),
                figure=figure,
                id=item.id,
                shares=shares,
                dont_know=whole(100 * share) if share is not None else None,
                peer=peers.mean(node),
            )
        )
    return tuple(rows), answers


def _answer_shares(
    label: str, counts: list[int], labels: tuple[str, ...]
) -> list[charts.AnswerShare]:
    seen = sum(counts) or 1
    return [
        charts.AnswerShare(label, answer, order, count / seen)
        for order, (answer, count) in enumerate(zip(labels, counts, strict=True))
    ]


def statement_groups(page: Page, view: Categories) -> tuple[StatementGroup, ...]:
    """The statements of each category with a chart of their answers (the PDF report)."""
    rows_by_id = {row.id: row for row in view.item_rows}
    groups = []
    for category in page.instrument.categories:
        name = category.name.get(page.lang)
        rows = tuple(rows_by_id[i.id] for cap in category.capabilities for i in cap.items)
        answers = [
            share
            for row in rows
            if row.figure and row.figure.distribution
            for share in _answer_shares(
                row.label, [*row.figure.distribution, row.figure.dont_know], view.answer_labels
            )
        ]
        chart = _item_chart(
            answers,
            view.answer_labels,
            title=_("Answers per statement: %(category)s") % {"category": name},
        )
        summary = (
            _(
                "The share of each answer to the statements of %(category)s, including Don't "
                "know; the table gives the figures."
            )
            % {"category": name}
            if chart
            else _("No statement of %(category)s has enough respondents to be shown.")
            % {"category": name}
        )
        groups.append(StatementGroup(name, rows, chart, summary))
    return tuple(groups)


def _ranked(page: Page, which: str) -> tuple[str, ...]:
    names = {c.id: c.name.get(page.lang) for c in page.instrument.categories}
    return tuple(names[c] for c in page.figures.ranked(page.group, which) if c in names)


def _spider(page: Page, rows: tuple[CategoryRow, ...], peer_label: str) -> charts.Spec | None:
    if sum(1 for r in rows if r.score is not None) < 3:
        return None
    series: list[tuple[str, list[float | None]]] = [(page.group_name, [r.score for r in rows])]
    if any(r.peer is not None for r in rows):
        series.append((peer_label, [r.peer for r in rows]))
    return charts.spider(
        title=_("The six categories"),
        description=_("Own scores against the peer average per category."),
        axes=[r.label for r in rows],
        series=series,
    )


def _spider_summary(rows: tuple[CategoryRow, ...]) -> str:
    found = extremes(rows, lambda r: r.score)
    if found is None:
        return _("No category has enough respondents to be shown.")
    return _(
        "The highest category is %(best)s (%(best_score)s %%), the lowest %(worst)s "
        "(%(worst_score)s %%)."
    ) % {
        "best": found.high.label,
        "best_score": whole(found.high.score or 0),
        "worst": found.low.label,
        "worst_score": whole(found.low.score or 0),
    }


def _capability_chart(
    page: Page, rows: tuple[CapabilityRow, ...], peer_label: str
) -> charts.Spec | None:
    if not any(r.score for r in rows):
        return None
    return charts.bars(
        title=_("Capabilities"),
        description=_(
            "Score per capability with its confidence interval; the tick is the peer average."
        ),
        rows=[r.bar() for r in rows],
        x_title=_("Percent of optimal preconditions"),
        own_label=page.group_name,
        peer_label=peer_label,
    )


def _item_chart(
    answers: list[charts.AnswerShare], labels: tuple[str, ...], title: str | None = None
) -> charts.Spec | None:
    if not answers:
        return None
    return charts.distribution(
        title=title or _("Answers per statement"),
        description=_("The share of each answer per statement, including Don't know."),
        rows=answers,
        answer_labels=list(labels),
        x_title=_("Share of those who saw the statement"),
    )
