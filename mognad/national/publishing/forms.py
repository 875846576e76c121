"""The publishing forms: draft a year, flag an error, publish a draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mognad.national.publishing.actions import FLAG_LENGTH


class DraftForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        error_messages={"invalid_choice": _("There are no results for that year to publish.")},
    )
    window_days = forms.IntegerField(
        label=_("Correction window (days)"),
        min_value=1,
        max_value=365,
        help_text=_("How long key users may flag errors in what is published about them."),
    )
    note = forms.CharField(
        label=_("What this draft corrects (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, years: list[int]) -> None:
        super().__init__(data, initial={"window_days": settings.PUBLICATION_CORRECTION_DAYS})
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in reversed(years)]
        if years:
            field.initial = years[-1]


class FlagForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong?"),
        max_length=FLAG_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the error.")},
    )


class PublishForm(forms.Form):
    errata = forms.CharField(
        label=_("Errata note (what changed since the previous version)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    early = forms.BooleanField(label=_("Publish before the correction window ends"), required=False)
