"""Fixtures the privacy tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from mognad.orgs.models import Organization, Unit
from mognad.privacy.tests.builders import answered_measurement
from mognad.surveys.models import Measurement


@pytest.fixture
def in_english() -> Iterator[None]:
    """The messages are checked in English (Swedish is the default language); a module uses it
    with `pytestmark = pytest.mark.usefixtures("in_english")`."""
    with translation.override("en"):
        yield


@pytest.fixture
def identified(ankeby: Organization, social_services: Unit, education: Unit) -> Measurement:
    """Ankeby 2026, identified and closed: Sara and Eero answered, Ulf did not."""
    return answered_measurement(ankeby, [social_services, education], anonymous=False)
