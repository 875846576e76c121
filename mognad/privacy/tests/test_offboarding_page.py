"""The offboarding page: names what will be deleted, asks for the choice and the name, then acts."""

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Membership
from mognad.privacy.tests.builders import answered_measurement
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Measurement, Respondent

URL = "/orgs/ankeby-kommun/offboard/"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def closed(ankeby, social_services, education):
    return answered_measurement(ankeby, [social_services, education])


def _post(client, answers="keep", name="Ankeby kommun"):
    return client.post(URL, {"answers": answers, "confirm_name": name}, HTTP_ACCEPT_LANGUAGE="en")


def _nothing_changed(ankeby):
    assert not Respondent.objects.filter(email__startswith=ERASED_PREFIX).exists()
    assert Membership.objects.filter(organization=ankeby).exists()
    assert not AuditEvent.objects.filter(action="organization.offboarded").exists()


def test_the_page_names_what_will_be_deleted(alice_client, closed, bob):
    response = alice_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "email addresses (the response-rate counts stay)" in page
    assert "<td>3</td>" in page  # three respondents' addresses
    assert "Alice Andersson, alice@ankeby.se" in page and "Bob Berg, bob@ankeby.se" in page
    assert "account deactivated and anonymized" in page
    assert "2 response(s) with 4 answer(s) and 1 stored result(s)" in page


def test_a_key_user_offboards_their_own_organization_keeping_the_answers(
    alice_client, ankeby, closed
):
    response = _post(alice_client, answers="keep")
    assert response.status_code == 200
    assert "Ankeby kommun has been offboarded" in response.content.decode()
    assert all(r.email.startswith(ERASED_PREFIX) for r in closed.respondents.all())
    assert Measurement.objects.filter(pk=closed.pk).exists()
    assert not Membership.objects.filter(organization=ankeby).exists()
    # Alice belonged to no other organization: she is logged out and cannot come back.
    assert alice_client.get("/orgs/").status_code == 302


def test_a_coordinator_offboards_an_organization_deleting_the_answers(
    nadia_client, ankeby, alice, closed
):
    response = _post(nadia_client, answers="delete", name="  ankeby   KOMMUN ")
    assert response.status_code == 200
    assert "The answers and results of 1 measurement(s) were deleted too." in (
        response.content.decode()
    )
    assert not Measurement.objects.filter(organization=ankeby).exists()
    assert nadia_client.get("/orgs/").status_code == 200  # the coordinator stays logged in


def test_a_wrong_name_is_a_field_error_and_nothing_changes(alice_client, ankeby, closed):
    response = _post(alice_client, name="Bebyholm kommun")
    assert response.status_code == 400
    page = response.content.decode()
    assert "name. Type “Ankeby kommun”." in page
    assert 'aria-describedby="id_confirm_name-error"' in page
    _nothing_changed(ankeby)


def test_a_missing_choice_is_a_field_error_and_nothing_changes(alice_client, ankeby, closed):
    response = alice_client.post(URL, {"confirm_name": "Ankeby kommun"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'id="answers-error"' in response.content.decode()
    assert "Choose what happens to the answers." in response.content.decode()
    _nothing_changed(ankeby)


def test_an_open_measurement_is_a_clear_error_and_nothing_changes(
    alice_client, ankeby, social_services
):
    answered_measurement(ankeby, [social_services], close=False)
    response = _post(alice_client)
    assert response.status_code == 400
    assert "Close the open measurement (2026) first" in response.content.decode()
    _nothing_changed(ankeby)


def test_anonymous_visitors_are_sent_to_log_in(ankeby):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_outsider_gets_404_and_changes_nothing(charlie_client, ankeby, alice, closed):
    assert charlie_client.get(URL).status_code == 404
    assert _post(charlie_client).status_code == 404
    _nothing_changed(ankeby)


def test_unit_admins_and_viewers_may_not_offboard(bob_client, victor_client, ankeby, closed):
    for client in (bob_client, victor_client):
        assert client.get(URL).status_code == 403
        assert _post(client).status_code == 403
    _nothing_changed(ankeby)
