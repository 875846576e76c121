"""The import's words: roles named as the drop-down names them (and accepted under those names in
both languages), counts in agreement ("1 ny respondent", "1 rad med fel")."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mognad.surveys.forms import RespondentForm
from mognad.surveys.importing import check_rows, read_rows, unit_lookup
from mognad.surveys.models import Role


def _url(measurement):
    return f"/measurements/{measurement.pk}/respondents/import/"


def test_the_help_names_the_roles_as_the_drop_down_does(alice_client, measurement):
    text = alice_client.get(_url(measurement)).content.decode()
    with translation.override("sv"):
        drop_down = [
            str(label) for value, label in RespondentForm.base_fields["role"].choices if value
        ]
    assert drop_down and all(label in text for label in drop_down)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_role_name_of_the_drop_down_can_be_imported(language):
    with translation.override(language):
        names = [str(label) for _value, label in Role.choices]
    rows = "email;role\n" + "".join(f"p{i}@ankeby.se;{name}\n" for i, name in enumerate(names))
    preview = check_rows(
        read_rows("people.csv", rows.encode()),
        units=unit_lookup([]),
        allowed_unit_ids=None,
        existing={},
        default_language="sv",
    )
    assert preview.errors == []
    assert [row.role for row in preview.rows] == [value for value, _label in Role.choices]


def test_the_preview_counts_agree_in_number(alice_client, measurement):
    data = b"email;role\nny@ankeby.se;Chef\nfel;Chef\n"
    page = alice_client.post(_url(measurement), {"file": SimpleUploadedFile("a.csv", data)})
    text = " ".join(page.content.decode().split())
    assert "1 ny respondent," in text and "1 rad med fel." in text
    assert "respondenter" not in text.split("1 ny respondent,")[1][:5]
