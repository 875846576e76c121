"""/orgs/<slug>/sso/: a national coordinator configures the organization's identity provider."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from mognad.orgs.models import AuditEvent
from mognad.sso.models import IdentityProvider
from mognad.sso.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db
URL = "/orgs/ankeby-kommun/sso/"


def _oidc(idp_url: str, **extra: str) -> dict[str, str]:
    return {
        "protocol": "oidc",
        "email_domains": "ankeby.se",
        "email_attribute": "email",
        "passwords_allowed": "on",
        "oidc_issuer": idp_url,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        **extra,
    }


def test_a_coordinator_configures_openid_connect(nadia_client, ankeby, oidc_idp):
    response = nadia_client.post(URL, _oidc(oidc_idp.url))
    assert response.status_code == 302, response.content.decode()
    provider = IdentityProvider.objects.get(organization=ankeby)
    assert provider.oidc_discovery["token_endpoint"] == f"{oidc_idp.url}/token"
    assert provider.oidc_client_secret == CLIENT_SECRET
    with connection.cursor() as cursor:
        cursor.execute("SELECT oidc_client_secret FROM sso_identityprovider")
        stored = cursor.fetchone()[0]
    assert CLIENT_SECRET not in stored and stored.startswith("enc1:")
    event = AuditEvent.objects.get(action="sso.configured")
    assert event.organization == ankeby and "oidc_client_secret" in event.details["changed"]
    assert CLIENT_SECRET not in str(event.details)
    assert "ankeby.se" in nadia_client.get(URL).content.decode()


def test_an_empty_secret_keeps_the_stored_one(nadia_client, ankeby, oidc_idp):
    nadia_client.post(URL, _oidc(oidc_idp.url))
    response = nadia_client.post(
        URL, _oidc(oidc_idp.url, oidc_client_secret="", passwords_allowed="")
    )
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organization=ankeby)
    assert provider.oidc_client_secret == CLIENT_SECRET and not provider.passwords_allowed
    assert AuditEvent.objects.get(action="sso.changed").details["changed"] == ["passwords_allowed"]


def test_a_domain_that_is_not_the_organizations_is_refused(nadia_client, ankeby, oidc_idp):
    response = nadia_client.post(URL, _oidc(oidc_idp.url, email_domains="bebyholm.se"))
    assert response.status_code == 400
    assert "bebyholm.se" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_domain_routed_to_another_organization_is_refused(
    nadia_client, ankeby, bebyholm, oidc_idp
):
    ankeby.email_domains = "ankeby.se\nshared.se"
    ankeby.save()
    bebyholm.email_domains = "bebyholm.se\nshared.se"
    bebyholm.save()
    IdentityProvider.objects.create(
        organization=bebyholm, protocol="oidc", email_domains="shared.se", email_attribute="email"
    )
    response = nadia_client.post(URL, _oidc(oidc_idp.url, email_domains="shared.se"))
    assert response.status_code == 400 and "Bebyholm kommun" in response.content.decode()
    assert not IdentityProvider.objects.filter(organization=ankeby).exists()


def test_an_issuer_that_does_not_match_its_discovery_document_is_refused(
    nadia_client, ankeby, oidc_idp
):
    response = nadia_client.post(URL, _oidc(oidc_idp.url + "/"))
    assert response.status_code == 400
    assert oidc_idp.url in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_an_unreachable_issuer_is_a_clear_error(nadia_client, ankeby):
    response = nadia_client.post(URL, _oidc("http://127.0.0.1:9/"))
    assert response.status_code == 400
    assert "/.well-known/openid-configuration" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_missing_client_details_are_named(nadia_client, ankeby, oidc_idp):
    response = nadia_client.post(URL, _oidc(oidc_idp.url, oidc_client_id="", oidc_client_secret=""))
    assert response.status_code == 400
    assert response.content.decode().count('aria-invalid="true"') == 2


def test_turning_single_sign_on_off_is_audited(nadia_client, ankeby, ankeby_oidc):
    assert nadia_client.post(URL + "remove/").status_code == 302
    assert not IdentityProvider.objects.exists()
    assert AuditEvent.objects.filter(action="sso.removed", organization=ankeby).exists()


def test_only_a_national_coordinator_may_see_or_change_it(alice_client, charlie_client, ankeby):
    assert alice_client.get(URL).status_code == 404
    assert charlie_client.post(URL, {"protocol": "oidc"}).status_code == 404
    assert alice_client.post(URL + "remove/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(ankeby):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def english(nadia_client):
    nadia_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return nadia_client


def _saml(**extra: object) -> dict[str, object]:
    return {
        "protocol": "saml",
        "email_domains": "ankeby.se",
        "email_attribute": "urn:oid:0.9.2342.19200300.100.1.3",
        "passwords_allowed": "on",
        **extra,
    }


def test_a_coordinator_configures_saml_from_the_metadata_url(nadia_client, ankeby, saml_idp):
    response = nadia_client.post(URL, _saml(saml_metadata_url=f"{saml_idp.url}/metadata"))
    assert response.status_code == 302, response.content.decode()
    provider = IdentityProvider.objects.get(organization=ankeby)
    assert provider.saml_entity_id == saml_idp.entity_id
    assert "IDPSSODescriptor" in provider.saml_metadata
    assert AuditEvent.objects.get(action="sso.configured").details["protocol"] == "saml"


def test_an_uploaded_metadata_file_is_read_and_checked(nadia_client, ankeby, saml_idp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("idp.xml", saml_idp.metadata().encode(), "text/xml")
    response = nadia_client.post(URL, _saml(saml_metadata_file=upload))
    assert response.status_code == 302, response.content.decode()
    assert IdentityProvider.objects.get(organization=ankeby).saml_entity_id == saml_idp.entity_id


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not xml at all", "could not be read as SAML 2.0 metadata"),
        (
            b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            b'entityID="https://sp.example/"><md:SPSSODescriptor '
            b'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            b'<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"'
            b' Location="https://sp.example/acs" index="0"/></md:SPSSODescriptor>'
            b"</md:EntityDescriptor>",
            "describes no identity provider",
        ),
        (b"\xff\xfe bad bytes", "not UTF-8"),
    ],
)
def test_bad_metadata_is_refused_with_a_clear_error(english, ankeby, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("idp.xml", content, "text/xml")
    response = english.post(URL, _saml(saml_metadata_file=upload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_metadata_without_a_signing_certificate_is_refused(english, ankeby, saml_idp):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    stripped = re.sub(
        r"<ns\d+:KeyDescriptor.*?</ns\d+:KeyDescriptor>", "", saml_idp.metadata(), flags=re.S
    )
    assert "KeyDescriptor" not in stripped
    upload = SimpleUploadedFile("idp.xml", stripped.encode(), "text/xml")
    response = english.post(URL, _saml(saml_metadata_file=upload))
    assert response.status_code == 400
    assert "no signing certificate" in response.content.decode()


def test_saml_needs_a_url_or_a_file(english, ankeby):
    response = english.post(URL, _saml())
    assert response.status_code == 400
    assert "a URL or a file" in response.content.decode()
