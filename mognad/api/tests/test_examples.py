"""GET /api/v1/examples/: published examples for any organization's token, with the pages'
rules – unpublished ones are 404, unnamed organizations have no name and no figures."""

from __future__ import annotations

import pytest

from mognad import test
from mognad.examples import actions
from mognad.examples.actions import ExampleText
from mognad.examples.models import Example
from mognad.results.tests.factories import Answers, closed_measurement

pytestmark = pytest.mark.django_db

URL = "/api/v1/examples/"


@pytest.fixture
def two_years(ankeby):
    closed_measurement(ankeby, [Answers(10, level=2.4)], year=2025, seed=1)
    closed_measurement(ankeby, [Answers(10, level=4.6)], year=2026, seed=1)


def example(org, user, *, named, title="Systemägare", publish=True, nadia=None):
    written = actions.create_example(
        org,
        ExampleText(
            title=title,
            what_was_done="Vi utsåg systemägare.",
            effort="small",
            contact_role="IT-strateg",
            capabilities=["eff.management"],
            named=named,
            year=2025,
        ),
        by=user,
    )
    submitted = actions.submit_example(written, by=user)
    return actions.approve_example(submitted, by=nadia) if publish else submitted


def test_another_organization_reads_a_named_example_with_its_released_figures(
    api_as, alice, charlie, nadia, ankeby, two_years
):
    published = example(ankeby, alice, named=True, nadia=nadia)
    response = api_as(charlie).get(URL)
    assert response.status_code == 200
    [found] = response.json()
    assert found["id"] == published.pk and found["organization"]["name"] == "Ankeby kommun"
    [figure] = found["figures"]
    stored = published.figures["eff.management"]
    assert (figure["before"], figure["after"]) == (stored["before"], stored["after"])
    assert figure["beyond_noise"] is True and figure["change_low"] > 0
    assert api_as(charlie).get(f"{URL}{published.pk}/").json()["title"] == "Systemägare"


def test_an_unnamed_example_has_no_name_and_no_figures(
    api_as, alice, charlie, nadia, ankeby, two_years
):
    published = example(ankeby, alice, named=False, nadia=nadia)
    found = api_as(charlie).get(f"{URL}{published.pk}/").json()
    assert found["organization"] == {"name": None, "kind": "municipality", "size_class": ""}
    assert found["figures"] == [] and "Ankeby" not in str(found)


def test_an_unpublished_example_is_not_found_even_by_its_own_organization(
    api_as, alice, charlie, ankeby, two_years
):
    waiting = example(ankeby, alice, named=True, publish=False)
    assert api_as(charlie).get(f"{URL}{waiting.pk}/").status_code == 404
    assert api_as(alice).get(f"{URL}{waiting.pk}/").status_code == 404
    assert api_as(charlie).get(URL).json() == []


def test_filters_and_their_validation(api_as, alice, charlie, nadia, ankeby, two_years):
    example(ankeby, alice, named=True, nadia=nadia)
    client = api_as(charlie)
    assert len(client.get(URL, capability="eff.management").json()) == 1
    assert client.get(URL, capability="tek.debt").json() == []
    assert client.get(URL, kind="region").json() == []
    assert client.get(URL, kind="planet").status_code == 422


def test_without_a_token_or_an_organization_it_is_refused(api_as, db):
    from mognad.api.tests.conftest import ApiClient

    assert ApiClient(None).get(URL).status_code == 401
    lonely = test.make_user("lonely@example.se")
    assert api_as(lonely).get(URL).status_code == 404
    assert Example.objects.count() == 0
