"""The organization's e-mail domains: key users set them, only a coordinator the exceptions.

Every change is an audit event; bad input names the bad value and changes nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mognad.orgs import domains
from mognad.orgs.models import AuditEvent, Organization


def _url(org: Organization) -> str:
    return f"/orgs/{org.slug}/email-domains/"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("ankeby.se", ["ankeby.se"]),
        ("  Skola.Ankeby.SE\n@ankeby.se, ankeby.se;", ["ankeby.se", "skola.ankeby.se"]),
        ("", []),
    ],
)
def test_domains_are_read_one_a_line_or_separated_lowercased_and_deduplicated(text, parsed):
    assert domains.parse_domains(text) == parsed


@pytest.mark.parametrize(
    "bad", ["ankeby", "anna@ankeby.se", "-ankeby.se", "ankeby..se", "ank_eby.se", "ankeby.s3"]
)
def test_anything_but_a_domain_is_refused_by_name(bad):
    with pytest.raises(domains.DomainError, match=bad.replace(".", r"\.")):
        domains.parse_domains(f"ankeby.se\n{bad}")


@given(st.text(max_size=40))
def test_parsing_never_lets_through_a_value_that_is_not_a_plain_domain(text):
    try:
        parsed = domains.parse_domains(text)
    except domains.DomainError:
        return
    for domain in parsed:
        assert domain == domain.lower().strip() and "@" not in domain and "." in domain
        assert all(part and not part.startswith("-") for part in domain.split("."))


def test_an_address_belongs_to_exactly_the_listed_domains_or_the_exceptions(ankeby):
    ankeby.email_domains = "ankeby.se"
    ankeby.email_exceptions = "konsult@byra.se"
    assert domains.allows(ankeby, "Anna@Ankeby.se")
    assert not domains.allows(ankeby, "anna@skola.ankeby.se")  # a subdomain is listed on its own
    assert not domains.allows(ankeby, "anna@ankeby.se.evil.example")
    assert domains.allows(ankeby, "konsult@byra.se")
    assert not domains.allows(ankeby, "annan@byra.se")


def test_the_key_user_sets_the_domains_and_the_change_is_audited(alice_client, alice, ankeby):
    response = alice_client.post(_url(ankeby), {"domains": "ankeby.se\nskola.ankeby.se"})
    assert response.status_code == 302
    ankeby.refresh_from_db()
    assert domains.domains_of(ankeby) == ["ankeby.se", "skola.ankeby.se"]
    event = AuditEvent.objects.get(action="organization.email_domains_changed")
    assert (event.actor, event.organization) == (alice, ankeby)
    assert event.details == {"added": ["skola.ankeby.se"], "removed": []}
    # Saving the same again changes nothing and logs nothing.
    alice_client.post(_url(ankeby), {"domains": "skola.ankeby.se, ankeby.se"})
    assert AuditEvent.objects.filter(action="organization.email_domains_changed").count() == 1


def test_a_bad_domain_gets_an_error_naming_it_and_changes_nothing(alice_client, ankeby):
    response = alice_client.post(_url(ankeby), {"domains": "ankeby.se\ngmail"})
    assert response.status_code == 400
    assert "”gmail” är inte en e-postdomän" in response.content.decode()
    ankeby.refresh_from_db()
    assert ankeby.email_domains == "ankeby.se"
    assert not AuditEvent.objects.filter(action="organization.email_domains_changed").exists()


def test_a_key_user_cannot_set_exceptions(alice_client, ankeby):
    page = alice_client.get(_url(ankeby)).content.decode()
    assert 'name="exceptions"' not in page
    assert "Bara en nationell samordnare kan tillåta en adress utanför domänerna." in page
    alice_client.post(_url(ankeby), {"domains": "ankeby.se", "exceptions": "me@gmail.com"})
    ankeby.refresh_from_db()
    assert ankeby.email_exceptions == ""
    assert not AuditEvent.objects.filter(action="organization.email_exceptions_changed").exists()


def test_only_a_coordinator_sets_exceptions_and_the_log_holds_counts_not_addresses(
    nadia_client, nadia, ankeby, alice
):
    response = nadia_client.post(
        _url(ankeby), {"domains": "ankeby.se", "exceptions": "Konsult@Byra.se\nx@byra.se"}
    )
    assert response.status_code == 302
    ankeby.refresh_from_db()
    assert domains.exceptions_of(ankeby) == ["konsult@byra.se", "x@byra.se"]
    event = AuditEvent.objects.get(action="organization.email_exceptions_changed")
    assert event.actor == nadia
    assert event.details == {"added": 2, "removed": 0, "domains": ["byra.se"]}
    with pytest.raises(PermissionError):
        domains.set_exceptions(ankeby, ["y@byra.se"], by=alice)


def test_a_bad_exception_is_named_and_nothing_changes(nadia_client, ankeby):
    response = nadia_client.post(_url(ankeby), {"domains": "ny.se", "exceptions": "inte-en-adress"})
    assert response.status_code == 400
    assert "”inte-en-adress” är inte en e-postadress." in response.content.decode()
    ankeby.refresh_from_db()
    assert (ankeby.email_domains, ankeby.email_exceptions) == ("ankeby.se", "")


def test_viewers_and_unit_admins_may_not_and_outsiders_get_404(
    victor_client, bob_client, charlie_client, client, ankeby
):
    assert victor_client.get(_url(ankeby)).status_code == 403
    assert bob_client.post(_url(ankeby), {"domains": "evil.example"}).status_code == 403
    assert charlie_client.get(_url(ankeby)).status_code == 404
    assert client.get(_url(ankeby)).status_code == 302  # to the login page
    ankeby.refresh_from_db()
    assert ankeby.email_domains == "ankeby.se"
