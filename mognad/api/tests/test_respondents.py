"""GET/POST /api/v1/measurements/{id}/respondents/ and DELETE …/respondents/{respondent_id}/.

Changes go through mognad/surveys/actions.py, so the rules and audit events are the page's.
"""

from __future__ import annotations

import pytest

from mognad.orgs.models import AuditEvent
from mognad.platform.models import OutboxMessage
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent


@pytest.fixture
def measurement(ankeby):
    return make_measurement(ankeby)


def url(measurement) -> str:
    return f"/api/v1/measurements/{measurement.pk}/respondents/"


def one(measurement, respondent) -> str:
    return f"{url(measurement)}{respondent.pk}/"


NEW = {"email": "Nya.Personen@Ankeby.se", "role": "manager", "language": "en"}


# --- Listing --------------------------------------------------------------------------------------


def test_a_key_user_lists_every_respondent_by_email(api_as, alice, ankeby, education):
    measurement = make_measurement(ankeby, anonymous=False)
    make_respondent(measurement, "b@ankeby.se", unit=education)
    make_respondent(measurement, "a@ankeby.se", role="it")
    body = api_as(alice).get(url(measurement)).json()
    assert body["count"] == 2
    assert [(r["email"], r["role"], r["status"]) for r in body["items"]] == [
        ("a@ankeby.se", "it", "pending"),
        ("b@ankeby.se", "staff", "pending"),
    ]
    assert body["items"][1]["unit_id"] == education.pk


def test_the_list_is_paged_with_limit_and_offset(api_as, alice, measurement):
    for i in range(5):
        make_respondent(measurement, f"p{i}@ankeby.se")
    body = api_as(alice).get(url(measurement), limit=2, offset=2).json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [r["email"] for r in body["items"]] == ["p2@ankeby.se", "p3@ankeby.se"]


def test_a_unit_admin_lists_only_their_subtree(
    api_as, bob, measurement, social_services, elder_care, education
):
    make_respondent(measurement, "s@ankeby.se", unit=social_services)
    make_respondent(measurement, "e@ankeby.se", unit=elder_care)
    make_respondent(measurement, "u@ankeby.se", unit=education)
    body = api_as(bob).get(url(measurement)).json()
    assert [r["email"] for r in body["items"]] == ["e@ankeby.se", "s@ankeby.se"]


def test_in_an_anonymous_measurement_no_status_is_reported(api_as, alice, ankeby):
    anonymous = make_measurement(ankeby, anonymous=True)
    identified = make_measurement(ankeby, year=2027, anonymous=False)
    for m in (anonymous, identified):
        respondent = make_respondent(m, "x@ankeby.se")
        Respondent.objects.filter(pk=respondent.pk).update(status="started")
    api = api_as(alice)
    assert api.get(url(anonymous)).json()["items"][0]["status"] is None
    assert api.get(url(identified)).json()["items"][0]["status"] == "started"


def test_listing_without_a_token_is_a_401_and_for_an_outsider_a_404(
    anonymous_api, api_as, charlie, measurement
):
    assert anonymous_api.get(url(measurement)).status_code == 401
    assert api_as(charlie).get(url(measurement)).status_code == 404


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 5000}, {"offset": -1}])
def test_a_page_outside_the_bounds_is_a_422(api_as, alice, measurement, params):
    response = api_as(alice).get(url(measurement), **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == next(iter(params))


# --- Adding ---------------------------------------------------------------------------------------


def test_a_key_user_adds_a_respondent_and_the_change_is_audited(api_as, alice, measurement):
    response = api_as(alice).post(url(measurement), NEW)
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["language"], body["unit_id"]) == (
        "nya.personen@ankeby.se",
        "manager",
        "en",
        None,
    )
    assert measurement.respondents.get().pk == body["id"]
    event = AuditEvent.objects.get(action="respondent.add")
    assert (event.actor, event.target) == (alice, "nya.personen@ankeby.se")


def test_adding_to_an_open_measurement_invites_by_email(api_as, alice, ankeby):
    from mognad.surveys import actions

    measurement = make_measurement(ankeby, anonymous=False)
    actions.open_measurement(measurement, by=alice)
    response = api_as(alice).post(url(measurement), NEW)
    assert response.json()["status"] == "invited"
    assert OutboxMessage.objects.filter(to="nya.personen@ankeby.se").count() == 1


def test_a_unit_admin_adds_to_a_unit_of_their_subtree(api_as, bob, measurement, elder_care):
    response = api_as(bob).post(url(measurement), {**NEW, "unit_id": elder_care.pk})
    assert response.status_code == 201
    assert measurement.respondents.get().unit == elder_care


def test_a_unit_admin_must_name_a_unit(api_as, bob, measurement):
    response = api_as(bob).post(url(measurement), NEW)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "unit_id"
    assert not measurement.respondents.exists()


def test_a_unit_admin_cannot_add_to_a_unit_outside_their_subtree(
    api_as, bob, measurement, education
):
    response = api_as(bob).post(url(measurement), {**NEW, "unit_id": education.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "body",
            "field": "unit_id",
            "message": "There is no such unit in your part of the organization.",
        }
    ]
    assert not measurement.respondents.exists()


