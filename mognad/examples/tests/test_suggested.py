"""Examples beside the weakest capabilities: "organizations like yours" and "raised" come from
the released figures with their uncertainty, the counts pass the organization rule, and an unnamed
organization is never exposed as a raiser when the count is withheld."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad.examples import actions, dialogue
from mognad.examples.suggested import beside_weakest
from mognad.examples.tests.conftest import text
from mognad.orgs.models import Organization
from mognad.results import pages
from mognad.results.tests.factories import Answers, closed_measurement

pytestmark = pytest.mark.django_db


def organization(name, *, kind="municipality", size="M", named=True):
    return Organization.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind=kind,
        size_class=size,
        named_in_comparisons=named,
    )


def measured(org, before, after, seed):
    """Two years of the same respondents' draws, shifted by `after - before` scale points."""
    closed_measurement(org, [Answers(8, level=before)], year=2025, seed=seed)
    closed_measurement(org, [Answers(8, level=after)], year=2026, seed=seed)


@pytest.fixture
def weak_ankeby(ankeby):
    """Ankeby, weak in 2026 (the year the page shows)."""
    closed_measurement(ankeby, [Answers(12, level=2.2)], year=2025, seed=3)
    closed_measurement(ankeby, [Answers(12, level=2.2)], year=2026, seed=4)
    return ankeby


@pytest.fixture
def weakest(weak_ankeby):
    page = pages.load(weak_ankeby, year=2026, unit=None, scope=None)
    return page, dialogue.weakest(page)[0].id


def publish(org, capability, nadia, title, *, named=True):
    from mognad import test

    user = test.make_user(f"key@{org.slug}.se")
    test.make_member(user, org, "key_user")
    example = actions.create_example(
        org,
        text(title=title, capabilities=[capability], year=2025, named=named, what_was_done="Så."),
        by=user,
    )
    return actions.approve_example(actions.submit_example(example, by=user), by=nadia)


def rows_by_capability(page, user):
    return {row.capability_id: row for row in beside_weakest(page, user)}


def test_like_yours_raisers_are_counted_and_their_examples_shown(
    weakest, alice, nadia, django_assert_max_num_queries
):
    page, capability = weakest
    raisers = [organization(f"Stigby {i}") for i in range(4)]
    flat = [organization(f"Platteby {i}") for i in range(2)]
    for i, org in enumerate(raisers):
        measured(org, 2.2, 4.8, seed=10 + 2 * i)
    for i, org in enumerate(flat):
        measured(org, 3.4, 3.4, seed=30 + 2 * i)
    other_kind = organization("Region Höjd", kind="region", size="L")
    measured(other_kind, 2.2, 4.8, seed=50)
    publish(raisers[0], capability, nadia, "Höjde och delade")
    publish(flat[0], capability, nadia, "Platt men delade")
    publish(other_kind, capability, nadia, "Annan sorts organisation")
    with django_assert_max_num_queries(12):  # a fixed number: 11 here
        row = rows_by_capability(page, alice)[capability]
    assert (row.peers, row.raised) == (6, 4)
    assert [e.title for e in row.examples] == ["Höjde och delade"]


def test_a_rise_within_the_noise_or_under_ten_points_is_not_raised(weakest, alice, nadia):
    page, capability = weakest
    small = [organization(f"Smått {i}") for i in range(5)]
    for i, org in enumerate(small):
        measured(org, 3.3, 3.6, seed=60 + 2 * i)  # about +6 points, well within the noise
    publish(small[0], capability, nadia, "Liten höjning")
    row = rows_by_capability(page, alice)[capability]
    assert (row.peers, row.raised) == (5, 0) and row.examples == ()


def test_too_few_organizations_like_yours_withholds_the_counts(weakest, alice, nadia):
    page, capability = weakest
    few = [organization(f"Fåby {i}") for i in range(3)]
    for i, org in enumerate(few):
        measured(org, 2.2, 4.8, seed=80 + 2 * i)
    publish(few[0], capability, nadia, "Namngiven höjare")
    publish(few[1], capability, nadia, "Anonym höjare", named=False)
    row = rows_by_capability(page, alice)[capability]
    assert (row.peers, row.raised) == (None, None)
    # Named organizations show their own figures anyway; an unnamed one is not exposed.
    assert [e.title for e in row.examples] == ["Namngiven höjare"]


def test_a_lone_unnamed_raiser_withholds_the_count_of_raisers_and_its_example(
    weakest, alice, nadia
):
    page, capability = weakest
    flat = [organization(f"Jämnby {i}", named=i < 2) for i in range(5)]  # 3 unnamed
    for i, org in enumerate(flat):
        measured(org, 3.4, 3.4, seed=100 + 2 * i)
    hidden = organization("Tystby", named=False)
    measured(hidden, 2.2, 4.8, seed=120)
    publish(hidden, capability, nadia, "Anonymt exempel", named=False)
    row = rows_by_capability(page, alice)[capability]
    assert row.peers == 6 and row.raised is None and row.examples == ()


def test_the_suggestions_tab_and_the_plan_page_show_them(weakest, alice, alice_client, nadia):
    from mognad.plans.tests.helpers import a_plan

    page, capability = weakest
    raisers = [organization(f"Stigby {i}") for i in range(5)]
    for i, org in enumerate(raisers):
        measured(org, 2.2, 4.8, seed=140 + 2 * i)
    publish(raisers[0], capability, nadia, "Så höjde vi det")
    tab = alice_client.get(reverse("results:suggestions", args=[page.organization.slug]))
    body = tab.content.decode()
    assert "Så höjde vi det" in body and "Stigby 0" in body
    a_plan(page.measurement, alice, {"title": "Vår åtgärd"})
    plan = alice_client.get(reverse("plans:year", args=[page.organization.slug, 2026]))
    assert "Så höjde vi det" in plan.content.decode()


def test_a_lone_unnamed_organization_among_the_peers_withholds_every_count(weakest, alice, nadia):
    page, capability = weakest
    for i in range(5):
        measured(organization(f"Öppenby {i}"), 3.4, 3.4, seed=170 + 2 * i)
    measured(organization("Ensamby", named=False), 3.4, 3.4, seed=190)
    row = rows_by_capability(page, alice)[capability]
    assert (row.peers, row.raised) == (None, None)
