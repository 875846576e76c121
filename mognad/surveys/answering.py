"""Answering: a respondent's response found or started, answers saved, the response submitted.

The answering pages (views/answering.py) and the API call these; like actions.py they run in a
transaction and refuse with `ActionError` (`NotStarted` when there is no response to save into).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mognad.instrument.scale import ANSWER_VALUES
from mognad.platform.actions import ActionError
from mognad.surveys.models import Answer, Measurement, Respondent, Response


def start_response(
    measurement: Measurement,
    *,
    key: str,
    respondent: Respondent | None,
    channel: str,
    unit_id: int | None = None,
    role: str = "",
) -> Response:
    """The response behind a link: found by its key, created on first use (two tabs share it).
    An open-link respondent may give their own unit and role (checked by the caller)."""
    response = Response.objects.filter(response_key=key).first()
    if response is not None:
        return response
    if respondent is not None:
        unit_id, role = respondent.unit_id, respondent.role
    language = respondent.language if respondent else measurement.language
    try:
        with transaction.atomic():
            response = Response.objects.create(
                measurement=measurement,
                respondent=respondent if respondent and not measurement.anonymous else None,
                response_key=key,
                channel=channel,
                unit_id=unit_id,
                role=role,
                language=language,
            )
            if respondent is not None and respondent.status in (
                Respondent.Status.PENDING,
                Respondent.Status.INVITED,
            ):
                Respondent.objects.filter(pk=respondent.pk).update(status=Respondent.Status.STARTED)
    except IntegrityError:
        response = Response.objects.get(response_key=key)
    return response


class NotStarted(ActionError):
    """There is no response behind the key yet: the respondent has to start answering first."""


@transaction.atomic
def save_answers(
    response: Response | str,
    answers: Mapping[int, int],
    *,
    measurement: Measurement | None = None,
) -> int:
    """Upsert answers by InstrumentItem id; idempotent. Values are points of the scale or DONT_KNOW.

    `response` is the response or its key within `measurement` (the answering pages pass the key,
    which saves them a query). The response row is locked, so a save and a submit never interleave.
    """
    for value in answers.values():
        if value not in ANSWER_VALUES:
            raise ActionError(_("An answer was outside the scale."))
    rows = Response.objects.select_for_update().only("pk", "state")
    if isinstance(response, Response):
        rows = rows.filter(pk=response.pk)
    else:
        rows = rows.filter(response_key=response, measurement=measurement)
    locked = next(iter(rows[:1]), None)
    if locked is None:
        raise NotStarted(_("Start answering first."))
    if locked.is_submitted():
        raise ActionError(_("These answers have already been submitted."))
    Answer.objects.bulk_create(
        [Answer(response=locked, item_id=item, value=value) for item, value in answers.items()],
        update_conflicts=True,
        unique_fields=["response", "item"],
        update_fields=["value"],
    )
    return len(answers)


@transaction.atomic
def submit_response(response: Response, *, respondent: Respondent | None) -> bool:
    """Submit; a second submit changes nothing. Returns True when this call submitted."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.is_submitted():
        return False
    locked.state = Response.State.SUBMITTED
    locked.save(update_fields=["state"])
    if respondent is not None:
        Respondent.objects.filter(pk=respondent.pk).update(status=Respondent.Status.COMPLETED)
    response.state = locked.state
    return True
