"""The national view: participation, national figures and change, for the coordinator only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad.surveys.models import Measurement

URL = reverse("national:overview")


@pytest.fixture
def two_years(two_years_for_module, db):
    return two_years_for_module


def test_the_coordinator_sees_participation_figures_and_change(nadia_client, two_years):
    response = nadia_client.get(URL)
    assert response.status_code == 200
    assert response.context["year"] == 2026
    maturity = response.context["sections"].maturity
    assert maturity.headline[0].score is not None
    assert maturity.change.panel == 6
    assert maturity.change.joined == 2
    text = response.content.decode()
    assert "Nationell bild 2026" in text
    assert 'id="chart-categories"' in text
    assert "static/results/charts.js" in text


def test_it_shows_an_earlier_year_when_asked(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    assert response.context["sections"].maturity.change is None
    assert response.context["sections"].maturity.headline[0].n == 6


def test_it_lists_the_organizations_that_have_not_started(nadia_client, two_years):
    response = nadia_client.get(URL)
    names = [o.name for o in response.context["not_started"]]
    assert "Sovande kommun" in names
    assert "Kommun 3" not in names


def test_response_rates_count_only_measurements_invited_by_personal_link(nadia_client, two_years):
    total = nadia_client.get(URL).context["sections"].participation.total
    assert (total.invited, total.responded, total.tracked_responded) == (8 * 16, 8 * 14, 8 * 14)
    Measurement.objects.filter(organization__name="Kommun 3", year=2026).update(
        invitation_mode=Measurement.InvitationMode.BOTH
    )
    total = nadia_client.get(URL).context["sections"].participation.total
    assert (total.invited, total.responded, total.tracked_responded) == (7 * 16, 8 * 14, 7 * 14)
    assert total.response_rate == pytest.approx(14 / 16)


def test_a_year_without_results_still_shows_participation(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2030"})
    assert response.status_code == 200
    assert response.context["sections"].maturity.headline[0].score is None
    assert response.context["sections"].participation.total.closed == 0


def test_the_page_is_in_english_when_the_visitor_chose_english(nadia_client, two_years):
    nadia_client.cookies["mognad_language"] = "en"
    text = nadia_client.get(URL).content.decode()
    assert "National view 2026" in text
    assert "Spread within and between organizations" in text


@pytest.mark.parametrize("year", ["tjugo", "1999", "3000"])
def test_a_bad_year_gets_a_clear_error(nadia_client, two_years, year):
    response = nadia_client.get(URL, {"year": year})
    assert response.status_code == 400
    assert response.context["form"].errors["year"]
    assert 'aria-describedby="year-error"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_key_users_and_outsiders_get_404(alice_client, charlie_client, two_years):
    assert alice_client.get(URL).status_code == 404
    assert charlie_client.get(URL).status_code == 404


def test_it_takes_a_fixed_number_of_queries(nadia_client, two_years, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        nadia_client.get(URL)  # computes and stores the year's national figures
    with django_assert_max_num_queries(15):
        nadia_client.get(URL)  # serves them
