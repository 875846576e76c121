from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Unit
from mognad.surveys.actions import SETTINGS_FIELDS
from mognad.surveys.importing import MAX_BYTES
from mognad.surveys.models import Language, Measurement, Role, parse_reminder_days


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return "– " * int(obj.depth) + str(obj.name)


class CreateMeasurementForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    copy_from = forms.TypedChoiceField(
        label=_("Respondents"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Copies each person's email, unit, role and language, except those marked as having "
            "left the organization. You can change the list before the measurement opens."
        ),
    )

    def __init__(
        self,
        *args: Any,
        years: list[int],
        earlier: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`years` that may be created; `earlier` measurements (id, label) to copy people from."""
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(year, str(year)) for year in years]
        if not earlier:
            del self.fields["copy_from"]
            return
        copy_field = self.fields["copy_from"]
        assert isinstance(copy_field, forms.TypedChoiceField)
        copy_field.choices = [*earlier, ("", _("Start with an empty list"))]
        copy_field.initial = earlier[0][0]


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Measurement
        fields = list(SETTINGS_FIELDS)
        help_texts = {
            "anonymous": _(
                "Anonymous: answers can never be linked to a person, not even from a copy of the "
                "database. Can only be changed before the measurement opens."
            ),
            "reminder_days": _(
                "Days after opening when everyone who has not completed gets a reminder, "
                "e.g. 7,14. Leave empty for no automatic reminders."
            ),
            "language": _("Used for the open link and for respondents without a language."),
            "answer_by": _(
                "Shown in the invitation, the reminders and the questionnaire's introduction. The "
                "measurement closes by itself at the end of this day; without one, at the end of "
                "31 December."
            ),
            "sender_name": _(
                "The name the emails come from, e.g. “Ankeby kommun, digitaliseringsenheten”. "
                "Empty: Mognad."
            ),
            "reply_to": _("Where replies to the emails go. Empty: replies reach nobody."),
            "contact_person": _(
                "Named at the end of the emails for questions, e.g. “Anna Berg, 010-123 45 67”."
            ),
            "invitation_text_sv": _(
                "Your own words instead of the invitation's standard first paragraph; the link, "
                "the last day and the privacy notes stay. Empty: the standard text."
            ),
            "reminder_text_sv": _(
                "Your own words instead of the reminder's standard first paragraph. Empty: the "
                "standard text."
            ),
            "reminder_days_before": _(
                "Days before the last day to answer when everyone who has not completed gets a "
                "reminder, e.g. 7,2. Needs a last day to answer."
            ),
            "sampling": _(
                "How the confidence intervals treat the answers. The whole target group: everyone "
                "the results are about was invited by email, so the intervals shrink as more of "
                "them answer (finite-population correction). Whole units: some units were picked "
                "and everyone in them asked, so the organization's intervals count units, not "
                "people. Otherwise: a sample."
            ),
        }
        widgets = {
            "invitation_text_sv": forms.Textarea(attrs={"rows": 4}),
            "invitation_text_en": forms.Textarea(attrs={"rows": 4}),
            "reminder_text_sv": forms.Textarea(attrs={"rows": 4}),
            "reminder_text_en": forms.Textarea(attrs={"rows": 4}),
            "answer_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "intro_sv": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (an older page, a script) leaves who was asked as it was.
        self.fields["sampling"].required = False

    def clean_sampling(self) -> str:
        return str(self.cleaned_data.get("sampling") or self.instance.sampling)

    def clean_reminder_days(self) -> str:
        return self._days(self.cleaned_data["reminder_days"])

    def clean_reminder_days_before(self) -> str:
        return self._days(self.cleaned_data["reminder_days_before"])

    def _days(self, raw: str) -> str:
        try:
            days = parse_reminder_days(raw)
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a number of days between 1 and 365; write e.g. 7,14."),
                params={"value": str(error)},
            ) from None
        return ",".join(str(day) for day in days)


class RespondentForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Unit"), required=False)
    # No role is chosen for the user: a silent first choice ("Politician") skews the comparison.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose the person's role.")},
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], unit_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = units
        unit_field.required = unit_required


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: email, unit, role, language (or e-post, enhet, roll, språk). "
            "At most 2 MB and 10,000 rows."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files.")
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV file (.csv) or an Excel file (.xlsx)."))
        return upload


class WindowForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    opens_on = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = units
