"""`mognad orgs import FILE.csv [--dry-run]` and `mognad orgs import-groups FILE.csv …`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mognad.orgs.models import AuditEvent, Organization
from mognad.orgs.registry import load_registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The command speaks the default language (Swedish); these tests read its English messages.
    with translation.override("en"):
        yield


GOOD = """name,kind,code,county,employees
Skatteverket,agency,202100-5448,,10500
Ankeby Energi AB,company,5560001234,Uppsala län,120
"""


def _write(tmp_path, text, name="orgs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_imports_agencies_and_companies_with_size_class_and_county(tmp_path, capsys):
    call_command("orgs", "import", _write(tmp_path, GOOD))
    agency = Organization.objects.get(code="202100-5448")
    company = Organization.objects.get(code="556000-1234")
    assert (agency.kind, agency.size_class, agency.county) == ("agency", "L", "")
    assert (company.kind, company.county_code, company.county) == ("company", "03", "Uppsala län")
    assert "2 created" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="registry.imported").count() == 1


def test_importing_the_same_file_again_updates_instead_of_duplicating(tmp_path):
    path = _write(tmp_path, GOOD)
    call_command("orgs", "import", path)
    call_command("orgs", "import", path)
    assert Organization.objects.filter(code="202100-5448").count() == 1


def test_a_dry_run_checks_the_file_and_writes_nothing(tmp_path, capsys):
    before = Organization.objects.count()
    call_command("orgs", "import", _write(tmp_path, GOOD), "--dry-run")
    assert Organization.objects.count() == before
    assert "2 row(s) are valid" in capsys.readouterr().out


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_written(tmp_path, capsys):
    text = GOOD + "Trasig,ministry,123,Narnia,-3\n,agency,202100-5448,01,x\n"
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("orgs", "import", _write(tmp_path, text))
    errors = capsys.readouterr().err
    assert "line 4: kind must be agency or company" in errors
    assert "organization number" in errors and "unknown county Narnia" in errors
    assert "line 5: name is empty; the code appears twice in the file" in errors
    assert Organization.objects.count() == before


def test_an_absurd_number_of_employees_is_a_bad_row(tmp_path, capsys):
    text = GOOD + "Jättemyndigheten,agency,202100-5448,01," + "9" * 25 + "\n"
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("orgs", "import", _write(tmp_path, text))
    assert "from 1 to 1 000 000" in capsys.readouterr().err
    assert Organization.objects.count() == before


def test_a_file_without_the_required_columns_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("orgs", "import", _write(tmp_path, "name;kind\nX;agency\n"))
    assert "missing column(s): code, county, employees" in capsys.readouterr().err


def test_messages_are_swedish_by_default(tmp_path, capsys):
    with translation.override("sv"), pytest.raises(CommandError):
        call_command(
            "orgs", "import", _write(tmp_path, "name,kind,code,county,employees\nX,y,1,,\n")
        )
    assert "rad 2: kind måste vara agency eller company" in capsys.readouterr().err


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("orgs", "import", str(tmp_path / "nope.csv"))


def test_it_imports_municipality_groups(tmp_path):
    load_registry()
    call_command("orgs", "import-groups", _write(tmp_path, "code;group\n0180;A1\n114;a3\n"))
    assert Organization.objects.get(kind="municipality", code="0180").municipality_group == "A1"
    assert Organization.objects.get(kind="municipality", code="0114").municipality_group == "A3"


def test_bad_group_rows_are_listed_and_nothing_is_written(tmp_path, capsys):
    load_registry()
    text = "code,group\n0180,A1\n9999,B4\n0380,Z9\n"
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("orgs", "import-groups", _write(tmp_path, text))
    errors = capsys.readouterr().err
    assert "line 3: 9999 is not a municipality code" in errors
    assert "line 4: group must be" in errors
    assert Organization.objects.get(kind="municipality", code="0180").municipality_group == ""


def test_a_dry_run_of_groups_writes_nothing(tmp_path):
    load_registry()
    call_command("orgs", "import-groups", _write(tmp_path, "code,group\n0180,A1\n"), "--dry-run")
    assert Organization.objects.get(kind="municipality", code="0180").municipality_group == ""
