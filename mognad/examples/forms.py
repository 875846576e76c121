"""Forms of the example library and the result dialogue."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mognad.examples.actions import ExampleText
from mognad.examples.models import Example
from mognad.orgs.models import Organization
from mognad.plans.models import PlannedAction


class ExampleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the example a short title.")},
    )
    what_was_done = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you did, who took part, what it cost and what you would do differently."),
        error_messages={"required": _("Describe what was done.")},
    )
    effort = forms.ChoiceField(
        label=_("Cost and effort"),
        choices=Example.Effort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how large the effort was.")},
    )
    contact_role = forms.CharField(
        label=_("Contact (a role, not a name)"),
        max_length=200,
        help_text=_("For example “IT strategist” or “Head of the digitalization unit”."),
        error_messages={"required": _("Name the role others can ask.")},
    )
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities the action raised"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one capability.")},
    )
    year = forms.TypedChoiceField(
        label=_("Results the action answered (year)"),
        coerce=int,
        error_messages={"required": _("Choose the year of the results.")},
    )
    named = forms.BooleanField(
        label=_("Show our organization's name and our figures before and after"),
        required=False,
        help_text=_(
            "Without this, other organizations see only the kind and size of your organization, "
            "and no figures."
        ),
    )

    def __init__(
        self,
        *args: Any,
        capabilities: list[tuple[str, list[tuple[str, str]]]],
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["capabilities"]).choices = capabilities
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]

    def text(self) -> ExampleText:
        data = self.cleaned_data
        return ExampleText(
            title=data["title"],
            what_was_done=data["what_was_done"],
            effort=data["effort"],
            contact_role=data["contact_role"],
            capabilities=list(data["capabilities"]),
            named=bool(data["named"]),
            year=int(data["year"]),
        )


def initial_from(example: Example) -> dict[str, Any]:
    return {
        "title": example.title,
        "what_was_done": example.what_was_done,
        "effort": example.effort,
        "contact_role": example.contact_role,
        "capabilities": list(example.capabilities),
        "year": example.year,
        "named": example.named,
    }


def initial_from_action(action: PlannedAction) -> dict[str, Any]:
    """A completed planned action's words as the start of an example."""
    words = [action.description.strip(), action.expected_effect.strip()]
    return {
        "title": action.title,
        "what_was_done": "\n\n".join(w for w in words if w),
        "capabilities": list(action.capabilities),
        "year": action.plan.year,
    }


class ReviewForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Publish the example")), (REJECT, _("Return it to the organization"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to publish or return the example.")},
    )
    note = forms.CharField(
        label=_("Note to the organization"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the example is returned: say what to change."),
    )


class SearchForm(forms.Form):
    capability = forms.ChoiceField(label=_("Capability"), required=False)
    maturity_type = forms.ChoiceField(label=_("Maturity type"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organization"), required=False)
    size_class = forms.ChoiceField(label=_("Size class"), required=False)

    def __init__(
        self,
        *args: Any,
        capabilities: list[tuple[str, list[tuple[str, str]]]],
        types: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        choices: dict[str, list[Any]] = {
            "capability": [*every, *capabilities],
            "maturity_type": [*every, *types],
            "kind": [*every, *Organization.Kind.choices],
            "size_class": [*every, *Organization.SizeClass.choices],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options


class ConclusionsForm(forms.Form):
    """One text area per weak capability (fields named by capability id)."""

    def __init__(self, *args: Any, capabilities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for capability_id, name in capabilities:
            self.fields[capability_id] = forms.CharField(
                label=_("Conclusion about %(name)s") % {"name": name},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
