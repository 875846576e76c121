"""The choices on the national pages (query parameters, so pages can be bookmarked and shared)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        error_messages={
            "invalid": _("Enter a year as four digits, for example 2026."),
            "min_value": _("Choose a year from %(limit_value)s on."),
            "max_value": _("Choose a year up to %(limit_value)s."),
        },
    )


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        error_messages={"invalid_choice": _("There are no results for that year to report on.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("sv", "Svenska"), ("en", "English")],
        initial="sv",
        error_messages={"invalid_choice": _("Choose Swedish or English.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("html", "HTML")],
        initial="pdf",
        error_messages={"invalid_choice": _("Choose PDF or HTML.")},
    )

    def __init__(self, data: Any = None, *, years: list[int]) -> None:
        super().__init__(data)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in reversed(years)]
        if years:
            field.initial = years[-1]
