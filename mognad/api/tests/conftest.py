"""Fixtures for the API tests: a personal token for each persona and a client that sends it.

`api_as(user)` gives a client whose requests carry `Authorization: Bearer <user's token>`.
Ankeby's 2026 measurement (`results_2026`) is closed with stored results, built by the same code
as a real close: Kommunledningsförvaltningen 8, Socialförvaltningen 6 + Äldreomsorg 7,
Utbildningsförvaltningen 3 (under k = 5, so hidden, and Kommunledningsförvaltningen with it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mognad.api import tokens
from mognad.orgs.models import User
from mognad.results.tests.factories import Answers, closed_measurement
from mognad.surveys.tests.factories import make_measurement


class ApiClient:
    """A test client that sends a bearer token (or none) and JSON bodies.

    It asks for English (`Accept-Language: en`) so tests read the English messages; without the
    header the API answers in Swedish, like the pages.
    """

    def __init__(self, token: str | None, language: str = "en") -> None:
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any = None, *, raw: bytes | None = None) -> Any:
        body = raw if raw is not None else json.dumps(data).encode()
        return self.client.post(path, body, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture(autouse=True)
def _fast_results(settings: Any) -> None:
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5


def token_for(user: User, name: str = "Test") -> str:
    return tokens.create_token(user, name=name, days=30).secret


@pytest.fixture
def api_as() -> Callable[[User], ApiClient]:
    return lambda user: ApiClient(token_for(user))


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)


@pytest.fixture
def management(ankeby: Any) -> Any:
    return ankeby.units.get(name="Kommunledningsförvaltningen")


@pytest.fixture
def results_2026(
    ankeby: Any, management: Any, social_services: Any, elder_care: Any, education: Any
) -> Any:
    return closed_measurement(
        ankeby,
        [
            Answers(4, management, "manager", 4.2),
            Answers(4, management, "top_management", 4.5),
            Answers(6, social_services, "staff", 3.0),
            Answers(7, elder_care, "staff", 2.8),
            Answers(3, education, "it", 4.0),
        ],
        seed=1,
    )


@pytest.fixture
def draft_2027(ankeby: Any) -> Any:
    return make_measurement(ankeby, year=2027)
