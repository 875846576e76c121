"""The choices on the results pages (query parameters, so pages can be bookmarked and shared)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Organization
from mognad.results.models import PeerGroup
from mognad.results.wording import municipality_group_name


class PeerForm(forms.Form):
    peer = forms.ChoiceField(label=_("Compare with"), choices=PeerGroup.choices, required=False)


class AllOrganizationsForm(forms.Form):
    node = forms.ChoiceField(label=_("Figure"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organization"), required=False)
    size_class = forms.ChoiceField(label=_("Size class"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    municipality_group = forms.ChoiceField(label=_("Municipality group"), required=False)

    FILTERS = ("kind", "size_class", "county", "municipality_group")

    def __init__(
        self,
        data: Any,
        *,
        nodes: list[tuple[str, str]],
        counties: list[str],
        municipality_groups: list[str],
    ) -> None:
        super().__init__(data)
        everyone = [("", _("All"))]
        self._field("node").choices = nodes
        self._field("kind").choices = everyone + list(Organization.Kind.choices)
        self._field("size_class").choices = everyone + list(Organization.SizeClass.choices)
        self._field("county").choices = everyone + [(c, c) for c in counties]
        # A group by its code and name ("B4 Pendlingskommun nära större stad"), never the bare code.
        self._field("municipality_group").choices = everyone + [
            (g, municipality_group_name(g)) for g in municipality_groups
        ]

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def filters(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in self.FILTERS if self.cleaned_data.get(f)}


def parse_year(raw: str | None) -> int | None:
    """The ?year= parameter: None when absent; ValueError for anything but a plausible year."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValueError(raw)
    return int(raw)
