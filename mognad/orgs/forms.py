"""Forms of the orgs app. Every error message names what is wrong and what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mognad.orgs import domains
from mognad.orgs.models import Membership, Organization, Unit


def _unit_label(unit: Unit) -> str:
    return "\u2003" * unit.depth + unit.name


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return _unit_label(obj)


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class SecondStepForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app, or a recovery code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class PasswordFieldsMixin(forms.Form):
    """Two password fields checked against the password validators."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    user_for_validation: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.user_for_validation)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AcceptInvitationForm(PasswordFieldsMixin):
    name = forms.CharField(label=_("Your name"), max_length=200)
    field_order = ["name", "password1", "password2"]


class SetPasswordForm(PasswordFieldsMixin):
    pass


class ChangePasswordForm(PasswordFieldsMixin):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user_for_validation.check_password(value):
            raise forms.ValidationError(_("Your current password is not correct."))
        return value


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of emails and pages"), choices=settings.LANGUAGES
    )


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Organization.Kind.choices],
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties")), *counties]  # type: ignore[attr-defined]


class RegisterOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (Organization.Kind.AGENCY, Organization.Kind.AGENCY.label),
            (Organization.Kind.COMPANY, Organization.Kind.COMPANY.label),
        ],
    )
    code = forms.RegexField(
        label=_("Organization number"),
        regex=r"^\d{6}-?\d{4}$",
        required=False,
        help_text=_("Ten digits, e.g. 202100-1234."),
        error_messages={
            "invalid": _("Enter the organization number as ten digits, e.g. 202100-1234.")
        },
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    employees = forms.IntegerField(
        label=_("Number of employees"),
        required=False,
        min_value=1,
        max_value=Organization.MAX_EMPLOYEES,
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("Not tied to one county")), *counties]  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        digits = str(self.cleaned_data["code"]).replace("-", "")
        return f"{digits[:6]}-{digits[6:]}" if digits else ""


class OrganizationSettingsForm(forms.Form):
    employees = forms.IntegerField(
        label=_("Number of employees"),
        required=False,
        min_value=1,
        max_value=Organization.MAX_EMPLOYEES,
    )
    municipality_group = forms.CharField(
        label=_("Municipality group (SKR)"),
        required=False,
        max_length=10,
        help_text=_("For example A1 or B3; leave empty for other organizations."),
    )
    named_in_comparisons = forms.BooleanField(
        label=_("Our organization may be named in comparisons"), required=False
    )
    research_consent = forms.BooleanField(
        label=_("Our anonymized data may be included in the research dataset"), required=False
    )


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit_type = forms.ChoiceField(label=_("Type of unit"), choices=Unit.UnitType.choices)
    parent = UnitChoiceField(
        label=_("Placed under"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Top level of the organization"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(
        label=_("Unit (for unit admins)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No unit"),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, roles: list[str], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (role, Membership.Role(role).label) for role in roles
        ]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Membership.Role.UNIT_ADMIN and not data.get("unit"):
            self.add_error("unit", _("Choose the unit a unit admin is responsible for."))
        return data


class EmailDomainsForm(forms.Form):
    """The organization's own e-mail domains; the exceptions only for a national coordinator."""

    domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line, e.g. ankeby.se. Respondents' addresses must end in one of them; a "
            "subdomain such as skola.ankeby.se must be listed on its own."
        ),
    )
    exceptions = forms.CharField(
        label=_("Addresses allowed outside the domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only a national coordinator can change these. One address a line."),
    )

    def __init__(self, *args: Any, coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not coordinator:
            del self.fields["exceptions"]

    def clean_domains(self) -> list[str]:
        try:
            return domains.parse_domains(self.cleaned_data["domains"])
        except domains.DomainError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_exceptions(self) -> list[str]:
        try:
            return domains.parse_addresses(self.cleaned_data["exceptions"])
        except domains.DomainError as error:
            raise forms.ValidationError(str(error)) from None
