"""/orgs/ (list with search), /orgs/new/ (register), /orgs/<slug>/ (detail with the unit tree)."""

import pytest
from django.test import Client

from mognad.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_a_key_user_sees_only_their_organization(alice_client, bebyholm):
    content = alice_client.get("/orgs/").content.decode()
    assert "Ankeby kommun" in content and "Bebyholm kommun" not in content


def test_the_coordinator_searches_and_filters_the_registry(nadia_client):
    from mognad.orgs.registry import load_registry

    load_registry()
    content = nadia_client.get("/orgs/?q=Göteborg").content.decode()
    assert "Göteborg" in content and "Malmö" not in content
    content = nadia_client.get("/orgs/?kind=region&county=12").content.decode()
    assert "Region Skåne" in content and "Region Stockholm" not in content
    assert nadia_client.get("/orgs/?county=99x").status_code == 200  # an unknown filter is ignored


def test_the_list_uses_a_fixed_number_of_queries(nadia_client, nadia, django_assert_num_queries):
    from mognad.orgs.registry import load_registry

    load_registry()
    nadia_client.get("/orgs/")
    # session, user, count, the user's memberships, one page of organizations
    with django_assert_num_queries(5):
        nadia_client.get("/orgs/")
    with django_assert_num_queries(5):
        nadia_client.get("/orgs/?page=2")


def test_the_list_needs_a_login():
    assert Client().get("/orgs/")["Location"].startswith("/accounts/login/")


def test_the_coordinator_registers_an_agency(nadia_client):
    response = nadia_client.post(
        "/orgs/new/",
        {
            "name": "Myndigheten för digital förvaltning",
            "kind": "agency",
            "code": "2021006883",
            "employees": "250",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="202100-6883")
    assert (org.kind, org.size_class, org.slug) == (
        "agency",
        "XS",
        "myndigheten-for-digital-forvaltning",
    )


def test_registering_with_a_bad_number_is_a_field_error(nadia_client):
    response = nadia_client.post("/orgs/new/", {"name": "X", "kind": "agency", "code": "12"})
    assert 'id="id_code-error"' in response.content.decode()
    assert not Organization.objects.filter(name="X").exists()


def test_a_municipality_cannot_be_registered_by_hand(nadia_client):
    response = nadia_client.post("/orgs/new/", {"name": "X", "kind": "municipality"})
    assert response.status_code == 200
    assert not Organization.objects.filter(name="X").exists()


def test_only_the_coordinator_registers(alice_client):
    assert alice_client.get("/orgs/new/").status_code == 404


def test_the_detail_page_shows_the_unit_tree_with_write_links_for_key_users(alice_client):
    content = alice_client.get("/orgs/ankeby-kommun/").content.decode()
    assert "Äldreomsorg" in content and "Lägg till en enhet" in content


def test_a_unit_admin_sees_their_subtree_only_and_no_write_links(bob_client):
    content = bob_client.get("/orgs/ankeby-kommun/").content.decode()
    assert "Äldreomsorg" in content and "Utbildningsförvaltningen" not in content
    assert "Lägg till en enhet" not in content


def test_a_viewer_reads_without_write_links(victor_client):
    content = victor_client.get("/orgs/ankeby-kommun/").content.decode()
    assert "Utbildningsförvaltningen" in content and "Lägg till en enhet" not in content


def test_outsiders_get_404_and_anonymous_visitors_the_login(charlie_client):
    assert charlie_client.get("/orgs/ankeby-kommun/").status_code == 404
    assert charlie_client.get("/orgs/no-such-org/").status_code == 404
    assert Client().get("/orgs/ankeby-kommun/")["Location"].startswith("/accounts/login/")
