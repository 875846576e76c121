"""The library's pages: a key user writes and sends an example, the coordinator reviews it, and
only then does another organization find it; unnamed organizations stay unnamed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad import test
from mognad.examples import actions
from mognad.examples.models import Example
from mognad.examples.tests.conftest import text

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "title": "Systemägare för de viktigaste systemen",
        "what_was_done": "Ledningsgruppen utsåg en systemägare per system.",
        "effort": "small",
        "contact_role": "IT-strateg",
        "capabilities": ["eff.management", "tek.debt"],
        "year": "2025",
    }
    data.update(changes)
    return data


def test_a_key_user_writes_an_example_on_the_page(alice_client, ankeby, ankeby_2026):
    response = alice_client.post(reverse("examples:create", args=[ankeby.slug]), form_data())
    example = Example.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "examples:detail", args=[example.pk]
    )
    assert example.capabilities == ["eff.management", "tek.debt"] and not example.named
    page = alice_client.get(response["Location"]).content.decode()
    assert "Send for review" in page or "Skicka för granskning" in page


def test_the_form_says_what_is_wrong_and_writes_nothing(alice_client, ankeby, ankeby_2026):
    response = alice_client.post(
        reverse("examples:create", args=[ankeby.slug]),
        form_data(title="", capabilities=[], what_was_done="Så gjorde vi i Ankeby."),
    )
    assert response.status_code == 400 and not Example.objects.exists()
    page = response.content.decode()
    assert 'aria-invalid="true"' in page


def test_a_viewer_reads_the_organizations_examples_but_cannot_write(
    victor_client, alice, ankeby, ankeby_2026
):
    example = actions.create_example(ankeby, text(), by=alice)
    assert victor_client.get(reverse("examples:own_list", args=[ankeby.slug])).status_code == 200
    assert victor_client.get(reverse("examples:detail", args=[example.pk])).status_code == 200
    assert victor_client.get(reverse("examples:create", args=[ankeby.slug])).status_code == 403
    submit = reverse("examples:submit", args=[ankeby.slug, example.pk])
    assert victor_client.post(submit).status_code == 403


def test_another_organization_finds_an_example_only_after_approval(
    alice, nadia, charlie, ankeby, ankeby_2026
):
    example = actions.create_example(ankeby, text(), by=alice)
    outsider = test.logged_in_client(charlie)
    detail = reverse("examples:detail", args=[example.pk])
    search = reverse("examples:search")
    assert outsider.get(detail).status_code == 404
    actions.submit_example(example, by=alice)
    assert outsider.get(detail).status_code == 404
    assert example.title not in outsider.get(search).content.decode()
    actions.approve_example(example, by=nadia)
    assert outsider.get(detail).status_code == 200
    assert example.title in outsider.get(search).content.decode()


def test_an_unnamed_example_shows_kind_and_size_but_no_name_and_no_figures(
    alice, nadia, charlie, ankeby, ankeby_2026
):
    example = actions.create_example(ankeby, text(named=False), by=alice)
    actions.approve_example(actions.submit_example(example, by=alice), by=nadia)
    page = test.logged_in_client(charlie).get(reverse("examples:detail", args=[example.pk]))
    body = page.content.decode()
    assert "Ankeby" not in body
    assert "size class M" in body or "storleksklass M" in body
    assert "%" not in body.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_named_example_shows_its_name_and_figures(alice, nadia, charlie, ankeby, ankeby_2026):
    example = actions.create_example(ankeby, text(named=True), by=alice)
    actions.approve_example(actions.submit_example(example, by=alice), by=nadia)
    body = test.logged_in_client(charlie).get(reverse("examples:detail", args=[example.pk]))
    text_ = body.content.decode()
    assert "Ankeby kommun" in text_
    shown = Example.objects.get().figures["eff.management"]
    assert f"{round(shown['after'])}\u00a0%" in text_


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, {"A", "B"}),
        ({"capability": "tek.debt"}, {"B"}),
        ({"kind": "municipality"}, {"A", "B"}),
        ({"kind": "region"}, set()),
        ({"size_class": "M"}, {"A"}),
        ({"size_class": "S"}, {"B"}),
    ],
)
def test_the_search_filters_by_capability_kind_and_size(
    query, found, alice, charlie, nadia, ankeby, bebyholm, ankeby_2026
):
    from mognad.results.tests.factories import Answers, closed_measurement

    closed_measurement(bebyholm, [Answers(8)], year=2025, seed=5)
    a = actions.create_example(ankeby, text(title="A"), by=alice)
    b = actions.create_example(
        bebyholm, text(title="B", capabilities=["tek.debt"], what_was_done="Vi bytte."), by=charlie
    )
    for example in (a, b):
        actions.approve_example(actions.submit_example(example, by=example.created_by), by=nadia)
    response = test.logged_in_client(charlie).get(reverse("examples:search"), query)
    assert response.status_code == 200
    shown = {e.title for e in response.context["examples"]}
    assert shown == found


def test_a_filter_value_that_does_not_exist_is_a_clear_error(charlie_client):
    response = charlie_client.get(reverse("examples:search"), {"kind": "planet"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()


def test_the_review_pages_are_the_coordinators_alone(alice_client, alice, ankeby, ankeby_2026):
    example = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    assert alice_client.get(reverse("examples:review_list")).status_code == 404
    assert alice_client.get(reverse("examples:review", args=[example.pk])).status_code == 404
    post = alice_client.post(reverse("examples:review", args=[example.pk]), {"decision": "approve"})
    assert post.status_code == 404
    assert Example.objects.get().status == Example.Status.SUBMITTED


def test_the_coordinator_approves_and_returns_on_the_review_page(
    nadia_client, alice, ankeby, ankeby_2026
):
    first = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    second = actions.submit_example(
        actions.create_example(ankeby, text(title="Andra"), by=alice), by=alice
    )
    listing = nadia_client.get(reverse("examples:review_list")).content.decode()
    assert first.title in listing and "Andra" in listing
    url = reverse("examples:review", args=[first.pk])
    assert nadia_client.post(url, {"decision": "approve"}).status_code == 302
    url = reverse("examples:review", args=[second.pk])
    refused = nadia_client.post(url, {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    assert (
        nadia_client.post(url, {"decision": "reject", "note": "Mer om kostnaden."}).status_code
        == 302
    )
    statuses = dict(Example.objects.values_list("title", "status"))
    assert statuses == {first.title: "approved", "Andra": "rejected"}


def test_someone_in_no_organization_cannot_browse_the_library(db):
    lonely = test.make_user("lonely@example.se")
    assert test.logged_in_client(lonely).get(reverse("examples:search")).status_code == 404


def test_the_search_reads_a_fixed_number_of_queries_however_many_examples(
    alice, charlie, nadia, ankeby, ankeby_2026, django_assert_max_num_queries
):
    client = test.logged_in_client(charlie)
    for i in range(6):
        example = actions.create_example(ankeby, text(title=f"Exempel {i}"), by=alice)
        actions.approve_example(actions.submit_example(example, by=alice), by=nadia)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("examples:search"))
    assert len(response.context["examples"]) == 6
