"""Inviting administrators (…/members/invite/) and accepting (/accounts/invitation/<token>/)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from mognad.orgs.actions import invite_admin
from mognad.orgs.models import AuditEvent, Invitation, Membership, User
from mognad.platform.hashing import sha256_hex
from mognad.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db
URL = "/orgs/ankeby-kommun/members/invite/"


def test_a_key_user_invites_a_unit_admin_and_the_email_is_queued(alice_client, social_services):
    response = alice_client.post(
        URL,
        {
            "email": "Dora@Ankeby.se",
            "role": "unit_admin",
            "unit": social_services.pk,
            "language": "sv",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.unit) == (
        "dora@ankeby.se",
        "unit_admin",
        social_services,
    )
    message = OutboxMessage.objects.get()
    assert message.to == "dora@ankeby.se" and "/accounts/invitation/" in message.body_text
    token = message.body_text.split("/accounts/invitation/")[1].split("/")[0]
    assert len(token) >= 43 and invitation.token_hash == sha256_hex(token)
    assert token not in str(Invitation.objects.values_list("token_hash", flat=True))
    assert AuditEvent.objects.filter(action="member.invited", target="dora@ankeby.se").exists()


def test_a_key_user_cannot_invite_another_key_user(alice_client):
    response = alice_client.post(
        URL, {"email": "x@ankeby.se", "role": "key_user", "language": "sv"}
    )
    assert response.status_code == 200
    assert 'id="id_role-error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_unit_admin_needs_a_unit(alice_client):
    response = alice_client.post(
        URL, {"email": "x@ankeby.se", "role": "unit_admin", "language": "sv"}
    )
    assert "Välj den enhet som enhetsadministratören ansvarar för." in response.content.decode()
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


def test_a_coordinator_invites_a_key_user(nadia_client, ankeby):
    response = nadia_client.post(
        URL, {"email": "k@ankeby.se", "role": "key_user", "language": "en"}
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.get().subject == "Invitation to administer Ankeby kommun in Mognad"


def test_viewers_and_unit_admins_get_403_outsiders_404_anonymous_login(
    victor_client, bob_client, charlie_client
):
    assert victor_client.get(URL).status_code == 403
    assert bob_client.post(URL, {"email": "x@y.se", "role": "viewer"}).status_code == 403
    assert charlie_client.get(URL).status_code == 404
    assert Client().get(URL)["Location"].startswith("/accounts/login/")


@pytest.fixture
def invitation(alice, ankeby):
    return invite_admin(ankeby, by=alice, email="dora@ankeby.se", role="viewer")


def test_accepting_creates_the_account_and_membership_and_logs_in(invitation, ankeby):
    _, token = invitation
    client = Client()
    url = f"/accounts/invitation/{token}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Dora Dahl",
            "password1": "ett-riktigt-bra-lösen",
            "password2": "ett-riktigt-bra-lösen",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/orgs/ankeby-kommun/"
    dora = User.objects.get(email="dora@ankeby.se")
    assert dora.name == "Dora Dahl" and dora.check_password("ett-riktigt-bra-lösen")
    assert Membership.objects.get(user=dora).role == "viewer"
    assert client.get("/orgs/ankeby-kommun/").status_code == 200
    # Single use.
    assert Client().get(url).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_and_nothing_is_created(invitation):
    _, token = invitation
    url = f"/accounts/invitation/{token}/"
    response = Client().post(
        url, {"name": "D", "password1": "12345678901", "password2": "12345678901"}
    )
    assert response.status_code == 200 and 'id="id_password1-error"' in response.content.decode()
    response = Client().post(
        url, {"name": "D", "password1": "ett-bra-lösen-1", "password2": "annat"}
    )
    assert "De två lösenorden är inte likadana." in response.content.decode()
    assert not User.objects.filter(email="dora@ankeby.se").exists()


def test_an_expired_or_unknown_invitation_gets_a_friendly_404(invitation):
    _, token = invitation
    assert Client().get("/accounts/invitation/not-a-token/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().get(f"/accounts/invitation/{token}/")
    assert response.status_code == 404
    assert "Inbjudan kan inte användas" in response.content.decode()


def test_an_existing_account_must_log_in_and_then_accepts(invitation, ankeby):
    from mognad.test import logged_in_client, make_user

    _, token = invitation
    dora = make_user("dora@ankeby.se")
    url = f"/accounts/invitation/{token}/"
    assert "Logga in först" in Client().get(url).content.decode()
    response = logged_in_client(dora).post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(user=dora, organization=ankeby, role="viewer").exists()


def test_someone_else_logged_in_cannot_take_the_invitation(invitation, charlie_client):
    _, token = invitation
    response = charlie_client.post(f"/accounts/invitation/{token}/")
    assert "Inbjudan skickades till en annan e-postadress." in response.content.decode()
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()
