"""The tallies that judge a reliability run: answers acknowledged vs stored, emails vs the sink."""

import pytest

from bench.reliability.accounting import percentile, tally_answers, tally_mail


def test_every_acknowledged_answer_stored_with_its_value_is_a_pass():
    acknowledged = {("t1", "a"): "3", ("t1", "b"): "dk"}
    tally = tally_answers(acknowledged, dict(acknowledged))
    assert (tally.acknowledged, tally.stored, tally.lost, tally.changed) == (2, 2, 0, 0)
    assert tally.ok


def test_an_acknowledged_answer_missing_from_the_database_is_counted_lost():
    tally = tally_answers({("t1", "a"): "3", ("t2", "a"): "4"}, {("t1", "a"): "3"})
    assert tally.lost == 1
    assert not tally.ok


def test_a_stored_value_other_than_the_last_acknowledged_one_is_counted_changed():
    tally = tally_answers({("t1", "a"): "5"}, {("t1", "a"): "2"})
    assert (tally.lost, tally.changed) == (0, 1)
    assert not tally.ok


def test_answers_saved_but_never_acknowledged_are_allowed_and_counted():
    # The connection died after the commit: the client never saw the save, the database has it.
    tally = tally_answers({("t1", "a"): "1"}, {("t1", "a"): "1", ("t1", "b"): "6"})
    assert tally.ok
    assert (tally.stored, tally.unacknowledged_stored) == (2, 1)


def test_the_same_item_of_two_respondents_are_two_answers():
    tally = tally_answers({("t1", "a"): "1", ("t2", "a"): "1"}, {("t1", "a"): "1"})
    assert (tally.acknowledged, tally.lost) == (2, 1)


def test_every_invitation_delivered_once_is_a_pass_whatever_the_case_of_the_address():
    tally = tally_mail(["Ada@example.se", "bo@example.se"], ["ada@example.se", "bo@example.se"])
    assert (tally.queued, tally.delivered, tally.missing, tally.duplicates) == (2, 2, 0, 0)
    assert tally.ok


def test_a_second_copy_is_a_duplicate_and_a_missing_one_is_missing():
    tally = tally_mail(["a@x.se", "b@x.se"], ["a@x.se", "a@x.se"])
    assert (tally.delivered, tally.missing, tally.duplicates) == (1, 1, 1)
    assert not tally.ok


def test_a_message_to_someone_never_queued_is_unexpected():
    tally = tally_mail(["a@x.se"], ["a@x.se", "eve@x.se"])
    assert tally.unexpected == 1
    assert not tally.ok


def test_two_emails_queued_to_one_person_must_both_arrive():
    assert tally_mail(["a@x.se", "a@x.se"], ["a@x.se"]).missing == 1
    assert tally_mail(["a@x.se", "a@x.se"], ["a@x.se", "a@x.se"]).ok


def test_percentiles_use_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.95) == 7.0


@pytest.mark.parametrize("fraction", [0.0, 1.5, -0.1])
def test_a_percentile_outside_the_range_is_refused(fraction):
    with pytest.raises(ValueError, match="fraction"):
        percentile([1.0], fraction)


def test_the_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
