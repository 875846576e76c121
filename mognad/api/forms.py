"""The form on the API tokens page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mognad.api.tokens import LIFETIMES


def _lifetime_label(days: int) -> str:
    return str(ngettext_lazy("%(days)s day", "%(days)s days", days) % {"days": days})


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Dashboard of the IT department”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[],
        initial=90,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["days"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(days, _lifetime_label(days)) for days in LIFETIMES]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
