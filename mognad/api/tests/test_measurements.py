"""GET /api/v1/organizations/{slug}/measurements/ and GET /api/v1/measurements/{id}/."""

from __future__ import annotations

from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent


def listing(slug: str) -> str:
    return f"/api/v1/organizations/{slug}/measurements/"


def detail(measurement_id: object) -> str:
    return f"/api/v1/measurements/{measurement_id}/"


def test_the_measurements_are_listed_newest_year_first(api_as, alice, ankeby):
    older = make_measurement(ankeby, year=2025)
    newer = make_measurement(ankeby, year=2026, state="open")
    response = api_as(alice).get(listing(ankeby.slug))
    assert response.status_code == 200
    body = response.json()
    assert [(m["id"], m["year"], m["state"]) for m in body] == [
        (newer.pk, 2026, "open"),
        (older.pk, 2025, "draft"),
    ]
    assert body[0]["instrument"]["key"] == newer.instrument.key
    assert body[0]["organization"] == ankeby.slug


def test_a_measurement_has_its_state_year_instrument_and_response_rate(api_as, alice, ankeby):
    measurement = make_measurement(ankeby, state="open")
    statuses = ["completed", "completed", "invited", "pending"]
    for i, status in enumerate(statuses):
        respondent = make_respondent(measurement, f"p{i}@ankeby.se")
        Respondent.objects.filter(pk=respondent.pk).update(status=status)
    response = api_as(alice).get(detail(measurement.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["state"]) == (2026, "open")
    assert body["response_rate"] == {
        "respondents": 4,
        "invited": 3,
        "completed": 2,
        "percent": 67,
        "open_link_started": 0,
        "open_link_submitted": 0,
    }


def test_a_unit_admins_response_rate_counts_only_their_subtree(
    api_as, bob, ankeby, social_services, education
):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "a@ankeby.se", unit=social_services)
    make_respondent(measurement, "b@ankeby.se", unit=education)
    body = api_as(bob).get(detail(measurement.pk)).json()
    assert body["response_rate"]["respondents"] == 1


def test_no_token_is_a_401(anonymous_api, ankeby):
    measurement = make_measurement(ankeby)
    assert anonymous_api.get(detail(measurement.pk)).status_code == 401
    assert anonymous_api.get(listing(ankeby.slug)).status_code == 401


def test_an_outsider_gets_404(api_as, charlie, ankeby):
    measurement = make_measurement(ankeby)
    api = api_as(charlie)
    assert api.get(detail(measurement.pk)).status_code == 404
    assert api.get(listing(ankeby.slug)).status_code == 404
    assert api.get(detail(measurement.pk + 1000)).status_code == 404


def test_an_id_that_is_not_a_database_id_is_a_422_not_an_error(api_as, alice):
    api = api_as(alice)
    for bad in ("abc", "0", "-3", str(2**70)):
        response = api.get(detail(bad))
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "measurement_id"
