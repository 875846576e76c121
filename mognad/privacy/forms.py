from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mognad.privacy.models import Choice, PrivacySettings


def _describe_fields(form: forms.BaseForm) -> None:
    """Tie each input to its help text and error message (ids used by the template)."""
    for name, field in form.fields.items():
        ids = []
        if form.is_bound and name in form.errors:
            ids.append(f"id_{name}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if field.help_text:
            ids.append(f"id_{name}-help")
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


class ConsentForm(forms.Form):
    choice = forms.ChoiceField(
        choices=Choice.choices,
        error_messages={
            "required": _("Choose which cookies to allow."),
            "invalid_choice": _("Choose either only necessary cookies or diagnostics too."),
        },
    )
    next = forms.CharField(required=False, max_length=2000)


class PrivacySettingsForm(forms.ModelForm[PrivacySettings]):
    class Meta:
        model = PrivacySettings
        fields = [
            "operator_name",
            "contact_email",
            "dpo_name",
            "dpo_email",
            "legal_basis_sv",
            "legal_basis_en",
            "extra_text_sv",
            "extra_text_en",
            "accessibility_email",
            "accessibility_phone",
            "accessibility_assessed_on",
        ]
        widgets = {"accessibility_assessed_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "operator_name": _("The organization that runs this installation of Mognad."),
            "contact_email": _("Where people send questions about their personal data."),
            "legal_basis_sv": _("Plain text in Swedish; shown on both privacy notices."),
            "legal_basis_en": _("Plain text in English; shown on both privacy notices."),
            "extra_text_sv": _("Optional plain text in Swedish, shown at the end of the notices."),
            "extra_text_en": _("Optional plain text in English, shown at the end of the notices."),
            "accessibility_email": _(
                "Shown in the accessibility statement; "
                "if empty, the contact address above is shown."
            ),
            "accessibility_phone": _("Optional, shown in the accessibility statement."),
            "accessibility_assessed_on": _(
                "When the service was last checked against WCAG 2.1 AA (YYYY-MM-DD)."
            ),
        }
        error_messages = {
            "contact_email": {"invalid": _("Enter an email address such as dataskydd@example.se.")},
            "dpo_email": {"invalid": _("Enter an email address such as dataskydd@example.se.")},
            "accessibility_email": {
                "invalid": _("Enter an email address such as tillganglighet@example.se.")
            },
            "accessibility_assessed_on": {"invalid": _("Enter a date such as 2026-12-07.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Saving means stating who runs the service and how to reach them.
        self.fields["operator_name"].required = True
        self.fields["operator_name"].error_messages["required"] = _(
            "Enter the name of the organization that runs the service."
        )
        self.fields["contact_email"].required = True
        self.fields["contact_email"].error_messages["required"] = _(
            "Enter an email address for questions about personal data."
        )
        for name in ("legal_basis_sv", "legal_basis_en", "extra_text_sv", "extra_text_en"):
            self.fields[name].widget.attrs["rows"] = 5
        _describe_fields(self)

    def full_clean(self) -> None:
        super().full_clean()
        _describe_fields(self)

    def clean_accessibility_phone(self) -> str:
        phone: str = self.cleaned_data["accessibility_phone"].strip()
        if phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{4,38}", phone):
            raise forms.ValidationError(
                _("Enter a telephone number with digits, spaces and hyphens, such as 08-123 45 67.")
            )
        return phone

    def clean_accessibility_assessed_on(self) -> date | None:
        assessed: date | None = self.cleaned_data["accessibility_assessed_on"]
        if assessed and assessed > timezone.localdate():
            raise forms.ValidationError(_("The assessment date cannot be in the future."))
        return assessed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned
