"""The data-subject pages: find, download as JSON, erase (with a confirmation step)."""

import json

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent
from mognad.privacy.erasure import subject_reference
from mognad.privacy.tests.builders import answered_measurement
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Respondent

pytestmark = pytest.mark.usefixtures("in_english")

FIND = "/orgs/ankeby-kommun/data-subject/"
EXPORT = "/orgs/ankeby-kommun/data-subject/export/"
ERASE = "/orgs/ankeby-kommun/data-subject/erase/"
ALL = "/data-subject/"
SARA = "sara@ankeby.se"


def _post(client, url, **data):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def _untouched():
    assert Respondent.objects.filter(email=SARA).exists()
    assert not AuditEvent.objects.filter(action="data_subject.erased").exists()


# --- Find -----------------------------------------------------------------------------------------


def test_the_form_asks_for_an_email_address(alice_client, ankeby):
    response = alice_client.get(FIND, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<label for="id_email">Email address</label>' in response.content.decode()


def test_a_key_user_finds_what_is_stored_about_an_address(alice_client, identified):
    response = _post(alice_client, FIND, email="Sara@Ankeby.se")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stored about sara@ankeby.se" in page
    assert "Ankeby kommun 2026 (closed)" in page and "2 answers (identified)" in page
    assert "Download as JSON" in page and "Erase…" in page
    event = AuditEvent.objects.get(action="data_subject.searched")
    assert event.target == subject_reference(SARA) and event.details == {"found": True}


def test_an_address_with_nothing_stored_says_so(alice_client, identified):
    page = _post(alice_client, FIND, email="nobody@ankeby.se").content.decode()
    assert "Nothing is stored about this email address." in page
    assert "Download as JSON" not in page


def test_an_invalid_address_is_a_field_error_and_nothing_is_logged(alice_client, identified):
    response = _post(alice_client, FIND, email="sara-at-ankeby")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address, such as name@example.se." in page
    assert 'aria-describedby="id_email-error"' in page
    assert not AuditEvent.objects.filter(action__startswith="data_subject.").exists()


def test_the_coordinator_searches_every_organization(nadia_client, identified, bebyholm):
    answered_measurement(bebyholm, list(bebyholm.units.all()), emails=(SARA, "bo@bebyholm.se"))
    page = _post(nadia_client, ALL, email=SARA).content.decode()
    assert "Ankeby kommun 2026" in page and "Bebyholm kommun 2026" in page
    assert "Anonymous measurement: the answers cannot be linked to the person" in page


def test_anonymous_visitors_are_sent_to_log_in(ankeby):
    for url in (FIND, EXPORT, ERASE, ALL):
        response = Client().post(url, {"email": SARA})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_outsider_gets_404_and_learns_nothing(charlie_client, identified):
    for url in (FIND, EXPORT, ERASE):
        response = _post(charlie_client, url, email=SARA)
        assert response.status_code == 404 and SARA not in response.content.decode()
    assert _post(charlie_client, ALL, email=SARA).status_code == 404  # coordinators only
    _untouched()


def test_unit_admins_and_viewers_may_not_make_requests(bob_client, victor_client, identified):
    for client in (bob_client, victor_client):
        for url in (FIND, EXPORT, ERASE):
            assert _post(client, url, email=SARA).status_code == 403
    _untouched()


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_is_a_json_download_and_is_logged(alice_client, identified):
    response = _post(alice_client, EXPORT, email=SARA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mognad-data-subject-')
    exported = json.loads(response.content)
    assert exported["email"] == SARA and exported["scope"] == "Ankeby kommun"
    assert len(exported["respondents"]) == 1 and len(exported["respondents"][0]["answers"]) == 2
    assert AuditEvent.objects.get(action="data_subject.exported").target == subject_reference(SARA)


def test_an_export_with_an_invalid_address_is_a_clear_error(alice_client, identified):
    response = _post(alice_client, EXPORT, email="")
    assert response.status_code == 400
    assert "Enter the email address the request is about." in response.content.decode()


def test_the_export_url_cannot_be_fetched_with_get(alice_client, identified):
    assert alice_client.get(EXPORT).status_code == 405


# --- Erase ----------------------------------------------------------------------------------------


def test_the_first_step_shows_what_will_be_erased_and_changes_nothing(alice_client, identified):
    response = _post(alice_client, ERASE, email=SARA)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Erase the data about sara@ankeby.se?" in page
    assert "lose the email address" in page and "2 answers (identified)" in page
    assert 'name="confirm_step"' in page
    _untouched()


def test_confirming_erases_and_goes_back_with_a_summary(alice_client, identified):
    response = _post(alice_client, ERASE, email=SARA, confirm_step="1", confirm="on")
    assert response.status_code == 302 and response["Location"] == FIND
    assert not Respondent.objects.filter(email=SARA).exists()
    assert identified.respondents.filter(email__startswith=ERASED_PREFIX).count() == 1
    page = alice_client.get(FIND, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The data was erased: 1 respondent row(s) without the address" in page


def test_without_the_confirmation_box_nothing_is_erased(alice_client, identified):
    response = _post(alice_client, ERASE, email=SARA, confirm_step="1")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box to confirm the erasure." in page
    assert 'aria-describedby="id_confirm-error"' in page
    _untouched()


def test_a_confirmation_with_an_invalid_address_goes_back_to_the_search(alice_client, identified):
    # Found by the property-based bad-input tests: the address was searched for before it was
    # checked, and a huge one made SQLite refuse the LIKE pattern (a 500).
    for email in ("not-an-address", "å" * 60_000):
        response = _post(alice_client, ERASE, email=email, confirm_step="1", confirm="on")
        assert response.status_code == 400
        assert 'name="email"' in response.content.decode()
    _untouched()


def test_erasing_an_address_with_nothing_stored_is_a_clear_error(alice_client, identified):
    response = _post(alice_client, ERASE, email="nobody@ankeby.se")
    assert response.status_code == 400
    assert "Nothing is stored about this email address." in response.content.decode()
    _untouched()


def test_erasing_ones_own_address_is_refused(alice_client, identified, alice):
    response = _post(alice_client, ERASE, email=alice.email, confirm_step="1", confirm="on")
    assert response.status_code == 400
    assert "You cannot erase your own data here" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_the_coordinator_erases_across_organizations(nadia_client, identified):
    response = _post(
        nadia_client, "/data-subject/erase/", email=SARA, confirm_step="1", confirm="1"
    )
    assert response.status_code == 302 and response["Location"] == ALL
    event = AuditEvent.objects.get(action="data_subject.erased")
    assert event.organization is None and event.target == subject_reference(SARA)
