"""Single sign-on in Chromium: the e-mail first, the organization's IdP, back in Mognad logged in.

The identity providers are the test suite's own (mognad/sso/tests/: an Authlib OpenID Connect
provider and a pysaml2 SAML IdP) on 127.0.0.1; each logs its user in at once (the SAML IdP's page
posts the answer back by itself, as real IdPs do). Mognad's new pages pass axe at 1280 and 360 px.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, expect

from mognad.sso import oidc, routing, saml
from mognad.sso.models import IdentityProvider
from mognad.sso.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider
from mognad.sso.tests.saml_idp import MAIL, SamlIdp
from mognad.sso.tests.servers import serving
from mognad.tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser
EMAIL_FIELD = "main form input[type=email]"


@pytest.fixture
def here(settings, live_server):
    """Mognad's public address is the live server's (redirect URI, SAML entity id and ACS)."""
    settings.BASE_URL = live_server.url.rstrip("/")
    return settings.BASE_URL


def _allow(context: BrowserContext, origin: str) -> None:
    # The harness blocks every other origin; the IdP is the one the journey must reach. A route
    # added later takes precedence over the harness's guard.
    context.route(f"{origin}/**", lambda route, request: route.continue_())


@pytest.fixture
def oidc_ankeby(here, persona) -> Iterator[OidcProvider]:
    ankeby = persona("ankeby")
    provider = OidcProvider()
    with serving(provider.app) as url:
        provider.url = url
        provider.redirect_uris = [routing.redirect_uri()]
        IdentityProvider.objects.create(
            organization=ankeby,
            protocol=IdentityProvider.Protocol.OIDC,
            email_domains="ankeby.se",
            email_attribute="email",
            oidc_issuer=url,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_discovery=oidc.discover(url),
        )
        yield provider


@pytest.fixture
def saml_ankeby(here, persona) -> Iterator[SamlIdp]:
    ankeby = persona("ankeby")
    idp = SamlIdp()
    with serving(idp.app) as url:
        idp.url = url
        idp.sp_metadata = saml.sp_metadata()
        metadata = idp.metadata()
        IdentityProvider.objects.create(
            organization=ankeby,
            protocol=IdentityProvider.Protocol.SAML,
            email_domains="ankeby.se",
            email_attribute=MAIL,
            saml_metadata=metadata,
            saml_entity_id=saml.check_metadata(metadata),
        )
        yield idp
    idp.close()


def _enter_email(page, email: str) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("main form input[type=password]")).to_have_count(0)
    tab_to(page, EMAIL_FIELD)
    page.keyboard.type(email)
    page.keyboard.press("Enter")


def test_a_key_user_logs_in_through_the_organizations_openid_connect_provider(
    page, context, persona, oidc_ankeby, check_page
):
    alice = persona("alice")
    _allow(context, oidc_ankeby.url)
    oidc_ankeby.user_email = alice.email
    page.goto("/accounts/login/")
    check_page(page, "login-email-step")
    _enter_email(page, alice.email)
    page.wait_for_url("**/orgs/ankeby-kommun/**")
    expect(page.locator("header form[action*='logout'] button")).to_be_visible()
    assert oidc_ankeby.token_requests == 1


def test_a_key_user_logs_in_through_the_organizations_saml_idp(page, context, persona, saml_ankeby):
    alice = persona("alice")
    _allow(context, saml_ankeby.url)
    saml_ankeby.user_email = alice.email
    _enter_email(page, alice.email)
    page.wait_for_url("**/orgs/ankeby-kommun/**")
    expect(page.locator("header form[action*='logout'] button")).to_be_visible()
    assert saml_ankeby.requests == 1


def test_an_unknown_person_gets_an_accessible_refusal(
    page, context, persona, saml_ankeby, check_page
):
    _allow(context, saml_ankeby.url)
    saml_ankeby.user_email = "eve@ankeby.se"
    _enter_email(page, "eve@ankeby.se")
    page.wait_for_url("**/sso/saml/finish/")
    expect(page.get_by_role("alert")).to_contain_text("eve@ankeby.se")
    expect(page.locator("header form[action*='logout']")).to_have_count(0)
    check_page(page, "sso-refused")


def test_the_coordinators_settings_page_is_accessible(page, persona, log_in, check_page):
    persona("ankeby")
    log_in(page, persona("nadia"))
    page.goto("/orgs/ankeby-kommun/sso/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "sso-settings")
    page.get_by_label("Protokoll").select_option("saml")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "sso-settings-errors")
