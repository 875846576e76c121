"""Workflows of the example library and the result dialogue.

Each action takes the acting user as `by=`, runs in one transaction, writes an audit event and
refuses with `ActionError`. Who may call which action is checked by the views through
`mognad.examples.access` (key users write their organization's examples, the national coordinator
reviews); the actions check the state the example is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.examples import notify, released
from mognad.examples.models import Conclusion, Example
from mognad.instrument.language import active_language
from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, User
from mognad.plans import actions as plan_actions
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.platform.actions import ActionError
from mognad.surveys.models import Measurement


@dataclass(frozen=True)
class ExampleText:
    """What a key user writes about an example."""

    title: str
    what_was_done: str
    effort: str
    contact_role: str
    capabilities: list[str]
    named: bool
    year: int


def _check(org: Organization, text: ExampleText) -> None:
    """The year must have released results; the capabilities must be the year's instrument's; an
    unnamed example must not name the organization in its words."""
    span = released.years(org, text.year)
    if span.before is None:
        raise ActionError(
            _("%(name)s has no results for %(year)s. Choose a year with results.")
            % {"name": org.name, "year": text.year},
            field="year",
        )
    if not text.capabilities:
        raise ActionError(_("Choose at least one capability."), field="capabilities")
    unknown = set(text.capabilities) - released.capability_ids(span.before.instrument.definition())
    if unknown:
        raise ActionError(
            _("These are not capabilities of the year's questionnaire: %(ids)s.")
            % {"ids": ", ".join(sorted(unknown))},
            field="capabilities",
        )
    if not text.named and names_organization(org, text):
        raise ActionError(
            _(
                "The example is not to show the organization's name, but the text mentions "
                "“%(name)s”. Remove the name, or choose to be named."
            )
            % {"name": org.name},
            field="what_was_done",
        )


def names_organization(org: Organization, text: ExampleText) -> bool:
    """Whether the example's words contain the organization's name (or the name without its
    kind, "Ankeby" of "Ankeby kommun"), ignoring case and spacing."""
    words = " ".join(f"{text.title} {text.what_was_done} {text.contact_role}".split()).casefold()
    full = " ".join(org.name.split()).casefold()
    short = full.split(" ")[0] if " " in full else full
    candidates = {full} | ({short} if len(short) >= 4 else set())
    return any(candidate and candidate in words for candidate in candidates)


def _apply(example: Example, text: ExampleText) -> None:
    example.title = text.title.strip()
    example.what_was_done = text.what_was_done.strip()
    example.effort = text.effort
    example.contact_role = text.contact_role.strip()
    example.capabilities = sorted(set(text.capabilities))
    example.named = text.named
    example.year = text.year


def _check_source(org: Organization, action: PlannedAction | None) -> None:
    if action is None:
        return
    if action.plan.organization_id != org.pk:
        raise ActionError(_("The action belongs to another organization."))
    if not action.is_completed():
        raise ActionError(
            _("Only a completed action can become an example; “%(title)s” is not done yet.")
            % {"title": action.title}
        )


@transaction.atomic
def create_example(
    org: Organization,
    text: ExampleText,
    *,
    by: User,
    source_action: PlannedAction | None = None,
) -> Example:
    """A draft example of the organization (from one of its completed planned actions, if
    given)."""
    _check(org, text)
    _check_source(org, source_action)
    example = Example(organization=org, created_by=by, source_action=source_action)
    _apply(example, text)
    example.save()
    audit("example.created", by=by, organization=org, target=example.title)
    return example


@transaction.atomic
def update_example(example: Example, text: ExampleText, *, by: User) -> Example:
    if not example.can_be_edited():
        raise ActionError(
            _("Only a draft or a returned example can be changed; this one is %(status)s.")
            % {"status": example.get_status_display().lower()}
        )
    _check(example.organization, text)
    _apply(example, text)
    example.save()
    audit("example.changed", by=by, organization=example.organization, target=example.title)
    return example


@transaction.atomic
def submit_example(example: Example, *, by: User) -> Example:
    """Send the example to the national coordinator. Its figures are copied from the released
    results now, and only if the organization agreed to be named."""
    example = Example.objects.select_for_update().get(pk=example.pk)
    if not example.can_be_edited():
        raise ActionError(_("The example has already been sent for review."))
    span = released.years(example.organization, example.year)
    if span.before is None:
        raise ActionError(_("There are no results for %(year)s any more.") % {"year": example.year})
    example.maturity_type = released.maturity_type(span.before)
    example.figures = (
        released.before_and_after(span, list(example.capabilities)) if example.named else {}
    )
    example.status = Example.Status.SUBMITTED
    example.submitted_at = timezone.now()
    example.coordinator_note = ""
    example.save()
    audit("example.submitted", by=by, organization=example.organization, target=example.title)
    notify.example_waiting(example)
    return example


def _reviewable(example: Example, by: User) -> Example:
    if not by.is_coordinator:
        raise ActionError(_("Only the national coordinator reviews examples."))
    locked = Example.objects.select_for_update().get(pk=example.pk)
    if locked.status != Example.Status.SUBMITTED:
        raise ActionError(_("The example is not waiting for review."))
    return locked


@transaction.atomic
def approve_example(example: Example, *, by: User, note: str = "") -> Example:
    """Publish the example to every organization."""
    example = _reviewable(example, by)
    example.status = Example.Status.APPROVED
    example.coordinator_note = note.strip()
    example.reviewed_at = timezone.now()
    example.save()
    audit("example.approved", by=by, organization=example.organization, target=example.title)
    notify.example_reviewed(example)
    return example


@transaction.atomic
def reject_example(example: Example, *, by: User, note: str) -> Example:
    """Return the example to its organization with the reason."""
    if not note.strip():
        raise ActionError(_("Say why the example is returned."), field="note")
    example = _reviewable(example, by)
    example.status = Example.Status.REJECTED
    example.coordinator_note = note.strip()
    example.reviewed_at = timezone.now()
    example.save()
    audit("example.rejected", by=by, organization=example.organization, target=example.title)
    notify.example_reviewed(example)
    return example


@transaction.atomic
def delete_example(example: Example, *, by: User) -> None:
    """Remove the example (also a published one: the organization may take it down)."""
    audit(
        "example.deleted",
        by=by,
        organization=example.organization,
        target=example.title,
        seed_key=example.seed_key,  # a demo example removed is not seeded again
    )
    example.delete()


@transaction.atomic
def save_conclusions(
    measurement: Measurement, conclusions: dict[str, str], *, by: User
) -> list[Conclusion]:
    """Store the dialogue's conclusions per capability (an empty text removes the conclusion; a
    planned action made from it stays in the plan)."""
    known = released.capability_ids(measurement.instrument.definition())
    unknown = set(conclusions) - known
    if unknown:
        raise ActionError(
            _("These are not capabilities of the year's questionnaire: %(ids)s.")
            % {"ids": ", ".join(sorted(unknown))}
        )
    kept = []
    for capability, text in sorted(conclusions.items()):
        words = text.strip()
        if words:
            found, _created = Conclusion.objects.update_or_create(
                organization=measurement.organization,
                measurement=measurement,
                capability=capability,
                defaults={"text": words, "created_by": by},
            )
            kept.append(found)
        else:
            Conclusion.objects.filter(measurement=measurement, capability=capability).delete()
    audit(
        "dialogue.conclusions_saved",
        by=by,
        organization=measurement.organization,
        target=str(measurement.year),
        conclusions=len(kept),
    )
    return kept


@transaction.atomic
def conclusion_to_action(conclusion: Conclusion, *, by: User) -> PlannedAction:
    """Turn a conclusion into a planned action (origin "dialogue") in the plan of the results'
    year; the plan is created if the year has none yet."""
    conclusion = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
    if conclusion.planned_action_id is not None:
        raise ActionError(_("The conclusion is already an action in the plan."))
    measurement = conclusion.measurement
    names = {c.id: c.name for c in measurement.instrument.definition().capabilities}
    found = names.get(conclusion.capability)
    name = found.get(active_language()) if found else conclusion.capability
    first_line = conclusion.text.strip().splitlines()[0] if conclusion.text.strip() else ""
    fields = plan_actions.ActionFields.of(
        {
            "title": f"{name}: {first_line}"[:200] if first_line else name[:200],
            "description": conclusion.text,
            "capabilities": [conclusion.capability],
            "origin": PlannedAction.Origin.DIALOGUE,
        }
    )
    plan = ActionPlan.objects.filter(
        organization=conclusion.organization, year=measurement.year
    ).first()
    if plan is None:
        plan = plan_actions.create_plan(measurement, by=by, actions=[fields])
        action = plan.actions.get()
    else:
        action = plan_actions.add_action(plan, fields, by=by)
    conclusion.planned_action = action
    conclusion.save(update_fields=["planned_action", "updated_at"])
    audit(
        "dialogue.conclusion_planned",
        by=by,
        organization=conclusion.organization,
        target=action.title,
        year=measurement.year,
    )
    return action
