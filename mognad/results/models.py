"""Stored results: each group's scores of a closed measurement, and the peer benchmarks.

`MeasurementResult` and `MeasurementScore` are written by `compute.py` (the worker scores a
measurement after it closes, see `due.py`; `mognad results rescore` re-scores a year). They moved
here from the surveys app and keep its table names (migrations 0002, state only).
`Benchmark` rows are computed from the stored per-organization results by
`benchmarks.compute_benchmarks` (a job after measurements close, or `mognad results benchmarks`), so
pages read them in one query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Unit
from mognad.surveys.models import Measurement


class PeerGroup(models.TextChoices):
    ALL = "all", _("All organizations")
    KIND = "kind", _("Kind of organization")
    SIZE_CLASS = "size_class", _("Size class")
    COUNTY = "county", _("County")
    MUNICIPALITY_GROUP = "municipality_group", _("Municipality group")


class Benchmark(models.Model):
    """The distribution of organizations' scores for one node in one peer group.

    Only organizations whose own figure was released are counted, and only peer groups the
    disclosure-control door releases are stored: at least `MIN_PEERS` organizations, and no
    combination of the node's peer groups singles out an unnamed organization.
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


class MeasurementResult(models.Model):
    """Stored results of one group: the whole organization, one unit's subtree, or one role."""

    class GroupKind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        UNIT = "unit", _("Unit")
        ROLE = "role", _("Role")

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="results")
    group_kind = models.CharField(max_length=12, choices=GroupKind.choices)
    # "" for the organization, the unit's id for a unit, the role's value for a role.
    group_key = models.CharField(max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondents = models.PositiveIntegerField()
    invited = models.PositiveIntegerField(null=True, blank=True)
    # OrganizationScore.to_dict(): quadrant, strengths, consensus, flags …
    payload = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        db_table = "surveys_measurementresult"
        ordering = ["group_kind", "group_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "group_kind", "group_key"], name="one_result_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measurement_id} {self.group_kind} {self.group_key}"


class MeasurementScore(models.Model):
    """One node's score in one stored result: a typed row the results pages can query."""

    class Node(models.TextChoices):
        OVERALL = "overall", _("Overall")
        DIMENSION = "dimension", _("Dimension")
        CATEGORY = "category", _("Category")
        CAPABILITY = "capability", _("Capability")
        ITEM = "item", _("Item")

    result = models.ForeignKey(MeasurementResult, on_delete=models.CASCADE, related_name="scores")
    node = models.CharField(max_length=12, choices=Node.choices)
    node_id = models.CharField(max_length=100, blank=True)
    score = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    se = models.FloatField(null=True)
    n = models.PositiveIntegerField(default=0)
    dont_know = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "surveys_measurementscore"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "node", "node_id"], name="one_score_per_node")
        ]

    def __str__(self) -> str:
        return f"{self.node} {self.node_id}: {self.score}"


class MeasurementRelease(models.Model):
    """What the disclosure-control door released for a measurement (disclosure/measurement.py).

    Written with the first stored results and kept: every later computation of the measurement's
    results releases at most what this records, so no two releases can be subtracted.
    """

    measurement = models.OneToOneField(
        Measurement, on_delete=models.CASCADE, related_name="release"
    )
    k = models.PositiveSmallIntegerField()
    # Release.to_dict(): released groups with their sizes, statements hidden per group, withheld.
    decision = models.JSONField(default=dict)
    # Each released unit group's subtree at the first release (unit ids): a unit moved later does
    # not change who a released group is made of.
    unit_subtrees = models.JSONField(default=dict)
    released_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"release of {self.measurement_id} (k={self.k})"
