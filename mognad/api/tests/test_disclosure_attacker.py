"""The attacker as a test: every figure a key user can get through the real channels (the JSON API
and the CSV export), after answering, closing, scoring and re-scoring, gives away nothing about
fewer than k respondents.

Hypothesis generates Ankeby's respondents (units in two levels, roles across units, "Vet ej" on
some statements, some with no unit or role as through the open link). The attacker knows each
response's unit and role and who answered which statement (more than a key user does); from the
API it reads every released group's respondent count and every statement's mean and n. The sums
(mean × n) over the released groups form a linear system per statement; `smallest_revealed` proves
by rank that no sum over fewer than k people lies in its span. A longer run:
`MOGNAD_ATTACKER_EXAMPLES=150 make test PYTEST_ARGS=mognad/api/tests/test_disclosure_attacker.py`.
"""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.results.answers import load_answers
from mognad.results.compute import compute_and_store
from mognad.results.tests.test_disclosure_decide import smallest_revealed
from mognad.surveys.tests.factories import AnswerGroup, closed_measurement

EXAMPLES = int(os.environ.get("MOGNAD_ATTACKER_EXAMPLES", "8"))
K = 3  # small enough that generated organizations of up to 16 people have interesting cells
UNITS = ("Kommunledningsförvaltningen", "Socialförvaltningen", "Äldreomsorg", None)
ROLES = ("staff", "manager", "it", "")

people = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=4),  # how many alike
        st.sampled_from(UNITS),
        st.sampled_from(ROLES),
        st.sampled_from([(), ("tek.",), ("eff.", "tek.")]),  # statements answered "Vet ej"
    ),
    min_size=1,
    max_size=5,
)


def released_system(body, matrix, units_by_id):
    """Per statement, the attacker's rows over its answerers; and the count rows."""
    unit_of = np.array([u or 0 for u in matrix.units])
    role_of = np.array(matrix.roles, dtype=object)

    def members(group):
        if group["kind"] == "organization":
            return np.ones(len(matrix.units), dtype=bool)
        if group["kind"] == "role":
            return role_of == group["role"]
        path = units_by_id[group["unit_id"]].path
        inside = [uid for uid, unit in units_by_id.items() if unit.path.startswith(path)]
        return np.isin(unit_of, inside)

    shown = [g for g in body["groups"] if g["respondents"] is not None]
    counts = np.array([members(g).astype(float) for g in shown])
    for g, row in zip(shown, counts, strict=True):
        assert g["respondents"] == int(row.sum())  # the count the API shows is the group's
    blocks = []
    answered = (matrix.values != UNANSWERED) & (matrix.values != DONT_KNOW)
    for column, item_id in enumerate(matrix.item_ids):
        who = answered[:, column]
        rows = []
        for group in shown:
            score = next(s for s in group["scores"] if (s["node"], s["id"]) == ("item", item_id))
            if score["score"] is not None:
                mask = members(group)[who]
                assert score["n"] == int(mask.sum())
                rows.append(mask.astype(float))
        blocks.append(np.array(rows) if rows else np.zeros((0, int(who.sum()))))
    return counts, blocks


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(groups=people)
def test_no_channel_gives_away_a_sum_over_fewer_than_k_respondents(
    groups, settings_k, attacker_api, alice, client, ankeby
):
    units = {unit.name: unit for unit in ankeby.units.all()}
    answer_groups = [
        AnswerGroup(
            count,
            level=3.5,
            unit=units[unit] if unit else None,
            role=role,
            unknown=unknown,
        )
        for count, unit, role, unknown in groups
    ]
    measurement = closed_measurement(ankeby, answer_groups, seed=len(groups))
    try:
        compute_and_store(measurement)  # a re-score releases at most what the first did
        matrix = load_answers(measurement)
        response = attacker_api.get(f"/api/v1/measurements/{measurement.pk}/results/")
        if response.status_code == 404:
            # Nothing released: only when the whole organization has fewer than k responses.
            assert len(matrix.units) < K
            return
        body = response.json()
        assert body["threshold"] == K
        counts, blocks = released_system(body, matrix, {u.pk: u for u in units.values()})
        assert smallest_revealed(counts, K) is None
        for block in blocks:
            assert smallest_revealed(block, K) is None
        _the_csv_shows_the_same_figures(client, alice, measurement, body)
    finally:
        measurement.delete()


def _the_csv_shows_the_same_figures(client, alice, measurement, body):
    client.force_login(alice)
    response = client.get(
        f"/orgs/{measurement.organization.slug}/results/export.csv?year={measurement.year}"
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text[:200] else ","))
    shown = {g["name"] for g in body["groups"] if g["respondents"] is not None}
    hidden = {g["name"] for g in body["groups"] if g["respondents"] is None}
    names = {cell for row in rows for cell in row}
    assert shown <= names
    for row in rows:
        if row and set(row) & hidden:
            # A withheld group is listed without a single figure.
            assert not any(_is_number(cell) for cell in row[3:])


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.fixture
def attacker_api(api_as, alice):
    """One API token for every example (a user may hold at most 20); Swedish, like the CSV."""
    api = api_as(alice)
    del api.headers["Accept-Language"]
    return api


@pytest.fixture
def settings_k(settings):
    settings.ANONYMITY_K = K
    settings.BOOTSTRAP_RESAMPLES = 50
