"""/orgs/<slug>/members/ and /orgs/<slug>/members/<id>/remove/."""

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Membership

pytestmark = pytest.mark.django_db
URL = "/orgs/ankeby-kommun/members/"


def test_members_are_listed_with_their_roles(alice_client, bob, victor):
    content = alice_client.get(URL).content.decode()
    assert "bob@ankeby.se" in content and "Enhetsadministratör (Socialförvaltningen)" in content
    assert "Ta bort" in content


def test_the_list_uses_a_fixed_number_of_queries(
    alice_client, bob, victor, ulla, django_assert_num_queries
):
    # session, user, organization, memberships of the user, members, open invitations
    with django_assert_num_queries(6):
        alice_client.get(URL)


def test_a_viewer_reads_the_list_without_remove_buttons(victor_client, alice):
    content = victor_client.get(URL).content.decode()
    assert "alice@ankeby.se" in content and "Ta bort" not in content


def test_a_key_user_removes_a_member(alice_client, victor):
    membership = Membership.objects.get(user=victor)
    response = alice_client.post(f"{URL}{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="member.removed", target="victor@ankeby.se").exists()


def test_the_last_key_user_cannot_be_removed(alice_client, alice):
    membership = Membership.objects.get(user=alice)
    response = alice_client.post(f"{URL}{membership.pk}/remove/", follow=True)
    assert "Organisationens sista nyckelanvändare kan inte tas bort." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removal_needs_post_and_write_rights(
    alice_client, victor_client, charlie_client, victor, alice
):
    membership = Membership.objects.get(user=alice)
    assert alice_client.get(f"{URL}{membership.pk}/remove/").status_code == 405
    assert victor_client.post(f"{URL}{membership.pk}/remove/").status_code == 403
    assert charlie_client.post(f"{URL}{membership.pk}/remove/").status_code == 404
    assert Client().get(URL)["Location"].startswith("/accounts/login/")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_organization_is_404(alice_client, charlie):
    other = Membership.objects.get(user=charlie)
    assert alice_client.post(f"{URL}{other.pk}/remove/").status_code == 404
    assert alice_client.post(f"{URL}abc/remove/").status_code == 404
