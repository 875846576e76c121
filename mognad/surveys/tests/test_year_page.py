"""Where the organization's year stands (issue 13): after login a member with one organization
lands on its year page – state, response rate, days left, next reminder and the next step."""

from __future__ import annotations

import datetime as dt
import re

from mognad.surveys import actions
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


def _year(client, org="ankeby-kommun"):
    return client.get(f"/orgs/{org}/year/")


def test_without_a_measurement_the_next_step_is_to_create_it(alice_client, ankeby):
    text = _text(_year(alice_client))
    assert "Ankeby kommun: året 2026" in text
    assert "Det finns ingen mätning för 2026 än." in text
    assert "Skapa årets mätning" in text and "Skapa mätningen" in text


def test_a_draft_of_next_year_says_it_cannot_open_and_a_draft_without_people_says_add(
    alice_client, ankeby
):
    draft = make_measurement(ankeby)
    assert "Lägg till respondenterna och öppna sedan mätningen." in _text(_year(alice_client))
    make_respondent(draft, "sara@ankeby.se")
    assert "Kontrollera inställningarna och förhandsgranskningen" in _text(_year(alice_client))


def test_an_open_measurement_shows_rate_days_left_and_next_reminder(alice_client, ankeby):
    measurement = make_measurement(ankeby, reminder_days="", answer_by=dt.date(2026, 3, 31))
    measurement.reminder_days_before = "7"
    measurement.save()
    for name in ("sara", "ulf", "eero", "maja"):
        make_respondent(measurement, f"{name}@ankeby.se")
    actions.open_measurement(measurement, by=None)
    Respondent.objects.filter(email="sara@ankeby.se").update(status="completed")
    text = _text(_year(alice_client))
    assert "Läge Öppen" in text
    assert "1 av 4 inbjudna har svarat färdigt (25 %)" in text
    assert "30 dagar, till slutet av 31 mars 2026" in text  # 2 March 2026 counts too
    assert "Nästa påminnelse 24 mars 2026" in text
    assert "Följ svarsfrekvensen per enhet och roll" in text


def test_a_closed_measurement_points_to_the_results(alice_client, ankeby):
    measurement = make_measurement(ankeby)
    actions.open_measurement(measurement, by=None)
    actions.close_measurement(measurement, by=None)
    assert "Läs resultaten och presentera dem för styrgruppen." in _text(_year(alice_client))


def test_members_only(victor_client, charlie_client, client, ankeby):
    assert victor_client.get("/orgs/ankeby-kommun/year/").status_code == 200
    assert charlie_client.get("/orgs/ankeby-kommun/year/").status_code == 404
    assert client.get("/orgs/ankeby-kommun/year/").status_code == 302
    assert charlie_client.get("/start/")["Location"] == "/orgs/bebyholm-kommun/year/"
