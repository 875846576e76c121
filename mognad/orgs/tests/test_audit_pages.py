"""/orgs/<slug>/audit/ (key users, coordinator) and /audit/ (coordinator), newest first."""

import pytest
from django.test import Client

from mognad.orgs.audit import audit

pytestmark = pytest.mark.django_db


def test_a_key_user_reads_their_organizations_log_newest_first(
    alice_client, alice, charlie, ankeby, bebyholm
):
    audit("unit.created", by=alice, organization=ankeby, target="Första")
    audit("unit.created", by=alice, organization=ankeby, target="Andra")
    audit("unit.created", by=charlie, organization=bebyholm, target="Hemlig")
    content = alice_client.get("/orgs/ankeby-kommun/audit/").content.decode()
    assert content.index("Andra") < content.index("Första")
    assert "Hemlig" not in content


def test_the_log_is_paginated_with_a_fixed_number_of_queries(
    alice_client, alice, ankeby, django_assert_num_queries
):
    for n in range(60):
        audit("x", by=alice, organization=ankeby, target=f"t{n}")
    # session, user, the user's memberships, organization, count, one page of events
    with django_assert_num_queries(6):
        page = alice_client.get("/orgs/ankeby-kommun/audit/?page=2")
    assert "Sida 2 av 2" in page.content.decode()


def test_viewers_unit_admins_outsiders_and_anonymous_are_refused(
    victor_client, bob_client, charlie_client
):
    url = "/orgs/ankeby-kommun/audit/"
    assert victor_client.get(url).status_code == 403
    assert bob_client.get(url).status_code == 403
    assert charlie_client.get(url).status_code == 404
    assert Client().get(url)["Location"].startswith("/accounts/login/")


def test_the_coordinator_reads_the_global_log(nadia_client, alice, charlie, ankeby, bebyholm):
    audit("a", by=alice, organization=ankeby, target="Ankeby-händelse")
    audit("b", by=charlie, organization=bebyholm, target="Bebyholm-händelse")
    content = nadia_client.get("/audit/").content.decode()
    assert "Ankeby-händelse" in content and "Bebyholm-händelse" in content


def test_the_global_log_is_only_for_the_coordinator(alice_client):
    assert alice_client.get("/audit/").status_code == 404
    assert alice_client.get("/audit/?page=x").status_code == 404
