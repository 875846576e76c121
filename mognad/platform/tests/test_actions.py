"""platform/actions.py: one error type for refused actions, one helper views run actions with."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from mognad.platform.actions import ActionError, run_action


class _Form(forms.Form):
    email = forms.CharField()
    year = forms.IntegerField()


def _bound_form() -> _Form:
    form = _Form({"email": "a@example.se", "year": "2026"})
    assert form.is_valid()
    return form


def _refuse(message: str, field: str | None = None):
    def action():
        raise ActionError(message, field=field)

    return action


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_an_action_that_succeeds_gives_its_value_and_touches_nothing():
    form, request = _bound_form(), _request()
    done = run_action(lambda: 42, form=form, request=request)
    assert done.ok and done.value == 42 and done.error is None
    assert not form.errors and not list(get_messages(request))


def test_an_action_that_returns_nothing_still_counts_as_done():
    done = run_action(lambda: None)
    assert done.ok and done.value is None


def test_a_refusal_naming_a_field_of_the_form_lands_on_that_field():
    form = _bound_form()
    done = run_action(_refuse("Not this year.", field="year"), form=form, field="email")
    assert not done.ok and done.value is None
    assert form.errors == {"year": ["Not this year."]}


def test_a_refusal_without_a_field_lands_on_the_views_field_or_the_whole_form():
    on_field, whole = _bound_form(), _bound_form()
    run_action(_refuse("Already a respondent."), form=on_field, field="email")
    run_action(_refuse("Closed."), form=whole)
    assert on_field.errors == {"email": ["Already a respondent."]}
    assert whole.non_field_errors() == ["Closed."]


def test_a_refusal_naming_a_field_the_form_lacks_falls_back_to_the_whole_form():
    form = _bound_form()
    run_action(_refuse("Choose a unit.", field="unit"), form=form)
    assert form.non_field_errors() == ["Choose a unit."]


def test_without_a_form_a_refusal_becomes_a_message_on_the_next_page():
    request = _request()
    done = run_action(_refuse("Only an open measurement can be closed."), request=request)
    assert done.error is not None and str(done.error) == "Only an open measurement can be closed."
    assert [str(m) for m in get_messages(request)] == ["Only an open measurement can be closed."]


def test_other_exceptions_are_not_swallowed():
    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_action(broken, form=_bound_form())


def test_the_error_carries_its_message_and_field():
    error = ActionError("Type the name.", field="confirm_name")
    assert (str(error), error.message, error.field) == (
        "Type the name.",
        "Type the name.",
        "confirm_name",
    )
