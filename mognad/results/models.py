"""Peer benchmarks: how the organizations of a peer group scored, per year, version and node.

Computed from the stored per-organization results by `benchmarks.compute_benchmarks` (a job after
measurements close, or `mognad results benchmarks`), so pages read them in one query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeerGroup(models.TextChoices):
    ALL = "all", _("All organizations")
    KIND = "kind", _("Organization type")
    SIZE_CLASS = "size_class", _("Size class")
    COUNTY = "county", _("County")
    MUNICIPALITY_GROUP = "municipality_group", _("Municipality group")


class Benchmark(models.Model):
    """The distribution of organizations' scores for one node in one peer group.

    Only organizations whose own figure passes the anonymity threshold are counted; a peer group
    with fewer than `MIN_PEERS` organizations is stored (for the record) but never shown.
    """

    MIN_PEERS = 5

    year = models.PositiveSmallIntegerField()
    instrument = models.ForeignKey(
        "instrument.InstrumentVersion", on_delete=models.PROTECT, related_name="+"
    )
    peer_group = models.CharField(max_length=20, choices=PeerGroup.choices)
    # The value that defines the group: "" for all, e.g. "municipality", "M", "01", "B3".
    peer_value = models.CharField(max_length=100, blank=True)
    node = models.CharField(max_length=12)
    node_id = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()
    mean = models.FloatField()
    p10 = models.FloatField()
    p25 = models.FloatField()
    median = models.FloatField()
    p75 = models.FloatField()
    p90 = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "peer_group", "peer_value", "node", "node_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "instrument", "peer_group", "peer_value", "node", "node_id"],
                name="one_benchmark_per_node",
            )
        ]
        indexes = [models.Index(fields=["year", "instrument", "peer_group", "peer_value"])]

    def __str__(self) -> str:
        return f"{self.year} {self.peer_group}={self.peer_value} {self.node} {self.node_id}"

    def is_shown(self) -> bool:
        return self.count >= self.MIN_PEERS
