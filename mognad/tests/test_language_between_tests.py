"""Every test starts in the default language, whatever language the test before it asked for
(the autouse fixture `_default_language` in mognad/conftest.py). The two tests run in this order
in one process (`-p no:xdist`); without the fixture the second fails."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from mognad.results.wording import number


def test_a_request_in_english_leaves_english_active_in_the_thread(client, db):
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert translation.get_language() == "en"  # what the fixture undoes after the test


def test_the_next_test_starts_in_the_default_language():
    assert translation.get_language() == settings.LANGUAGE_CODE == "sv"
    assert number(0.125, 2) == "0,13"
