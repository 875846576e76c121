"""Insiders: an organization's own e-mail domains, and the addresses a coordinator let in besides.

A respondent's address must belong to one of the organization's domains (exactly: `ankeby.se`
does not let in `skola.ankeby.se`; list it too) or be one of the exceptions. Key users set the
domains, only a national coordinator the exceptions; each change is an audit event
(docs/privacy.md, "Insiders"). This keeps a key user from inviting addresses they control
elsewhere to fill a group around one person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, User

# Labels of letters, digits and inner hyphens, at least two of them, the last one letters only.
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SEPARATORS = re.compile(r"[\s,;]+")


class DomainError(ValueError):
    """A value that is not a domain (or address); the message names it, for the user."""


def _items(text: str) -> list[str]:
    return [part.strip().lower() for part in _SEPARATORS.split(text) if part.strip()]


def parse_domains(text: str) -> list[str]:
    """ "ankeby.se, @skola.ankeby.se" → ["ankeby.se", "skola.ankeby.se"]; raises DomainError."""
    domains: list[str] = []
    for item in _items(text):
        domain = item.removeprefix("@")
        if not _DOMAIN.match(domain):
            raise DomainError(
                _("“%(value)s” is not an e-mail domain; write e.g. ankeby.se.") % {"value": item}
            )
        if domain not in domains:
            domains.append(domain)
    return sorted(domains)


def parse_addresses(text: str) -> list[str]:
    """One or more e-mail addresses; raises DomainError naming the first that is not one."""
    addresses: list[str] = []
    for item in _items(text):
        try:
            validate_email(item)
        except ValidationError:
            raise DomainError(
                _("“%(value)s” is not an e-mail address.") % {"value": item}
            ) from None
        if item not in addresses:
            addresses.append(item)
    return sorted(addresses)


def domains_of(org: Organization) -> list[str]:
    return _items(org.email_domains)


def exceptions_of(org: Organization) -> list[str]:
    return _items(org.email_exceptions)


def allows(org: Organization, email: str) -> bool:
    email = email.strip().lower()
    return email.rpartition("@")[2] in domains_of(org) or email in exceptions_of(org)


def refusal(org: Organization, email: str) -> str:
    """Why `email` cannot be a respondent of `org`, naming the address and the allowed domains."""
    domains = domains_of(org)
    if not domains:
        return _(
            "%(email)s cannot be added: %(org)s has no e-mail domains yet. A key user sets them "
            "under “E-mail domains” on the organization's page."
        ) % {"email": email, "org": org.name}
    return _(
        "%(email)s is not an address of %(org)s: respondents' addresses must end in "
        "%(domains)s. An address outside them needs an exception from a national coordinator."
    ) % {"email": email, "org": org.name, "domains": ", ".join(f"@{d}" for d in domains)}


def outside(org: Organization, emails: Iterable[str]) -> list[str]:
    """The addresses of `emails` that `org` does not allow, in order."""
    return [email for email in emails if not allows(org, email)]


def _replace(
    org: Organization, field: str, values: list[str]
) -> tuple[Organization, set[str], set[str]] | None:
    """Store `values` in `field` (one a line) under a lock; (org, added, removed), or None when
    nothing changes."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = _items(getattr(org, field))
    if before == values:
        return None
    setattr(org, field, "\n".join(values))
    org.save(update_fields=[field])
    return org, set(values) - set(before), set(before) - set(values)


@transaction.atomic
def set_domains(org: Organization, domains: list[str], *, by: User) -> bool:
    """A key user's (or coordinator's) change of the domains; True when something changed."""
    changed = _replace(org, "email_domains", domains)
    if changed is None:
        return False
    org, added, removed = changed
    audit(
        "organization.email_domains_changed",
        by=by,
        organization=org,
        target=org.name,
        added=sorted(added),
        removed=sorted(removed),
    )
    return True


@transaction.atomic
def set_exceptions(org: Organization, addresses: list[str], *, by: User) -> bool:
    """Only a national coordinator lets in addresses outside the domains. The audit event holds
    the counts and the addresses' domains; the list itself is on the organization."""
    if not by.is_coordinator:
        raise PermissionError("only a national coordinator sets exceptions")
    changed = _replace(org, "email_exceptions", addresses)
    if changed is None:
        return False
    org, added, removed = changed
    audit(
        "organization.email_exceptions_changed",
        by=by,
        organization=org,
        target=org.name,
        added=len(added),
        removed=len(removed),
        domains=sorted({a.rpartition("@")[2] for a in added | removed}),
    )
    return True