def test_a_viewer_may_not_add(api_as, victor, measurement):
    response = api_as(victor).post(url(measurement), NEW)
    assert response.status_code == 403
    assert not measurement.respondents.exists()


def test_a_viewer_gets_403_even_for_an_invalid_body(api_as, victor, measurement):
    assert api_as(victor).post(url(measurement), raw=b"{nonsense").status_code == 403


def test_an_outsider_gets_404_whatever_the_body(api_as, charlie, measurement):
    api = api_as(charlie)
    assert api.post(url(measurement), NEW).status_code == 404
    assert api.post(url(measurement), raw=b"").status_code == 404
    assert not measurement.respondents.exists()


def test_adding_without_a_token_is_a_401(anonymous_api, measurement):
    assert anonymous_api.post(url(measurement), NEW).status_code == 401
    assert not measurement.respondents.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "email": "inte-en-adress"}, "email"),
        ({**NEW, "role": "boss"}, "role"),
        ({**NEW, "language": "de"}, "language"),
        ({**NEW, "unit_id": "x"}, "unit_id"),
        ({"role": "staff"}, "email"),
    ],
)
def test_invalid_fields_are_a_422_naming_the_field_and_nothing_is_written(
    api_as, alice, measurement, body, field
):
    response = api_as(alice).post(url(measurement), body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert field in response.json()["detail"]
    assert not measurement.respondents.exists()
    assert not AuditEvent.objects.filter(action="respondent.add").exists()


@pytest.mark.parametrize("raw", [b"{nonsense", b"[1, 2]", b"", "\xff".encode("latin-1")])
def test_a_body_that_is_not_a_json_object_is_a_400(api_as, alice, measurement, raw):
    response = api_as(alice).post(url(measurement), raw=raw)
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not measurement.respondents.exists()


def test_an_address_already_on_the_list_is_a_409(api_as, alice, measurement):
    make_respondent(measurement, "nya.personen@ankeby.se")
    response = api_as(alice).post(url(measurement), NEW)
    assert response.status_code == 409
    assert "already a respondent" in response.json()["detail"]
    assert measurement.respondents.count() == 1


def test_adding_to_a_closed_measurement_is_a_409(api_as, alice, ankeby):
    closed = make_measurement(ankeby, state="closed")
    response = api_as(alice).post(url(closed), NEW)
    assert response.status_code == 409
    assert not closed.respondents.exists()


# --- Removing -------------------------------------------------------------------------------------


def test_a_key_user_removes_a_respondent_and_the_change_is_audited(api_as, alice, measurement):
    respondent = make_respondent(measurement, "bort@ankeby.se")
    response = api_as(alice).delete(one(measurement, respondent))
    assert response.status_code == 204
    assert not measurement.respondents.exists()
    assert AuditEvent.objects.get(action="respondent.remove").target == "bort@ankeby.se"


def test_a_unit_admin_removes_in_their_subtree_but_not_outside_it(
    api_as, bob, measurement, elder_care, education
):
    mine = make_respondent(measurement, "mine@ankeby.se", unit=elder_care)
    other = make_respondent(measurement, "other@ankeby.se", unit=education)
    api = api_as(bob)
    assert api.delete(one(measurement, other)).status_code == 404
    assert api.delete(one(measurement, mine)).status_code == 204
    assert list(measurement.respondents.values_list("email", flat=True)) == ["other@ankeby.se"]


def test_a_viewer_may_not_remove(api_as, victor, measurement):
    respondent = make_respondent(measurement, "kvar@ankeby.se")
    assert api_as(victor).delete(one(measurement, respondent)).status_code == 403
    assert measurement.respondents.exists()


def test_removing_for_an_outsider_or_without_a_token_is_refused(
    api_as, anonymous_api, charlie, measurement
):
    respondent = make_respondent(measurement, "kvar@ankeby.se")
    assert anonymous_api.delete(one(measurement, respondent)).status_code == 401
    assert api_as(charlie).delete(one(measurement, respondent)).status_code == 404
    assert measurement.respondents.exists()


def test_a_respondent_of_another_measurement_cannot_be_removed_through_this_one(
    api_as, alice, ankeby, measurement
):
    other = make_measurement(ankeby, year=2027)
    respondent = make_respondent(other, "annan@ankeby.se")
    assert api_as(alice).delete(one(measurement, respondent)).status_code == 404
    assert other.respondents.exists()


def test_a_malformed_respondent_id_is_a_422(api_as, alice, measurement):
    response = api_as(alice).delete(f"{url(measurement)}abc/")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "respondent_id"


def test_messages_are_swedish_unless_english_is_asked_for(alice, measurement):
    from mognad.api.tests.conftest import ApiClient, token_for

    make_respondent(measurement, "nya.personen@ankeby.se")
    api = ApiClient(token_for(alice), language="sv")
    assert "är redan respondent" in api.post(url(measurement), NEW).json()["detail"]
