"""GET /api/v1/organizations/ and GET /api/v1/organizations/{slug}/."""

from __future__ import annotations

LIST = "/api/v1/organizations/"


def detail(slug: str) -> str:
    return f"/api/v1/organizations/{slug}/"


def test_a_key_user_lists_their_own_organizations_only(api_as, alice, ankeby, bebyholm):
    response = api_as(alice).get(LIST)
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": ankeby.slug,
            "name": "Ankeby kommun",
            "kind": "municipality",
            "code": "9901",
            "county": "Testlän",
            "size_class": "",
            "municipality_group": "",
            "role": "key_user",
            "unit_id": None,
        }
    ]


def test_a_coordinator_lists_every_organization(api_as, nadia, ankeby, bebyholm):
    from mognad.orgs.models import Organization

    slugs = [org["slug"] for org in api_as(nadia).get(LIST).json()]
    assert {ankeby.slug, bebyholm.slug} <= set(slugs)
    assert len(slugs) == Organization.objects.count()


def test_an_organization_comes_with_the_units_the_user_can_see(api_as, alice, ankeby):
    response = api_as(alice).get(detail(ankeby.slug))
    assert response.status_code == 200
    names = [unit["name"] for unit in response.json()["units"]]
    assert sorted(names) == sorted(u.name for u in ankeby.units.all())


def test_a_unit_admin_sees_their_role_and_only_their_subtree(api_as, bob, ankeby, social_services):
    body = api_as(bob).get(detail(ankeby.slug)).json()
    assert body["role"] == "unit_admin"
    assert body["unit_id"] == social_services.pk
    assert [unit["name"] for unit in body["units"]] == ["Socialförvaltningen", "Äldreomsorg"]


def test_no_token_is_a_401(anonymous_api, ankeby):
    assert anonymous_api.get(LIST).status_code == 401
    assert anonymous_api.get(detail(ankeby.slug)).status_code == 401


def test_an_outsider_gets_404_as_for_an_organization_that_does_not_exist(api_as, charlie, ankeby):
    api = api_as(charlie)
    refused = api.get(detail(ankeby.slug))
    missing = api.get(detail("finns-inte"))
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert "Ankeby" not in refused.content.decode()


def test_a_malformed_slug_is_a_422_naming_the_parameter(api_as, alice):
    response = api_as(alice).get(detail("inte%20en%20slug"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "path"
    assert response.json()["errors"][0]["field"] == "slug"
