"""/orgs/<slug>/settings/: size, municipality group and consents with decision dates."""

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Organization

pytestmark = pytest.mark.django_db
URL = "/orgs/ankeby-kommun/settings/"


def test_a_key_user_changes_size_group_and_consents(alice_client, ankeby):
    response = alice_client.post(
        URL, {"employees": "16000", "municipality_group": "b3", "named_in_comparisons": "on"}
    )
    assert response.status_code == 302
    ankeby.refresh_from_db()
    assert (ankeby.employees, ankeby.size_class, ankeby.municipality_group) == (16000, "XL", "B3")
    assert ankeby.named_in_comparisons and ankeby.named_in_comparisons_decided_at is not None
    assert not ankeby.research_consent and ankeby.research_consent_decided_at is None
    event = AuditEvent.objects.get(action="organization.settings_changed")
    assert event.details["named_in_comparisons"] == [False, True]


def test_saving_without_changes_records_no_decision(alice_client, ankeby):
    alice_client.post(URL, {"employees": "4200"})
    ankeby.refresh_from_db()
    assert ankeby.named_in_comparisons_decided_at is None
    assert not AuditEvent.objects.filter(action="organization.settings_changed").exists()


def test_a_negative_number_of_employees_is_a_field_error(alice_client, ankeby):
    response = alice_client.post(URL, {"employees": "-5"})
    assert response.status_code == 400 and 'id="id_employees-error"' in response.content.decode()
    assert Organization.objects.get(pk=ankeby.pk).employees == 4200


def test_only_key_users_and_coordinators(victor_client, bob_client, charlie_client, nadia_client):
    assert victor_client.get(URL).status_code == 403
    assert bob_client.post(URL, {"employees": "1"}).status_code == 403
    assert charlie_client.get(URL).status_code == 404
    assert nadia_client.get(URL).status_code == 200
    assert Client().get(URL)["Location"].startswith("/accounts/login/")


def test_the_settings_page_leads_to_data_subject_requests_and_offboarding(alice_client):
    html = alice_client.get(URL).content.decode()
    assert 'href="/orgs/ankeby-kommun/data-subject/"' in html
    assert 'href="/orgs/ankeby-kommun/offboard/"' in html


def test_an_absurd_number_of_employees_is_a_field_error_and_changes_nothing(alice_client, ankeby):
    # Found by the property-based bad-input tests: a huge number overflowed the column (a 500).
    before = ankeby.employees
    response = alice_client.post(URL, {"employees": "9" * 30})
    assert response.status_code == 400 and 'id="id_employees-error"' in response.content.decode()
    assert Organization.objects.get(pk=ankeby.pk).employees == before
