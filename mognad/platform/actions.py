"""The shape every action shares: one error type, and one way for a view to run an action.

An action is a verb in `<app>/actions.py` (or a named module beside it) that takes the acting
user as keyword-only `by=`, runs in a transaction, writes an audit event and raises `ActionError`
for what is not allowed now. Its message is for the person in front of the page; `field` names
the form field it concerns, when there is one.

A view runs an action through `run_action`, which turns a refusal into an error on the form (on
`field`, or the form as a whole) or, without a form, into a message on the next page:

    done = run_action(lambda: actions.update_settings(m, by=user, **data), form=form)
    if done.ok:
        messages.success(request, _("The settings were saved."))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

T = TypeVar("T")


class ActionError(Exception):
    """An action refused: a message a person can act on, and the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Done(Generic[T]):
    """What running an action gave: its value, or the error that refused it."""

    value: T | None = None
    error: ActionError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_action(
    action: Callable[[], T],
    *,
    form: forms.BaseForm | None = None,
    request: HttpRequest | None = None,
    field: str | None = None,
) -> Done[T]:
    """Run `action`; a refusal becomes a form error (on the error's field if the form has it,
    else on `field`, else the whole form) or, without a form, an error message for `request`."""
    try:
        return Done(value=action())
    except ActionError as error:
        if form is not None:
            target = error.field if error.field in form.fields else field
            form.add_error(target, error.message)
        elif request is not None:
            messages.error(request, error.message)
        return Done(error=error)
