"""GET /api/v1/measurements/{id}/results/: the same suppressed figures as the results pages."""

from __future__ import annotations

import pytest

from mognad.results import queries
from mognad.results.figures import MeasurementFigures


def url(measurement_id: object) -> str:
    return f"/api/v1/measurements/{measurement_id}/results/"


def groups_by_name(body: dict) -> dict[str, dict]:
    return {group["name"]: group for group in body["groups"]}


def overall(group: dict) -> dict:
    return next(score for score in group["scores"] if score["node"] == "overall")


def test_a_key_user_gets_the_organization_every_unit_and_every_role(api_as, alice, results_2026):
    response = api_as(alice).get(url(results_2026.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["threshold"], body["unit_id"]) == (2026, 5, None)
    assert [(g["kind"], (g["unit_id"] and g["name"]) or g["role"]) for g in body["groups"]] == [
        ("organization", None),
        ("unit", "Kommunledningsförvaltningen"),
        ("unit", "Socialförvaltningen"),
        ("unit", "Äldreomsorg"),
        ("unit", "Utbildningsförvaltningen"),
        ("role", "it"),
        ("role", "manager"),
        ("role", "staff"),
        ("role", "top_management"),
    ]
    organization = body["groups"][0]
    assert organization["name"] == "Ankeby kommun"
    assert organization["respondents"] == 24
    assert overall(organization)["score"] is not None
    assert overall(organization)["n"] == 24
    instrument = results_2026.instrument.definition()
    assert len(body["nodes"]) == 1 + len(instrument.dimensions) + len(instrument.categories) + len(
        instrument.capabilities
    ) + len(instrument.items)
    assert all(len(group["scores"]) == len(body["nodes"]) for group in body["groups"])


def test_names_follow_the_requested_language(api_as, alice, results_2026):
    api = api_as(alice)
    del api.headers["Accept-Language"]  # Swedish is the default
    swedish = api.get(url(results_2026.pk)).json()
    api.headers["Accept-Language"] = "en"
    english = api.get(url(results_2026.pk)).json()
    assert swedish["nodes"][0]["name"] == "Övergripande mognad"
    assert english["nodes"][0]["name"] == "Overall maturity"
    assert english["groups"][-1]["name"] == "Top management"


def test_a_unit_under_the_threshold_is_null_and_marked_suppressed(api_as, alice, results_2026):
    groups = groups_by_name(api_as(alice).get(url(results_2026.pk)).json())
    education = groups["Utbildningsförvaltningen"]  # 3 respondents, k = 5
    assert education["respondents"] is None
    assert education["invited"] is None
    assert education["suppressed"] is True
    assert all(s["score"] is None and s["n"] is None for s in education["scores"])
    assert all(s["suppressed"] for s in education["scores"])


def test_a_unit_that_would_reveal_a_hidden_one_by_subtraction_is_suppressed_too(
    api_as, alice, results_2026
):
    groups = groups_by_name(api_as(alice).get(url(results_2026.pk)).json())
    assert groups["Kommunledningsförvaltningen"]["suppressed"] is True  # 8 ≥ k, but complementary
    assert overall(groups["Kommunledningsförvaltningen"])["score"] is None
    assert groups["Socialförvaltningen"]["respondents"] == 13
    assert overall(groups["Socialförvaltningen"])["suppressed"] is False


def test_every_figure_is_exactly_what_measurement_figures_shows(api_as, alice, results_2026):
    body = api_as(alice).get(url(results_2026.pk)).json()
    figures = MeasurementFigures(results_2026, queries.results_of(results_2026))
    checked = 0
    for group in body["groups"]:
        key = (
            ("organization", "")
            if group["kind"] == "organization"
            else ("unit", str(group["unit_id"]))
            if group["kind"] == "unit"
            else ("role", group["role"])
        )
        assert group["respondents"] == figures.respondents(key)
        for score in group["scores"]:
            figure = figures.figure(key, (score["node"], score["id"]))
            assert score["score"] == (figure.score if figure else None)
            checked += 1
    assert checked > 100


def test_a_unit_admin_gets_only_their_subtree_and_no_roles(
    api_as, bob, results_2026, social_services
):
    body = api_as(bob).get(url(results_2026.pk)).json()
    assert body["unit_id"] == social_services.pk
    assert [g["name"] for g in body["groups"]] == ["Socialförvaltningen", "Äldreomsorg"]


def test_unit_narrows_the_results_to_that_unit_and_the_units_below_it(
    api_as, alice, results_2026, social_services
):
    body = api_as(alice).get(url(results_2026.pk), unit=social_services.pk).json()
    assert [g["name"] for g in body["groups"]] == ["Socialförvaltningen", "Äldreomsorg"]


def test_a_viewer_may_read_results(api_as, victor, results_2026):
    assert api_as(victor).get(url(results_2026.pk)).status_code == 200


def test_no_token_is_a_401(anonymous_api, results_2026):
    assert anonymous_api.get(url(results_2026.pk)).status_code == 401


def test_an_outsider_gets_404(api_as, charlie, results_2026):
    response = api_as(charlie).get(url(results_2026.pk))
    assert response.status_code == 404
    assert "Ankeby" not in response.content.decode()


def test_a_unit_admin_asking_for_a_unit_outside_their_subtree_gets_404(
    api_as, bob, results_2026, education
):
    response = api_as(bob).get(url(results_2026.pk), unit=education.pk)
    assert response.status_code == 404
    assert "Utbildningsförvaltningen" not in response.content.decode()


def test_a_measurement_without_results_is_a_404_that_says_why(api_as, alice, draft_2027):
    response = api_as(alice).get(url(draft_2027.pk))
    assert response.status_code == 404
    assert "no results yet" in response.json()["detail"]


@pytest.mark.parametrize("unit", ["abc", "0", str(2**64)])
def test_a_malformed_unit_is_a_422_naming_the_parameter(api_as, alice, results_2026, unit):
    response = api_as(alice).get(url(results_2026.pk), unit=unit)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "location": "query",
        "field": "unit",
        "message": response.json()["errors"][0]["message"],
    }
