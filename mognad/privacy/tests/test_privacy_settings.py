"""The coordinator edits the operator's details in the privacy notices (/privacy/settings/)."""

import pytest
from django.urls import reverse

from mognad.orgs.models import AuditEvent
from mognad.privacy.models import PrivacySettings

pytestmark = pytest.mark.django_db

URL = "/privacy/settings/"
VALID = {
    "operator_name": "  Myndigheten för digital förvaltning ",
    "contact_email": "dataskydd@digg.example",
    "dpo_name": "",
    "dpo_email": "",
    "legal_basis_sv": "Allmänt intresse.",
    "legal_basis_en": "Public interest.",
    "extra_text_sv": "",
    "extra_text_en": "",
}


def test_the_coordinator_sees_an_empty_form_before_anything_is_saved(nadia_client):
    response = nadia_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Inställningar för integritetsmeddelanden</h1>" in html
    assert 'for="id_operator_name"' in html
    assert not PrivacySettings.objects.exists()


def test_the_coordinator_saves_the_details_and_the_change_is_audited(nadia_client, nadia):
    response = nadia_client.post(URL, VALID)
    assert response.status_code == 302 and response["Location"] == URL + "?saved=1"
    saved = PrivacySettings.objects.get()
    assert saved.operator_name == "Myndigheten för digital förvaltning"
    assert saved.legal_basis_en == "Public interest."
    assert saved.updated_at is not None
    [event] = AuditEvent.objects.filter(action="privacy.settings_updated")
    assert event.actor == nadia and event.actor_email == nadia.email
    assert event.details["changed"] == [
        "operator_name",
        "contact_email",
        "legal_basis_sv",
        "legal_basis_en",
    ]
    assert (
        "Integritetsmeddelandena har uppdaterats."
        in nadia_client.get(URL + "?saved=1").content.decode()
    )


def test_saving_again_updates_the_one_row(nadia_client):
    nadia_client.post(URL, VALID)
    nadia_client.post(URL, {**VALID, "dpo_name": "Dana Dataskydd"})
    assert PrivacySettings.objects.count() == 1
    assert PrivacySettings.objects.get().dpo_name == "Dana Dataskydd"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"contact_email": "not an address"},
            "contact_email",
            "Ange en e-postadress, till exempel dataskydd@example.se.",
        ),
        (
            {"dpo_email": "dso@"},
            "dpo_email",
            "Ange en e-postadress, till exempel dataskydd@example.se.",
        ),
        (
            {"operator_name": "   "},
            "operator_name",
            "Ange namnet på den organisation som driver tjänsten.",
        ),
        (
            {"contact_email": ""},
            "contact_email",
            "Ange en e-postadress för frågor om personuppgifter.",
        ),
        ({"legal_basis_sv": "x" * 4001}, "legal_basis_sv", "4000"),
    ],
)
def test_bad_input_gets_a_clear_error_tied_to_its_field_and_nothing_is_written(
    nadia_client, changes, field, message
):
    response = nadia_client.post(URL, {**VALID, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Inget sparades." in html
    assert f'aria-describedby="id_{field}-error' in html
    assert f'id="id_{field}-error"' in html
    assert not PrivacySettings.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bad_input_leaves_earlier_settings_untouched(nadia_client):
    nadia_client.post(URL, VALID)
    nadia_client.post(URL, {**VALID, "operator_name": "Ny", "contact_email": "nope"})
    assert PrivacySettings.objects.get().operator_name == "Myndigheten för digital förvaltning"


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert client.post(URL, VALID).status_code == 302
    assert not PrivacySettings.objects.exists()


def test_anyone_but_a_coordinator_gets_404_and_changes_nothing(alice_client, charlie_client):
    assert alice_client.get(URL).status_code == 404
    assert charlie_client.post(URL, VALID).status_code == 404
    assert not PrivacySettings.objects.exists()


def test_there_can_only_ever_be_one_settings_row(db):
    from django.db import IntegrityError, transaction

    PrivacySettings.objects.create(operator_name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacySettings.objects.create(operator_name="B")
    assert list(PrivacySettings.objects.values_list("id", "operator_name")) == [(1, "A")]
