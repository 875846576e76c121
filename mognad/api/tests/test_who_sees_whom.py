"""Who sees whom: per-person answering status and respondents' addresses, per role, page and API.

In an anonymous measurement nobody – key user, unit admin, coordinator, viewer – sees who has
answered, neither on the pages nor in the API, before, during or after answering; the response
rates by unit and role stay. Viewers never see a respondent's address, in any measurement.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from mognad import test
from mognad.platform.mail import deliver_outbox
from mognad.surveys import actions, answering
from mognad.surveys.models import Measurement
from mognad.surveys.tests.factories import SPRING_2026, make_measurement, make_respondent

# Per-person answering status as the pages show it, in Swedish and English. (Whether someone has
# been invited yet, and whether their invitation has gone, says nothing about answering.)
STATUS_WORDS = re.compile(r"\b(Klar|Inbjuden|Påbörjad|Completed|Invited|Started)\b")
PEOPLE = ("anna@ankeby.se", "bo@ankeby.se", "cia@ankeby.se")


@pytest.fixture(autouse=True)
def _spring_2026():
    with time_machine.travel(SPRING_2026, tick=True):
        yield


def _measurement(
    ankeby, social_services, *, anonymous: bool, state: str, deliver: bool = True
) -> Measurement:
    """Three people in social services (bob's unit); Anna answers, the others do not."""
    measurement = make_measurement(ankeby, anonymous=anonymous)
    people = [make_respondent(measurement, email, unit=social_services) for email in PEOPLE]
    if state == "draft":
        return measurement
    measurement = actions.open_measurement(measurement, by=None)
    if deliver:
        deliver_outbox()
    response = answering.start_response(
        measurement, key="anna", respondent=people[0], channel="email"
    )
    answering.submit_response(response, respondent=people[0])
    if state == "closed":
        measurement = actions.close_measurement(measurement, by=None)
    return measurement


@pytest.fixture
def people(alice, bob, nadia, victor):
    return {"key user": alice, "unit admin": bob, "coordinator": nadia, "viewer": victor}


def _client(user) -> Client:
    return test.logged_in_client(user)


def _respondents_page(user, measurement) -> tuple[int, str]:
    response = _client(user).get(f"/measurements/{measurement.pk}/respondents/")
    return response.status_code, response.content.decode()


def _status_cells(html: str) -> list[str]:
    return STATUS_WORDS.findall(html)


@pytest.mark.parametrize("state", ["draft", "open", "closed"])
@pytest.mark.parametrize("role", ["key user", "unit admin", "coordinator"])
def test_in_an_anonymous_measurement_no_page_shows_who_has_answered(
    ankeby, social_services, people, role, state
):
    measurement = _measurement(ankeby, social_services, anonymous=True, state=state)
    status, html = _respondents_page(people[role], measurement)
    assert status == 200
    assert all(email in html for email in PEOPLE)  # the list itself is there …
    assert _status_cells(html) == []  # … without a status per person
    assert "nobody sees who has answered" in html or "ingen ser vem som har svarat" in html
    overview = _client(people[role]).get(f"/measurements/{measurement.pk}/").content.decode()
    if state != "draft":
        # The response rate stays: 1 of 3 invited, by unit and by role.
        assert re.search(r"1 (av|of) 3", overview), overview


@pytest.mark.parametrize("deliver", [True, False])
def test_in_an_anonymous_measurement_the_invitation_state_does_not_depend_on_answering(
    ankeby, social_services, alice, deliver
):
    measurement = _measurement(
        ankeby, social_services, anonymous=True, state="open", deliver=deliver
    )
    _status, html = _respondents_page(alice, measurement)
    shown = "Inbjudan skickad" if deliver else "Inbjudan väntar på att skickas"
    assert html.count(shown) == len(PEOPLE), html


@pytest.mark.parametrize("state", ["open", "closed"])
def test_in_an_identified_measurement_managers_see_who_has_answered(
    ankeby, social_services, people, state
):
    measurement = _measurement(ankeby, social_services, anonymous=False, state=state)
    status, html = _respondents_page(people["key user"], measurement)
    assert status == 200
    assert sorted(_status_cells(html)) == ["Inbjuden", "Inbjuden", "Klar"]


@pytest.mark.parametrize("anonymous", [True, False])
@pytest.mark.parametrize("state", ["draft", "open", "closed"])
def test_a_viewer_never_sees_a_respondents_address(
    ankeby, social_services, people, victor, anonymous, state
):
    measurement = _measurement(ankeby, social_services, anonymous=anonymous, state=state)
    client = _client(victor)
    assert client.get(f"/measurements/{measurement.pk}/respondents/").status_code == 403
    pages = [
        f"/measurements/{measurement.pk}/",
        f"/measurements/{measurement.pk}/windows/",
        f"/measurements/{measurement.pk}/preview/email/",
        f"/orgs/{ankeby.slug}/measurements/",
    ]
    for page in pages:
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert not any(email in html for email in PEOPLE), page
        assert f"/measurements/{measurement.pk}/respondents/" not in html, page


# --- The API --------------------------------------------------------------------------------------


def _api_items(api_as, user, measurement):
    response = api_as(user).get(f"/api/v1/measurements/{measurement.pk}/respondents/")
    return response.status_code, response.json()


@pytest.mark.parametrize("state", ["draft", "open", "closed"])
@pytest.mark.parametrize("role", ["key user", "unit admin", "coordinator"])
def test_in_an_anonymous_measurement_the_api_shows_no_status_per_person(
    api_as, ankeby, social_services, people, role, state
):
    measurement = _measurement(ankeby, social_services, anonymous=True, state=state)
    status, body = _api_items(api_as, people[role], measurement)
    assert status == 200
    assert sorted(item["email"] for item in body["items"]) == list(PEOPLE)
    for item in body["items"]:
        assert (item["status"], item["invitations_sent"], item["reminders_sent"]) == (
            None,
            None,
            None,
        )
    detail = api_as(people[role]).get(f"/api/v1/measurements/{measurement.pk}/").json()
    if state != "draft":
        assert (detail["response_rate"]["invited"], detail["response_rate"]["completed"]) == (3, 1)


def test_in_an_anonymous_measurement_adding_through_the_api_shows_no_status(
    api_as, alice, ankeby, social_services
):
    measurement = _measurement(ankeby, social_services, anonymous=True, state="open")
    body = (
        api_as(alice)
        .post(
            f"/api/v1/measurements/{measurement.pk}/respondents/",
            {"email": "dan@ankeby.se", "role": "staff", "language": "sv"},
        )
        .json()
    )
    assert body["status"] is None and body["reminders_sent"] is None


def test_in_an_identified_measurement_the_api_shows_the_status(
    api_as, alice, ankeby, social_services
):
    measurement = _measurement(ankeby, social_services, anonymous=False, state="closed")
    status, body = _api_items(api_as, alice, measurement)
    assert status == 200
    assert sorted(item["status"] for item in body["items"]) == ["completed", "invited", "invited"]


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_viewer_gets_no_respondents_from_the_api(
    api_as, ankeby, social_services, victor, anonymous
):
    measurement = _measurement(ankeby, social_services, anonymous=anonymous, state="open")
    status, body = _api_items(api_as, victor, measurement)
    assert status == 403
    assert not any(email in str(body) for email in PEOPLE)
    detail = api_as(victor).get(f"/api/v1/measurements/{measurement.pk}/")
    assert detail.status_code == 200  # the response rate stays readable
    assert not any(email in detail.content.decode() for email in PEOPLE)


def test_a_closed_anonymous_measurement_shows_how_many_reminders_went_not_when(
    ankeby, social_services, alice
):
    measurement = _measurement(ankeby, social_services, anonymous=True, state="open")
    assert actions.send_reminders(measurement, by=alice) == 2
    actions.close_measurement(measurement, by=alice)
    html = _client(alice).get(f"/measurements/{measurement.pk}/").content.decode()
    assert "2 påminnelser skickades totalt; vid stängningen raderades när och till vem." in html


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_downloaded_list_shows_who_has_answered_only_in_identified_measurements(
    ankeby, social_services, alice, anonymous
):
    measurement = _measurement(ankeby, social_services, anonymous=anonymous, state="closed")
    url = f"/measurements/{measurement.pk}/respondents/export/csv/"
    text = _client(alice).get(url).content.decode("utf-8-sig")
    if anonymous:
        assert _status_cells(text) == []
        assert text.count("Inbjudan skickad") == len(PEOPLE)
    else:
        assert sorted(_status_cells(text)) == ["Inbjuden", "Inbjuden", "Klar"]
