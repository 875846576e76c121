"""The uncertainty harness in its quick mode: it measures what it says, and writes the docs."""

from __future__ import annotations

import pytest

from bench.uncertainty import FULL, PARTS, QUICK, measure, measure_in_parallel, parse, run
from bench.uncertainty.population import LEVELS
from bench.uncertainty.report import END, START, markdown, verdicts, write_docs
from bench.uncertainty.scenarios import ANSWER_BUCKETS, SCENARIOS


@pytest.fixture(scope="module")
def results():
    return measure(QUICK)


def test_every_interval_kind_is_measured_at_every_size(results):
    for scenario in (*SCENARIOS, "unit"):
        for n in QUICK.sizes:
            for level in LEVELS:
                rate = results.rates[scenario, n, level]
                assert rate.total >= QUICK.draws, (scenario, n, level)
                assert 0 <= rate.hits <= rate.total


def test_the_intervals_cover_the_truth_in_the_quick_run_too(results):
    # 40 draws a size: far from the docs' precision, but the bootstrap of before issue 12 (80 %
    # of the items at n = 5) would not pass.
    for n in QUICK.sizes:
        for level in LEVELS:
            assert results.rate("srs", n, level) >= 0.85, (n, level)
            assert results.rate("finite", n, level) >= 0.85, (n, level)


def test_the_change_test_is_measured_against_a_change_of_about_ten_points(results):
    assert all(8.5 <= change <= 11.5 for change in results.true_change)
    for n in QUICK.sizes:
        assert results.rates["tests", n, "change null overall"].total == QUICK.draws
        assert results.rate("tests", n, "change null overall") <= 0.15
        assert results.rate("tests", n, "change power overall") > results.rate(
            "tests", n, "change null overall"
        )


def test_type_probabilities_are_recorded_with_the_true_type(results):
    pairs = results.calibration[QUICK.sizes[0]]
    assert len(pairs) == 4 * QUICK.draws
    assert sum(right for _, right in pairs) == QUICK.draws  # one true type a draw


def test_the_table_goes_between_the_markers_and_replaces_the_last_one(results, tmp_path):
    docs = tmp_path / "scoring.md"
    docs.write_text(f"before\n{START}\nold table\n{END}\nafter\n", encoding="utf-8")
    table = markdown(results, QUICK.sizes, "header")
    write_docs(table, docs)
    write_docs(table, docs)
    text = docs.read_text(encoding="utf-8")
    assert text == f"before\n{START}\n{table}\n{END}\nafter\n"
    assert "| 5 |" in table and "item, Vet ej ≥ 20 %" in table


def test_docs_without_the_markers_are_an_error_and_stay_as_they_were(tmp_path):
    docs = tmp_path / "scoring.md"
    docs.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        write_docs("table", docs)
    assert docs.read_text(encoding="utf-8") == "no markers\n"


def test_every_verdict_has_a_target_and_says_whether_it_is_met(results):
    found = list(verdicts(results, QUICK.sizes))
    assert len(found) == 8
    for figure in found:
        assert figure["target"] and isinstance(figure["ok"], bool)


def test_an_unknown_option_is_refused():
    with pytest.raises(SystemExit, match="unknown option"):
        list(run(["--fast"]))


def test_a_part_of_the_run_is_chosen_by_its_options():
    config, only, write = parse(["--draws=7", "--sizes=5,8", "--only=srs,change", "--write-docs"])
    assert (config.draws, config.sizes, only, write) == (7, (5, 8), {"srs", "change"}, True)
    assert parse([]) == (FULL, PARTS, False)
    assert parse(["--jobs=2"]) == (FULL, PARTS, False)  # read by run
    for wrong in (["--only=bootstrap"], ["--draws=many"], ["--sizes=1"], ["--draws=0"]):
        with pytest.raises(SystemExit):
            parse(wrong)


def test_statement_coverage_is_also_split_by_the_answers_on_the_scale(results):
    for n in QUICK.sizes:
        for what, column in (("hard", "item, Vet ej ≥ 20 %"), ("easy", None)):
            split = [results.rates["by m", n, f"{what} {label}"] for label, _ in ANSWER_BUCKETS]
            if column:
                whole = results.rates["srs", n, column]
                assert sum(r.total for r in split) == whole.total
                assert sum(r.hits for r in split) == whole.hits
            # One answer gives the whole scale: it always covers.
            assert split[0].hits == split[0].total
    table = markdown(results, QUICK.sizes, "header")
    assert "Statements by their answers on the scale m" in table and "| 5 |" in table


def test_two_processes_measure_what_one_does(results):
    parallel = measure_in_parallel(QUICK, PARTS, 2)
    assert {k: v for k, v in parallel.rates.items() if v.total} == {
        k: v for k, v in results.rates.items() if v.total
    }
    assert parallel.calibration == results.calibration
    assert parallel.true_change == results.true_change
