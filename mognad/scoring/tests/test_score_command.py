"""`mognad score FILE.csv`: offline scoring. No test here has the `db` fixture, so pytest-django
fails any of them that touches the database: the command needs none."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "docs" / "examples"
MINI = str(EXAMPLES / "mini-instrument.yaml")
HEADER = (EXAMPLES / "example-1.csv").read_text(encoding="utf-8").splitlines()[0]


def run(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def write(tmp_path: Path, text: str | bytes, name: str = "answers.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def error_for(path: str, *args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(path, "--instrument", MINI, *args)
    assert raised.value.returncode == 2
    return raised.value


def test_it_scores_a_csv_file_and_prints_json_rounded_to_a_tenth():
    data = run_json(str(EXAMPLES / "example-2.csv"), "--instrument", MINI)
    assert data["instrument"] == "mini@1"
    assert data["respondents"] == 3
    assert data["overall"]["score"] == 42.1
    assert data["overall"]["n"] == 3
    low, high = data["overall"]["ci"]
    assert 0 <= low <= high <= 100
    assert data["dimensions"]["legacy"]["score"] == 41.7
    assert data["items"]["tech.data"] == {"score": None, "n": 0, "dont_know": 2, "unanswered": 2}
    assert data["quadrant"]["type"] == "stalled"
    assert set(data["quadrant"]["probabilities"]) == {"stalled", "held-back", "untapped", "leading"}
    assert data["strengths"] == ["organization", "efficiency"]
    assert data["weaknesses"] == ["technology", "innovation"]
    assert [f["code"] for f in data["flags"]] == ["few_respondents"] + ["high_dont_know"] * 4


def test_the_seed_and_resamples_options_are_used_and_reported():
    args = (str(EXAMPLES / "example-1.csv"), "--instrument", MINI, "--resamples", "300")
    first = run_json(*args, "--seed", "1")
    assert (first["seed"], first["resamples"]) == (1, 300)
    assert run_json(*args, "--seed", "1") == first
    other = run_json(*args, "--seed", "2")
    assert other["overall"]["score"] == first["overall"]["score"]
    assert other["quadrant"]["probabilities"] != first["quadrant"]["probabilities"]


def test_without_json_it_prints_a_readable_table():
    text = run(str(EXAMPLES / "example-1.csv"), "--instrument", MINI)
    assert "Instrument mini@1, 4 respondents" in text
    assert "Overall" in text and "50.0" in text
    assert "Maturity type: Untapped" in text
    assert "Strengths: efficiency, organization" in text
    assert "few_respondents" in text


def test_without_instrument_it_uses_the_default_standard_instrument(tmp_path):
    from mognad.instrument.loader import find_instrument

    items = find_instrument(None).item_ids
    rows = ["respondent," + ",".join(items)]
    rows += [f"r{n}," + ",".join(str(1 + (n + k) % 6) for k in range(len(items))) for n in range(3)]
    data = run_json(write(tmp_path, "\n".join(rows) + "\n"))
    assert data["instrument"].startswith("standard@")
    assert data["respondents"] == 3
    assert set(data["items"]) == set(items)


def test_it_accepts_semicolons_a_byte_order_mark_and_leaves_missing_item_columns_unanswered(
    tmp_path,
):
    path = write(tmp_path, "\ufeffrespondent;eff.goals;org.skills\nr1;6;1\nr2;4;-\n;;\n")
    data = run_json(path, "--instrument", MINI)
    assert data["respondents"] == 2
    assert data["items"]["eff.goals"]["score"] == 80.0
    assert data["items"]["org.skills"] == {"score": 0.0, "n": 1, "dont_know": 1, "unanswered": 0}
    assert data["items"]["inn.users"]["unanswered"] == 2


def test_metadata_columns_are_not_scored(tmp_path):
    path = write(tmp_path, "respondent,year,unit,eff.goals\nr1,2026,IT,6\n")
    assert run_json(path, "--instrument", MINI)["overall"]["score"] == 100.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            f"{HEADER},eff.goal\n",
            "line 1, column 13 ('eff.goal'): 'eff.goal' is not an item id of the instrument "
            "(did you mean 'eff.goals'?)",
            id="unknown item column",
        ),
        pytest.param(
            f"{HEADER}\nr1,A,,,,,4,5,2,3,3,5\nr2,A,,,,,4,7,2,3,3,5\n",
            "line 3, column 8 ('eff.followup'): '7' is not an answer: use 1–6, '-' for 'Vet ej', "
            "or leave the cell empty",
            id="value 7",
        ),
        pytest.param(
            "r1,4,5,2\nr2,4,5,3\n",
            "line 1: there is no 'respondent' column",
            id="missing respondent column",
        ),
        pytest.param(
            "4,5,2,3\n4,5,3,-\n",
            "line 1: the header row is missing: the first row must name the columns",
            id="missing header",
        ),
        pytest.param(
            "respondent,eff.goals,org.skills,eff.goals\nr1,4,5,6\n",
            "line 1, column 4 ('eff.goals'): the column 'eff.goals' appears twice (also column 2)",
            id="duplicate column",
        ),
        pytest.param("", "line 1: the file is empty", id="empty file"),
        pytest.param("\n\n  \n", "line 1: the file is empty", id="only blank lines"),
        pytest.param(
            "respondent,eff.goals,org.skills\nr1,4,5\nr2,4\n",
            "line 3: 2 cells, but the header has 3 columns",
            id="a row with too few cells",
        ),
        pytest.param(
            "respondent,eff.goals,org.skills\nr1,4,5,6\n",
            "line 2: 4 cells, but the header has 3 columns",
            id="a row with too many cells",
        ),
        pytest.param(
            "respondent,eff.goals\nr1,4\nr1,5\n",
            "line 3, column 1 ('respondent'): respondent 'r1' appears twice (also on line 2)",
            id="duplicate respondent",
        ),
        pytest.param(
            "respondent,eff.goals\n,4\n",
            "line 2, column 1 ('respondent'): the respondent is empty",
            id="empty respondent",
        ),
        pytest.param(
            "respondent,eff.goals\n",
            "no respondents: the file has a header row but no answers",
            id="header only",
        ),
        pytest.param(
            "respondent,unit\nr1,IT\n", "line 1: the header has no item columns", id="no items"
        ),
        pytest.param(
            "respondent,eff.goals\nr1,4.0\n",
            "line 2, column 2 ('eff.goals'): '4.0' is not an answer",
            id="a decimal value",
        ),
    ],
)
def test_bad_input_stops_with_one_error_naming_the_file_line_and_column(tmp_path, content, message):
    path = write(tmp_path, content)
    error = error_for(path)
    assert str(error).startswith(f"{path}, ")
    assert message in str(error)
    assert "\n" not in str(error)


def test_a_file_that_is_not_utf8_is_rejected_with_its_line_and_column(tmp_path):
    path = write(tmp_path, "respondent,unit,eff.goals\nr1,Älvdalen,4\n".encode("latin-1"))
    error = error_for(path)
    assert str(error).startswith(f"{path}, line 2, column 2: the file is not UTF-8 text")


def test_a_missing_file_is_a_clear_error(tmp_path):
    error = error_for(str(tmp_path / "nope.csv"))
    assert str(error) == f"{tmp_path / 'nope.csv'}: no such file"


def test_an_unknown_instrument_is_a_clear_error():
    with pytest.raises(
        CommandError, match="cannot load the instrument: unknown instrument 'nope'"
    ) as raised:
        run(str(EXAMPLES / "example-1.csv"), "--instrument", "nope@1")
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    ("option", "value"), [("--seed", "-1"), ("--seed", "x"), ("--resamples", "0")]
)
def test_bad_seed_or_resamples_are_rejected(option, value):
    error = error_for(str(EXAMPLES / "example-1.csv"), option, value)
    assert str(error).startswith(f"{option} must be a whole number")


def test_as_a_program_bad_input_exits_with_status_2_and_the_error_on_stderr(tmp_path):
    path = write(tmp_path, f"{HEADER}\nr1,A,,,,,4,5,2,3,3,9\n")
    program = Path(sys.executable).parent / "mognad"
    done = subprocess.run(  # noqa: S603 - our own program, arguments from this test
        [str(program), "score", path, "--instrument", MINI],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert f"{path}, line 2, column 12 ('tech.data'): '9' is not an answer" in done.stderr
    assert done.stdout == ""
