"""The plan's forms: one action, the proposals to pick from, a status change.

The forms only read what was written; the rules an action keeps are the actions' (`actions.py`),
which refuse with a message on the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Unit, User
from mognad.plans.actions import ActionFields
from mognad.plans.models import PlannedAction
from mognad.plans.queries import Proposal


class MemberField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"),
        help_text=_("The capabilities the action is to raise (one or more)."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_effect = forms.CharField(
        label=_("Expected effect"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label=_("Owner"),
        required=False,
        max_length=200,
        help_text=_("A name or a role, e.g. “IT-chef”."),
    )
    owner_user = MemberField(
        label=_("Owner among the members"), required=False, queryset=User.objects.none()
    )
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    due = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=PlannedAction.Status.choices)

    def __init__(
        self,
        *args: Any,
        capabilities: dict[str, str],
        units: QuerySet[Unit],
        members: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["capabilities"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(capabilities.items())
        unit_field = self.fields["unit"]
        owner_field = self.fields["owner_user"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        assert isinstance(owner_field, forms.ModelChoiceField)
        unit_field.queryset = units
        owner_field.queryset = members

    def fields_for_action(self, origin: str = PlannedAction.Origin.OWN) -> ActionFields:
        return ActionFields.of({**self.cleaned_data, "origin": origin})

    @staticmethod
    def initial_of(action: PlannedAction) -> dict[str, Any]:
        return {
            "title": action.title,
            "capabilities": list(action.capabilities),
            "description": action.description,
            "expected_effect": action.expected_effect,
            "owner": action.owner,
            "owner_user": action.owner_user_id,
            "unit": action.unit_id,
            "start": action.start,
            "due": action.due,
            "status": action.status,
        }


class ProposalForm(forms.Form):
    """One proposal: take it or not, and its title, capability, owner and due date."""

    take = forms.BooleanField(label=_("Take into the plan"), required=False)
    title = forms.CharField(
        label=_("Action"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    capability = forms.ChoiceField(label=_("Capability"))
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    due = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args: Any, capabilities: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["capability"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(capabilities.items())

    @staticmethod
    def initial_of(proposal: Proposal) -> dict[str, Any]:
        return {"title": proposal.title, "capability": proposal.capability_id}

    def fields_for_action(self) -> ActionFields:
        data = self.cleaned_data
        return ActionFields.of(
            {
                "title": data["title"],
                "capabilities": [data["capability"]],
                "owner": data["owner"],
                "due": data["due"],
                "origin": PlannedAction.Origin.SUGGESTION,
            }
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlannedAction.Status.choices)
