"""Units: /orgs/<slug>/units/new/, /units/<id>/ (rename, move) and /units/<id>/delete/."""

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Unit

pytestmark = pytest.mark.django_db
NEW = "/orgs/ankeby-kommun/units/new/"


def test_a_key_user_creates_a_unit_under_another(alice_client, social_services):
    response = alice_client.post(
        NEW,
        {
            "name": "Individ- och familjeomsorg",
            "unit_type": "social_services",
            "parent": social_services.pk,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Individ- och familjeomsorg")
    assert unit.parent == social_services and unit.path == f"{social_services.path}{unit.pk}/"
    assert AuditEvent.objects.filter(action="unit.created").exists()


def test_a_duplicate_name_at_the_same_place_is_a_field_error(alice_client, ankeby):
    before = Unit.objects.count()
    response = alice_client.post(NEW, {"name": "socialförvaltningen", "unit_type": "other"})
    assert response.status_code == 200
    assert "Det finns redan en enhet med det här namnet" in response.content.decode()
    assert Unit.objects.count() == before


def test_a_parent_from_another_organization_is_refused(alice_client, bebyholm):
    response = alice_client.post(
        NEW, {"name": "X", "unit_type": "other", "parent": bebyholm.units.first().pk}
    )
    assert response.status_code == 200 and 'id="id_parent-error"' in response.content.decode()
    assert not Unit.objects.filter(name="X").exists()


def test_only_key_users_and_coordinators_change_the_tree(
    bob_client, victor_client, charlie_client, nadia_client
):
    assert bob_client.get(NEW).status_code == 403
    assert victor_client.post(NEW, {"name": "X", "unit_type": "other"}).status_code == 403
    assert charlie_client.get(NEW).status_code == 404
    assert Client().get(NEW)["Location"].startswith("/accounts/login/")
    assert nadia_client.post(NEW, {"name": "X", "unit_type": "other"}).status_code == 302


def test_moving_a_unit_moves_its_subtree(alice_client, social_services, elder_care, education):
    url = f"/orgs/ankeby-kommun/units/{social_services.pk}/"
    response = alice_client.post(
        url, {"name": "Socialtjänsten", "unit_type": "social_services", "parent": education.pk}
    )
    assert response.status_code == 302
    elder_care.refresh_from_db()
    assert elder_care.path == f"/{education.pk}/{social_services.pk}/{elder_care.pk}/"
    assert Unit.objects.get(pk=social_services.pk).name == "Socialtjänsten"


def test_a_unit_cannot_move_under_its_own_descendant(alice_client, social_services, elder_care):
    url = f"/orgs/ankeby-kommun/units/{social_services.pk}/"
    response = alice_client.post(
        url,
        {"name": "Socialförvaltningen", "unit_type": "social_services", "parent": elder_care.pk},
    )
    assert response.status_code == 200 and 'id="id_parent-error"' in response.content.decode()
    social_services.refresh_from_db()
    assert social_services.parent is None


def test_the_model_refuses_a_cycle_too(social_services, elder_care):
    from django.core.exceptions import ValidationError

    social_services.parent = elder_care
    with pytest.raises(ValidationError):
        social_services.save()


def test_an_empty_unit_is_deleted_but_one_with_children_is_not(
    alice_client, social_services, education
):
    refused = alice_client.post(f"/orgs/ankeby-kommun/units/{social_services.pk}/delete/")
    assert refused.status_code == 400
    assert "Bara en tom enhet kan tas bort" in refused.content.decode()
    assert Unit.objects.filter(pk=social_services.pk).exists()
    assert alice_client.post(f"/orgs/ankeby-kommun/units/{education.pk}/delete/").status_code == 302
    assert not Unit.objects.filter(pk=education.pk).exists()


def test_a_unit_with_a_unit_admin_is_not_empty(alice_client, ulla, education):
    assert alice_client.post(f"/orgs/ankeby-kommun/units/{education.pk}/delete/").status_code == 400


def test_units_of_other_organizations_are_404(alice_client, bebyholm):
    other = bebyholm.units.first().pk
    assert alice_client.get(f"/orgs/ankeby-kommun/units/{other}/").status_code == 404
    assert alice_client.post(f"/orgs/ankeby-kommun/units/{other}/delete/").status_code == 404
