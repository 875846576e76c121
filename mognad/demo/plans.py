"""A plausible action plan for the demo organization (Swedish texts written by us), made from its
results of the year before last, so the plan page shows the follow-up against last year's results
and *Över tid* marks the capabilities it had actions for.

Only created when the organization has no plan for that year: a plan a user made or changed is
never touched (running `mognad demo setup` again changes nothing).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from mognad.orgs.models import Organization
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.results import queries
from mognad.results.figures import ORGANIZATION, MeasurementFigures

# Capability → (title, description, expected effect, owner, status): what a Swedish municipality
# might plausibly do about it in a year. The four weakest of these (by the year's released
# figures) make the plan.
ACTIONS: dict[str, tuple[str, str, str, str, str]] = {
    "eff.management": (
        "Förvaltningsobjekt för alla verksamhetssystem",
        "Varje verksamhetssystem får ett förvaltningsobjekt med objektägare och "
        "förvaltningsledare; förvaltningsplaner tas fram enligt pm3.",
        "Färre system utan ägare och en årlig förvaltningsplan per objekt.",
        "Digitaliseringschef",
        PlannedAction.Status.DONE,
    ),
    "bal.benefits": (
        "Nyttorealisering i varje digitaliseringsprojekt",
        "Projektdirektivet kräver en nyttokalkyl och en namngiven nyttoägare; nyttorna följs upp "
        "ett år efter projektets slut.",
        "Beslut om nya projekt fattas på förväntad nytta, och nyttan följs upp.",
        "Ekonomichef",
        PlannedAction.Status.ONGOING,
    ),
    "tek.debt": (
        "Inventera teknisk skuld i systemkartan",
        "IT-avdelningen går igenom systemkartan och klassar varje system efter ålder, support och "
        "beroenden; en utbytesplan för de tio mest kritiska tas fram.",
        "En prioriterad utbytesplan som budgeteras i nästa års budget.",
        "IT-chef",
        PlannedAction.Status.DONE,
    ),
    "bal.competence": (
        "Kompetensplan för digitalisering",
        "HR och förvaltningarna kartlägger vilken digital kompetens som behövs de kommande "
        "tre åren och planerar rekrytering och utbildning.",
        "Chefer vet vilken kompetens som saknas och hur den ska försörjas.",
        "HR-chef",
        PlannedAction.Status.ONGOING,
    ),
    "inn.users": (
        "Användartester innan nya e-tjänster lanseras",
        "Varje ny e-tjänst testas med minst fem invånare innan den lanseras; resultaten "
        "dokumenteras.",
        "E-tjänster som fler kan använda utan hjälp.",
        "Kommunikationschef",
        PlannedAction.Status.DONE,
    ),
    "org.roles": (
        "Tydliga roller mellan verksamhet och IT",
        "En rollbeskrivning för verksamhetsutvecklare, systemförvaltare och IT-samordnare tas fram "
        "och beslutas i ledningsgruppen.",
        "Färre ärenden som faller mellan stolarna.",
        "Kommundirektör",
        PlannedAction.Status.PLANNED,
    ),
    "tek.integration": (
        "Gemensam integrationsplattform",
        "Punkt-till-punkt-integrationer ersätts stegvis av en integrationsplattform; de fem "
        "viktigaste informationsflödena flyttas först.",
        "Information matas in en gång och når alla system som behöver den.",
        "IT-arkitekt",
        PlannedAction.Status.ONGOING,
    ),
    "eff.security": (
        "Informationsklassning av alla verksamhetssystem",
        "Förvaltningarna klassar informationen i sina system med KLASSA och åtgärdar de brister "
        "som klassningen visar.",
        "Skyddet står i proportion till informationens värde.",
        "Informationssäkerhetssamordnare",
        PlannedAction.Status.DONE,
    ),
}
IN_THE_PLAN = 4


@transaction.atomic
def ensure_demo_plan(org: Organization, current: int) -> str:
    """The plan of the year before last (made from that year's results), unless one exists."""
    measurements = queries.closed_measurements(org)
    year = current - 2
    made_from = next((m for m in measurements if m.year == year), None)
    if made_from is None:
        return "no action plan (no results of the year before last)"
    existing = ActionPlan.objects.filter(organization=org, year=year).first()
    if existing is not None:
        return _describe(existing)
    figures = MeasurementFigures(made_from, queries.results_of(made_from))
    known = {c.id for c in made_from.instrument.definition().capabilities}
    scored = []
    for capability in ACTIONS:
        figure = figures.figure(ORGANIZATION, ("capability", capability))
        if capability in known and figure is not None:
            scored.append((figure.score, capability))
    plan = ActionPlan.objects.create(organization=org, year=year, measurement=made_from)
    for _score, capability in sorted(scored)[:IN_THE_PLAN]:
        title, description, effect, owner, status = ACTIONS[capability]
        PlannedAction.objects.create(
            plan=plan,
            title=title,
            description=description,
            expected_effect=effect,
            owner=owner,
            capabilities=[capability],
            start=datetime.date(year + 1, 1, 15),
            due=datetime.date(year + 1, 11, 30),
            status=status,
            origin=PlannedAction.Origin.SUGGESTION,
            done_at=(
                datetime.datetime(year + 1, 11, 1, tzinfo=datetime.UTC)
                if status == PlannedAction.Status.DONE
                else None
            ),
        )
    return _describe(plan)


def _describe(plan: ActionPlan) -> str:
    return f"an action plan of {plan.year} with {plan.actions.count()} actions"
