"""results/answers.py and compute.py: the submitted answers as a matrix, scored per group, stored
as results."""

import numpy as np
import pytest
from django.conf import settings

from mognad.results.answers import load_answers
from mognad.results.compute import compute_and_store
from mognad.results.models import MeasurementResult, MeasurementScore
from mognad.scoring.engine import DONT_KNOW, UNANSWERED, score
from mognad.scoring.structure import Structure
from mognad.surveys import answering
from mognad.surveys.models import Answer, Response


@pytest.fixture(autouse=True)
def _every_group_released(settings):
    """These tests are about computing and storing, not what the door releases (test_figures and
    test_disclosure_*): k = 1 releases every group of the two respondents."""
    settings.ANONYMITY_K = 1


def _expected_rows(measurement):
    item_ids = measurement.instrument.definition().item_ids
    sara = np.array([1 + n % 6 for n in range(len(item_ids))], dtype=np.int8)
    eero = np.array(
        [DONT_KNOW if n < 5 else 6 for n in range(len(item_ids) - 3)] + [UNANSWERED] * 3,
        dtype=np.int8,
    )
    return {"sara": sara, "eero": eero}


def test_the_matrix_holds_submitted_answers_in_instrument_order(answered):
    matrix = load_answers(answered)
    expected = _expected_rows(answered)
    assert matrix.values.shape == (2, len(matrix.item_ids))
    rows = sorted(matrix.values.tolist())
    assert rows == sorted([expected["sara"].tolist(), expected["eero"].tolist()])
    assert sorted(matrix.roles) == ["manager", "staff"]


def test_a_submitted_response_without_answers_does_not_shift_the_others(answered):
    ulf = answered.respondents.get(email="ulf@ankeby.se")
    response = Response.objects.get(response_key=f"key-{ulf.pk}")
    Answer.objects.filter(response=response).delete()
    answering.submit_response(response, respondent=ulf)
    matrix = load_answers(answered)
    expected = _expected_rows(answered)
    empty = [UNANSWERED] * len(matrix.item_ids)
    assert sorted(matrix.values.tolist()) == sorted(
        [expected["sara"].tolist(), expected["eero"].tolist(), empty]
    )
    assert matrix.roles[matrix.values.tolist().index(empty)] == "it"


def test_every_group_is_stored_with_the_engines_scores(answered, social_services, elder_care):
    stored = compute_and_store(answered)
    results = {(r.group_kind, r.group_key): r for r in MeasurementResult.objects.all()}
    assert stored == len(results)
    assert set(results) == {
        ("organization", ""),
        ("unit", str(social_services.pk)),  # Sara and, through elder care, Eero
        ("unit", str(elder_care.pk)),
        ("role", "manager"),
        ("role", "staff"),
    }
    assert results["unit", str(social_services.pk)].respondents == 2
    organization = results["organization", ""]
    assert organization.invited == 3  # identified by email: the invited count is known

    structure = Structure.from_instrument(answered.instrument.definition())
    expected = _expected_rows(answered)
    engine = score(
        np.stack([expected["sara"], expected["eero"]]),
        structure,
        resamples=settings.BOOTSTRAP_RESAMPLES,
        seed=0,
        invited=3,
    )
    # The engine's figures, plus what the door adds: nothing withheld at k = 1.
    assert organization.payload == {**engine.to_dict(), "withheld": []}
    overall = organization.scores.get(node="overall")
    assert (overall.score, overall.ci_low, overall.ci_high, overall.se, overall.n) == (
        engine.overall.score,
        engine.overall.ci[0],
        engine.overall.ci[1],
        engine.overall.se,
        engine.overall.n,
    )
    first = structure.item_ids[0]
    item = organization.scores.get(node="item", node_id=first)
    assert (item.score, item.dont_know, item.unanswered) == (
        engine.items[first].score,
        1,
        0,
    )
    last = organization.scores.get(node="item", node_id=structure.item_ids[-1])
    assert (last.n, last.unanswered) == (1, 1)
    nodes = 1 + len(structure.dimension_ids) + len(structure.category_ids)
    nodes += len(structure.capability_ids) + len(structure.item_ids)
    assert organization.scores.count() == nodes


def test_computing_again_replaces_the_results_without_leftovers(answered):
    compute_and_store(answered)
    before = MeasurementScore.objects.count(), MeasurementResult.objects.count()
    old_ids = set(MeasurementResult.objects.values_list("pk", flat=True))
    compute_and_store(answered)
    assert (MeasurementScore.objects.count(), MeasurementResult.objects.count()) == before
    assert not old_ids & set(MeasurementResult.objects.values_list("pk", flat=True))


def test_only_scores_refer_to_a_stored_result():
    # compute.py replaces results with two DELETE statements instead of Django's cascade: a new
    # model pointing at MeasurementResult must be deleted there too (then change this test).
    referring = {
        (relation.related_model, relation.field.name)
        for relation in MeasurementResult._meta.related_objects
    }
    assert referring == {(MeasurementScore, "result")}


def test_a_response_submitted_while_the_answers_are_read_is_not_misplaced(answered, monkeypatch):
    # The responses and their answers are read by two statements: Ulf submits in between.
    from mognad.results import answers

    ulf = answered.respondents.get(email="ulf@ankeby.se")
    ulfs = Response.objects.get(response_key=f"key-{ulf.pk}")
    read_responses = answers.raw_rows

    def submit_after_the_first_read(query):
        rows = read_responses(query)
        if not ulfs.is_submitted():
            answering.submit_response(ulfs, respondent=ulf)
        return rows

    monkeypatch.setattr(answers, "raw_rows", submit_after_the_first_read)
    matrix = load_answers(answered)
    assert matrix.values.shape[0] == 3
    assert sorted(matrix.roles) == ["it", "manager", "staff"]
    ulf_row = matrix.values[matrix.roles.index("it")]
    assert (ulf_row == 3).all()
