"""Workflows of the orgs app: organizations, units, members, invitations, accounts.

Each action is a verb with keyword-only `by=` (the acting user), runs in one transaction, writes
an audit event and queues its email through the outbox in the same transaction. Permission checks
are the caller's job (views go through access.py first); actions check the domain rules and raise
`ActionError` (mognad/platform/actions.py) with a message a person can act on and its field.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from mognad.orgs import access, queries, twofactor
from mognad.orgs.audit import audit
from mognad.orgs.models import Invitation, Membership, Organization, RecoveryCode, Unit, User
from mognad.platform.actions import ActionError
from mognad.platform.hashing import sha256_hex
from mognad.platform.mail import enqueue_email

INVITATION_VALID_FOR = timedelta(days=14)


# --- Organizations ------------------------------------------------------------------------------


def unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def register_organization(*, by: User, **fields: Any) -> Organization:
    """A government agency or municipal company added by the national coordinator."""
    if fields.get("kind") not in (Organization.Kind.AGENCY, Organization.Kind.COMPANY):
        raise ActionError(_("Only agencies and municipal companies can be added by hand."))
    code = fields.get("code", "")
    if code and Organization.objects.filter(kind=fields["kind"], code=code).exists():
        raise ActionError(_("An organization of this type with this code already exists."))
    org = Organization(slug=unique_slug(fields["name"]), **fields)
    org.size_class = Organization.size_class_for(org.employees)
    org.save()
    audit("organization.registered", by=by, organization=org, target=org.name, kind=org.kind)
    return org


@transaction.atomic
def update_organization_settings(
    org: Organization,
    *,
    by: User,
    employees: int | None,
    municipality_group: str,
    named_in_comparisons: bool,
    research_consent: bool,
) -> Organization:
    """Size, municipality group and consents; a changed consent records its decision date."""
    now = timezone.now()
    changes: dict[str, Any] = {}
    if employees != org.employees:
        changes["employees"] = [org.employees, employees]
        org.employees = employees
        org.size_class = Organization.size_class_for(employees)
    if municipality_group != org.municipality_group:
        changes["municipality_group"] = [org.municipality_group, municipality_group]
        org.municipality_group = municipality_group
    if named_in_comparisons != org.named_in_comparisons:
        changes["named_in_comparisons"] = [org.named_in_comparisons, named_in_comparisons]
        org.named_in_comparisons = named_in_comparisons
        org.named_in_comparisons_decided_at = now
    if research_consent != org.research_consent:
        changes["research_consent"] = [org.research_consent, research_consent]
        org.research_consent = research_consent
        org.research_consent_decided_at = now
    if changes:
        org.save()
        audit("organization.settings_changed", by=by, organization=org, target=org.name, **changes)
    return org


# --- Units --------------------------------------------------------------------------------------


def _check_unit_name(org: Organization, parent: Unit | None, name: str, unit: Unit | None) -> None:
    siblings = Unit.objects.filter(organization=org, parent=parent, name__iexact=name)
    if unit is not None:
        siblings = siblings.exclude(pk=unit.pk)
    if siblings.exists():
        raise ActionError(
            _("There is already a unit with this name at the same place in the tree."), field="name"
        )


@transaction.atomic
def create_unit(
    org: Organization, *, by: User, name: str, unit_type: str, parent: Unit | None
) -> Unit:
    if parent is not None and parent.organization_id != org.pk:
        raise ActionError(_("Choose a unit of this organization."), field="parent")
    _check_unit_name(org, parent, name, None)
    unit = Unit.objects.create(organization=org, name=name, unit_type=unit_type, parent=parent)
    audit(
        "unit.created", by=by, organization=org, target=name, parent=parent.name if parent else ""
    )
    return unit


@transaction.atomic
def change_unit(unit: Unit, *, by: User, name: str, unit_type: str, parent: Unit | None) -> Unit:
    """Rename, retype and/or move a unit (with its whole subtree)."""
    org = unit.organization
    if parent is not None:
        if parent.organization_id != org.pk:
            raise ActionError(_("Choose a unit of this organization."), field="parent")
        if parent.pk == unit.pk or parent.path.startswith(unit.path):
            raise ActionError(
                _("A unit cannot be moved under itself or one of its own units."), field="parent"
            )
    _check_unit_name(org, parent, name, unit)
    details: dict[str, Any] = {}
    if name != unit.name:
        details["name"] = [unit.name, name]
    if unit_type != unit.unit_type:
        details["unit_type"] = [unit.unit_type, unit_type]
    if parent != unit.parent:
        details["parent"] = [str(unit.parent or ""), str(parent or "")]
    if not details:
        return unit
    unit.name, unit.unit_type, unit.parent = name, unit_type, parent
    unit.save()
    audit("unit.changed", by=by, organization=org, target=name, **details)
    return unit


@transaction.atomic
def delete_unit(unit: Unit, *, by: User) -> None:
    if not queries.unit_is_empty(unit):
        raise ActionError(
            _(
                "Only an empty unit can be deleted: move or delete its units, members and "
                "respondents first."
            )
        )
    org, name = unit.organization, unit.name
    unit.delete()
    audit("unit.deleted", by=by, organization=org, target=name)


# --- Members and invitations ----------------------------------------------------------------------


@transaction.atomic
def invite_admin(
    org: Organization,
    *,
    by: User,
    email: str,
    role: str,
    unit: Unit | None = None,
    language: str = "sv",
) -> tuple[Invitation, str]:
    """Invite a person by email; returns the invitation and its token (sent only by email)."""
    email = User.objects.normalize_email(email).lower()
    if role not in access.roles_invitable_by(by, org):
        raise ActionError(_("You cannot invite people with this role."), field="role")
    if role == Membership.Role.UNIT_ADMIN:
        if unit is None:
            raise ActionError(_("Choose the unit a unit admin is responsible for."), field="unit")
        if unit.organization_id != org.pk:
            raise ActionError(_("Choose a unit of this organization."), field="unit")
    else:
        unit = None
    if Membership.objects.filter(organization=org, user__email__iexact=email).exists():
        raise ActionError(_("This person is already a member of the organization."), field="email")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=org,
        email=email,
        role=role,
        unit=unit,
        token_hash=sha256_hex(token),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    with override(language):
        role_label = str(Membership.Role(role).label).lower()
    enqueue_email(
        to=email,
        template="admin-invitation",
        context={
            "organization_name": org.name,
            "inviter_name": by.name or by.email,
            "role_label": role_label,
            "accept_url": settings.BASE_URL + reverse("orgs:accept_invitation", args=[token]),
            "expires_at": invitation.expires_at,
        },
        language=language,
        dedupe_key=f"admin-invitation:{invitation.pk}",
        organization=org,
    )
    audit(
        "member.invited",
        by=by,
        organization=org,
        target=email,
        role=role,
        unit=unit.name if unit else "",
    )
    return invitation, token


@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, user: User | None, name: str = "", password: str = ""
) -> User:
    """Create the account (or use the logged-in one with the invited email) and the membership."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable():
        raise ActionError(_("This invitation has already been used or has expired."))
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ActionError(_("An account with this email address already exists: log in first."))
        user = User.objects.create_user(locked.email, password, name=name)
    elif user.email.lower() != locked.email.lower():
        raise ActionError(_("This invitation was sent to another email address."))
    if Membership.objects.filter(user=user, organization=locked.organization).exists():
        raise ActionError(_("You are already a member of this organization."))
    Membership.objects.create(
        user=user, organization=locked.organization, role=locked.role, unit=locked.unit
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit(
        "member.joined",
        by=user,
        organization=locked.organization,
        target=user.email,
        role=locked.role,
    )
    return user


@transaction.atomic
def remove_member(membership: Membership, *, by: User) -> None:
    org = membership.organization
    if membership.role == Membership.Role.KEY_USER:
        others = Membership.objects.filter(organization=org, role=Membership.Role.KEY_USER).exclude(
            pk=membership.pk
        )
        if not others.exists() and not by.is_coordinator:
            raise ActionError(_("The last key user of an organization cannot be removed."))
    email, role = membership.user.email, membership.role
    membership.delete()
    audit("member.removed", by=by, organization=org, target=email, role=role)


# --- Accounts -----------------------------------------------------------------------------------


@transaction.atomic
def update_profile(user: User, *, name: str, language: str) -> User:
    user.name, user.language = name, language
    user.save(update_fields=["name", "language"])
    return user


@transaction.atomic
def enable_totp(user: User, *, secret: str, step: int | None = None) -> None:
    """Store a confirmed secret; `step` is the time step of the code that confirmed it (used up)."""
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit("account.2fa_enabled", by=user, target=user.email)


@transaction.atomic
def disable_totp(user: User) -> None:
    # A passkey is a second factor too: with one the authenticator app may go.
    if user.is_coordinator and twofactor.is_required(user) and not user.has_passkeys:
        raise ActionError(_("National coordinators must use two-factor authentication."))
    if twofactor.is_required(user) and not user.has_passkeys:
        raise ActionError(_("Your role requires two-factor authentication."))
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    if not user.has_passkeys:
        RecoveryCode.objects.filter(user=user).delete()
    audit("account.2fa_disabled", by=user, target=user.email)


@transaction.atomic
def change_password(user: User, *, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit("account.password_changed", by=user, target=user.email)


@transaction.atomic
def request_password_reset(email: str, *, language: str) -> None:
    """Queue a reset link if an active account has this email; say nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    enqueue_email(
        to=user.email,
        template="password-reset",
        context={
            "name": user.name,
            "reset_url": settings.BASE_URL
            + reverse("orgs:password_reset_confirm", args=[uid, token]),
        },
        language=language,
        dedupe_key=f"password-reset:{user.pk}:{token}",
    )
    audit("account.password_reset_requested", by=None, target=user.email)


# --- Registry imports ---------------------------------------------------------------------------


@transaction.atomic
def import_organizations(rows: list[dict[str, Any]], *, by: User | None) -> tuple[int, int]:
    """Create or update agencies and companies (matched by type and code); (created, updated)."""
    created = updated = 0
    for row in rows:
        fields = {key: value for key, value in row.items() if key not in ("kind", "code")}
        org = Organization.objects.filter(kind=row["kind"], code=row["code"]).first()
        if org is None:
            org = Organization.objects.create(
                slug=unique_slug(row["name"]), kind=row["kind"], code=row["code"], **fields
            )
            created += 1
        else:
            for key, value in fields.items():
                setattr(org, key, value)
            org.save()
            updated += 1
    audit("registry.imported", by=by, target=f"{len(rows)}", created=created, updated=updated)
    return created, updated


@transaction.atomic
def import_municipality_groups(rows: list[dict[str, Any]], *, by: User | None) -> int:
    changed = 0
    for row in rows:
        changed += (
            Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, code=row["code"])
            .exclude(municipality_group=row["group"])
            .update(municipality_group=row["group"])
        )
    audit("registry.groups_imported", by=by, target=f"{len(rows)}", changed=changed)
    return changed
