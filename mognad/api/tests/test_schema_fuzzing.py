"""Fuzzing the whole API against its own OpenAPI schema with schemathesis, in-process (WSGI).

Every operation gets generated requests with a valid token (alice, key user of Ankeby kommun);
half of them have their path ids replaced by ids of Ankeby's real objects, so the happy paths are
fuzzed too (query strings and bodies stay generated). Whatever comes in: no 5xx, and every response
has a documented status, content type and a body that conforms to the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mognad.api import auth
from mognad.api.tests.conftest import token_for
from mognad.plans.tests.helpers import a_plan
from mognad.surveys.tests.factories import make_respondent
from mognad.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """Requests go straight to the WSGI app, which closes the database connection after each one
    (`close_old_connections`); Django's test client switches that off, so do the same here, or
    PostgreSQL loses the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(keep_connection, alice, ankeby, results_2026, draft_2027, elder_care, monkeypatch):
    """Real ids: the closed 2026 measurement for results, the 2027 draft for respondents, the
    action plan of 2026 and its action."""
    monkeypatch.setattr(auth, "USER_LIMIT", 100_000)
    respondent = make_respondent(draft_2027, "fuzz@ankeby.se", unit=elder_care)
    plan = a_plan(results_2026, alice, {"title": "Inventera systemen", "unit": elder_care})
    return {
        "year": plan.year,
        "action_id": plan.actions.get().pk,
        "example_id": _published_example(ankeby).pk,
        "token": token_for(alice),
        "slug": ankeby.slug,
        "measurement_id": draft_2027.pk,
        "results:measurement_id": results_2026.pk,
        "respondent_id": respondent.pk,
        # The public open data (year as the plan's; no release is published here: 404).
        "version": 1,
        "name": "datapackage.json",
    }


def _published_example(org):
    from mognad.examples.models import Example

    return Example.objects.create(
        organization=org,
        year=2025,
        title="Systemägare",
        what_was_done="Vi utsåg systemägare.",
        effort=Example.Effort.SMALL,
        contact_role="IT-strateg",
        capabilities=["eff.management"],
        named=True,
        figures={
            "eff.management": {
                "before": 40.0,
                "after": 55.0,
                "before_year": 2025,
                "after_year": 2026,
                "change": 15.0,
                "ci": [5.0, 25.0],
                "significant": True,
            }
        },
        status=Example.Status.APPROVED,
    )


# Loaded from the running app, as a client would (schemathesis' lazy fixture loader does not work
# with pytest 9, so the schema is fetched when the module is collected; it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@schema.given(real_ids=st.booleans())
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_never_fails_and_always_answers_as_its_schema_says(case, real_ids, fuzz_world):
    if real_ids and case.path_parameters:
        for name in case.path_parameters:
            specific = f"results:{name}" if case.path.endswith("/results/") else name
            case.path_parameters[name] = fuzz_world.get(specific, fuzz_world[name])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_world['token']}"},
        checks=CHECKS,
    )
