"""A demo measurement for `make run`: open, with a few respondents whose links can be printed.

Called by the demo setup (mognad/demo). It only ever creates: the demo measurement is made (and
opened, which invites its respondents) once, when this year has none. Running it again never
changes what a user did since – a measurement the user closed stays closed, respondents the user
removed stay removed, nobody is invited again (issue 13) – and prints the links that still work
(recomputed from the stored nonces, never stored).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import Organization, Unit
from mognad.surveys import actions
from mognad.surveys.models import Measurement, Respondent, Role

DEMO_RESPONDENTS = [
    ("anna.chef@demo.mognad.se", Role.MANAGER, "sv"),
    ("bo.strateg@demo.mognad.se", Role.STRATEGIST, "sv"),
    ("cecilia.it@demo.mognad.se", Role.IT, "sv"),
    ("david.staff@demo.mognad.se", Role.STAFF, "en"),
    ("eva.politiker@demo.mognad.se", Role.POLITICIAN, "sv"),
]


@transaction.atomic
def ensure_demo_measurement(org: Organization) -> list[tuple[str, str]]:
    """(who, link) for each demo respondent and the open link of this year's demo measurement."""
    year = timezone.localdate().year
    instrument = InstrumentVersion.latest()
    measurement = Measurement.objects.filter(organization=org, year=year).first()
    if measurement is None:
        measurement = _create_and_open(org, year, instrument)
    links = [
        (respondent.email, actions.link_for(respondent))
        for respondent in measurement.respondents.exclude(nonce=None).order_by("email")
    ]
    token = actions.open_link_token(measurement) if measurement.is_open() else None
    if token:
        links.append(("open link", f"{settings.BASE_URL}/o/{token}/"))
    return links


def _create_and_open(org: Organization, year: int, instrument: InstrumentVersion) -> Measurement:
    measurement = Measurement.objects.create(
        organization=org,
        year=year,
        instrument=instrument,
        invitation_mode=Measurement.InvitationMode.BOTH,
        anonymous=True,
        intro_sv="Det här är en demomätning: svara gärna som om du arbetade i Ankeby kommun.",
        intro_en="This is a demo measurement: answer as if you worked in Ankeby kommun.",
    )
    units = list(Unit.objects.filter(organization=org).order_by("path"))
    for index, (email, role, language) in enumerate(DEMO_RESPONDENTS):
        Respondent.objects.create(
            measurement=measurement,
            email=email,
            role=role,
            language=language,
            unit=units[index % len(units)] if units else None,
        )
    return actions.open_measurement(measurement, by=None)
