"""Identity providers started by the tests, on 127.0.0.1 only (servers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mognad.orgs.models import Organization
from mognad.sso import oidc, routing, saml
from mognad.sso.models import IdentityProvider
from mognad.sso.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider
from mognad.sso.tests.saml_idp import MAIL, SamlIdp
from mognad.sso.tests.servers import serving
from mognad.sso.tests.trips import SingleSignOn


@pytest.fixture
def oidc_idp() -> Iterator[OidcProvider]:
    provider = OidcProvider()
    with serving(provider.app) as url:
        provider.url = url
        provider.redirect_uris = [routing.redirect_uri()]
        yield provider


@pytest.fixture
def ankeby_oidc(ankeby: Organization, oidc_idp: OidcProvider) -> IdentityProvider:
    """Ankeby logs in through the test OpenID Connect provider (ankeby.se routed there)."""
    return IdentityProvider.objects.create(
        organization=ankeby,
        protocol=IdentityProvider.Protocol.OIDC,
        email_domains="ankeby.se",
        email_attribute="email",
        oidc_issuer=oidc_idp.url,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_discovery=oidc.discover(oidc_idp.url),
    )


@pytest.fixture
def saml_idp() -> Iterator[SamlIdp]:
    idp = SamlIdp()
    with serving(idp.app) as url:
        idp.url = url
        idp.sp_metadata = saml.sp_metadata()
        yield idp
    idp.close()


@pytest.fixture
def ankeby_saml(ankeby: Organization, saml_idp: SamlIdp) -> IdentityProvider:
    """Ankeby logs in through the test SAML IdP (ankeby.se routed there)."""
    metadata = saml_idp.metadata()
    return IdentityProvider.objects.create(
        organization=ankeby,
        protocol=IdentityProvider.Protocol.SAML,
        email_domains="ankeby.se",
        email_attribute=MAIL,
        saml_metadata=metadata,
        saml_entity_id=saml.check_metadata(metadata),
    )


@pytest.fixture(params=["oidc", "saml"])
def sso(request: pytest.FixtureRequest) -> SingleSignOn:
    """Ankeby's identity provider, once by OpenID Connect and once by SAML: for the behaviour both
    protocols share (test_sso_login.py)."""
    protocol = request.param
    return SingleSignOn(
        protocol,
        idp=request.getfixturevalue(f"{protocol}_idp"),
        provider=request.getfixturevalue(f"ankeby_{protocol}"),
    )
