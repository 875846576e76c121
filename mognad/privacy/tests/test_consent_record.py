"""A consent record says which choice, for which cookie text, when – and nothing about who."""

import pytest

from mognad.privacy import consent
from mognad.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db


def test_the_record_has_no_field_that_could_identify_a_person():
    fields = {field.name for field in ConsentRecord._meta.get_fields()}
    assert fields == {"id", "choice", "text_version", "created_at"}


def test_a_logged_in_users_choice_is_recorded_without_anything_from_the_request(
    alice_client, alice
):
    alice_client.post(
        "/cookies/",
        {"choice": "diagnostics"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0",
    )
    [row] = ConsentRecord.objects.values()
    assert set(row) == {"id", "choice", "text_version", "created_at"}
    assert (row["choice"], row["text_version"]) == ("diagnostics", consent.TEXT_VERSION)
    stored = " ".join(str(value) for value in row.values())
    session_key = alice_client.session.session_key
    for personal in ["198.51.100.7", "Firefox", alice.email, session_key]:
        assert personal not in stored


def test_each_choice_is_a_new_record_so_changes_can_be_counted(client):
    client.post("/cookies/", {"choice": "diagnostics"})
    client.post("/cookies/", {"choice": "necessary"})
    assert sorted(ConsentRecord.objects.values_list("choice", flat=True)) == [
        "diagnostics",
        "necessary",
    ]
