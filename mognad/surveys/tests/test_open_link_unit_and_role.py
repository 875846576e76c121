"""Open-link respondents may give their unit and role (issue 13), so that their answers count in
the internal comparison; both are optional, and anything not on the lists is refused."""

import pytest
from django.test import Client

from mognad.surveys import actions
from mognad.surveys.models import Response
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of
from mognad.tests.hostile import assert_nothing_written, row_counts


@pytest.fixture
def opened(ankeby, social_services):
    measurement = make_measurement(ankeby, invitation_mode="both")
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    return actions.open_measurement(measurement, by=None)


@pytest.fixture
def link(opened):
    return f"/o/{actions.open_link_token(opened)}/"


def test_the_intro_asks_for_unit_and_role_as_optional(link, social_services):
    page = Client().get(link)
    html = page.content.decode()
    assert "Om dig (valfritt)" in html
    assert f'<option value="{social_services.pk}">Socialförvaltningen</option>' in html
    assert '<option value="manager">Chef</option>' in html


def test_a_given_unit_and_role_are_stored_on_the_response(link, education):
    browser = Client()
    assert browser.post(link, {"unit": education.pk, "role": "it"})["Location"] == f"{link}1/"
    response = Response.objects.get()
    assert (response.unit_id, response.role, response.channel) == (education.pk, "it", "open_link")


def test_leaving_them_empty_starts_all_the_same(link):
    Client().post(link, {"unit": "", "role": ""})
    response = Response.objects.get()
    assert (response.unit_id, response.role) == (None, "")


@pytest.mark.parametrize(
    "data", [{"role": "astronaut"}, {"unit": "999999"}, {"unit": "x"}, {"role": "<b>"}]
)
def test_anything_not_on_the_lists_is_refused_and_starts_nothing(link, data):
    before = row_counts()
    page = Client().post(link, data)
    assert page.status_code == 400
    assert "Välj en enhet och en roll i listorna, eller lämna dem tomma." in page.content.decode()
    assert_nothing_written(before, ignore=("platform.RateLimitCounter",))


def test_a_unit_of_another_organization_is_refused(link, bebyholm):
    foreign = bebyholm.units.first()
    assert Client().post(link, {"unit": foreign.pk}).status_code == 400
    assert not Response.objects.exists()


def test_a_personal_link_keeps_the_list_s_unit_and_role(opened, social_services, education):
    sara = opened.respondents.get()
    link = f"/r/{token_of(sara)}/"
    browser = Client()
    assert "Om dig (valfritt)" not in browser.get(link).content.decode()
    browser.post(link, {"unit": education.pk, "role": "it"})
    response = Response.objects.get()
    assert (response.unit_id, response.role) == (social_services.pk, "manager")


def test_open_link_answers_with_a_role_count_in_the_internal_comparison(link, opened):
    from mognad.results.models import MeasurementResult
    from mognad.surveys.tests.factories import close_and_score

    for _ in range(5):
        browser = Client()
        browser.post(link, {"role": "it"})
        page = browser.get(f"{link}1/")
        items = [item["id"] for cap in page.context["capabilities"] for item in cap["items"]]
        browser.post(f"{link}1/", {f"item_{item}": "5" for item in items} | {"go": "next"})
        browser.post(f"{link}summary/")
    assert Response.objects.filter(state="submitted", role="it").count() == 5
    closed = close_and_score(opened)
    role = closed.results.get(group_kind=MeasurementResult.GroupKind.ROLE, group_key="it")
    assert role.respondents == 5
