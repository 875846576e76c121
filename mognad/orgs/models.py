"""Organizations, their unit trees, the people who administer them, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mognad.platform.fields import EncryptedCharField


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True, is_coordinator=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An administrator: national coordinator, key user, unit admin or viewer.

    Respondents are not users.
    """

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="sv")
    # National coordinators run the platform: organizations, instruments, national results.
    is_coordinator = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Base32 TOTP secret (pyotp), encrypted at rest (platform/fields.py); two-factor authentication
    # is on once totp_confirmed_at is set.
    totp_secret = EncryptedCharField(max_length=255, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The 30-second step of the last accepted code (Unix time // 30): a code of that step or an
    # earlier one is refused, so an observed code cannot be used again (orgs/twofactor.py).
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    # Whether the user has at least one passkey (orgs/passkeys.py), kept here so the second-factor
    # gate needs no query on every request.
    has_passkeys = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for the second step, for when the phone is lost (orgs/twofactor.py).

    Ten are made at a time and shown once; only the SHA-256 of each (80 random bits) is stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="one_recovery_code_hash")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"


class Passkey(models.Model):
    """A WebAuthn credential (a passkey or security key) as a second factor (orgs/passkeys.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("name"), max_length=100)
    # The credential id, base64url without padding, as the browser reports it.
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"


class Organization(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        AGENCY = "agency", _("Government agency")
        COMPANY = "company", _("Municipal company")

    class SizeClass(models.TextChoices):
        XS = "XS", _("XS (fewer than 500 employees)")
        S = "S", _("S (501–2,000 employees)")
        M = "M", _("M (2,001–5,999 employees)")
        L = "L", _("L (6,000–15,000 employees)")
        XL = "XL", _("XL (more than 15,000 employees)")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(_("kind of organization"), max_length=20, choices=Kind.choices)
    # Official code: four digits for a municipality, two for a region; org number for others.
    code = models.CharField(_("official code"), max_length=20, blank=True)
    county = models.CharField(_("county"), max_length=100, blank=True)
    county_code = models.CharField(max_length=2, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=2, choices=SizeClass.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    # Far above any Swedish public employer, far below what the column holds.
    MAX_EMPLOYEES = 1_000_000
    # SKR's municipality group (kommungrupp), e.g. "A1"; loaded from the official classification.
    municipality_group = models.CharField(_("municipality group"), max_length=10, blank=True)
    # Consents, off by default; each with the date of the decision.
    named_in_comparisons = models.BooleanField(default=False)
    named_in_comparisons_decided_at = models.DateTimeField(null=True, blank=True)
    research_consent = models.BooleanField(default=False)
    research_consent_decided_at = models.DateTimeField(null=True, blank=True)
    # Insiders (orgs/domains.py): respondents' addresses must end in one of these domains (one a
    # line, set by key users) or be one of the exceptions (one a line, set by a coordinator).
    email_domains = models.TextField(_("e-mail domains"), blank=True)
    email_exceptions = models.TextField(_("addresses allowed outside the domains"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~models.Q(code=""), name="unique_official_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def size_class_for(cls, employees: int | None) -> str:
        """The size class for a number of employees ("" when unknown).

        The published classes leave 500 itself unassigned; it counts as XS here.
        """
        if employees is None:
            return ""
        if employees <= 500:
            return cls.SizeClass.XS
        if employees <= 2000:
            return cls.SizeClass.S
        if employees <= 5999:
            return cls.SizeClass.M
        if employees <= 15000:
            return cls.SizeClass.L
        return cls.SizeClass.XL


class Unit(models.Model):
    """A part of an organization (förvaltning, avdelning …); units form a tree."""

    class UnitType(models.TextChoices):
        SOCIAL_SERVICES = "social_services", _("Social services")
        EDUCATION = "education", _("Education")
        URBAN_PLANNING = "urban_planning", _("Urban planning")
        SERVICE = "service", _("Service and support")
        MANAGEMENT = "management", _("Management")
        IT = "it", _("IT and digitalization")
        HEALTH_CARE = "health_care", _("Health care")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices)
    # Materialized path of ancestor ids ("/3/17/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")

    class Meta:
        ordering = ["path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"], name="unique_unit_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save and keep `path` ("/<root id>/…/<own id>/") and the paths below it in step."""
        parent_path = "/"
        if self.parent_id is not None:
            parent = Unit.objects.only("organization_id", "path").get(pk=self.parent_id)
            parent_path = parent.path
            if parent.organization_id != self.organization_id:
                raise ValidationError(_("A unit's parent must belong to the same organization."))
            if self.pk is not None and f"/{self.pk}/" in parent.path:
                raise ValidationError(
                    _("A unit cannot be moved under itself or one of its own units.")
                )
        super().save(*args, **kwargs)
        new_path = f"{parent_path}{self.pk}/"
        old_path = self.path
        if new_path == old_path:
            return
        self.path = new_path
        Unit.objects.filter(pk=self.pk).update(path=new_path)
        if old_path != "/":
            below = list(
                Unit.objects.filter(organization_id=self.organization_id, path__startswith=old_path)
                .exclude(pk=self.pk)
                .only("path")
            )
            for unit in below:
                unit.path = new_path + unit.path[len(old_path) :]
            Unit.objects.bulk_update(below, ["path"])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def subtree(self) -> models.QuerySet[Unit]:
        """This unit and every unit below it."""
        return Unit.objects.filter(organization_id=self.organization_id, path__startswith=self.path)


class Membership(models.Model):
    """A user's role in one organization; unit admins are limited to a unit and its subtree."""

    class Role(models.TextChoices):
        KEY_USER = "key_user", _("Key user")
        UNIT_ADMIN = "unit_admin", _("Unit admin")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_role_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(role="unit_admin", unit__isnull=False)
                | (~models.Q(role="unit_admin") & models.Q(unit__isnull=True)),
                name="unit_admin_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organization}"


class AuditEvent(models.Model):
    """Who changed what, when. Written by actions, read by key users and coordinators."""

    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    # Kept after the actor is deleted, so the log stays readable.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target}"

    def sentence(self) -> str:
        """What happened, in plain words in the current language ("12 reminders were sent.")."""
        from mognad.orgs.audit_sentences import sentence

        return sentence(self.action, self.details if isinstance(self.details, dict) else {})


class Invitation(models.Model):
    """An invitation by email to become an administrator of an organization.

    Only the SHA-256 hash of the token is stored; the token itself is in the email alone.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization_id} ({self.role})"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at
