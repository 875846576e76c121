"""No channel bypasses the disclosure-control door.

The door decides when results are stored; every channel must show only stored (released)
figures. The test walks every route that shows figures of an organization – each results page
(also drilled down to a unit), the CSV and Excel exports, the PDF report, the JSON API – and the
coordinator's national pages, then rewrites every raw answer of the measurements underneath them
(everyone now answers 1 to everything) and walks them again. A channel that computed or hid
anything from the answers themselves would now show something else; every channel must show
exactly the same. The control at the end re-scores through the door and sees the pages change, so
the comparison can fail.

(The research dataset is respondent-level microdata by design and has its own protection; see
docs/privacy.md.)
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from mognad.results.benchmarks import compute_benchmarks
from mognad.results.compute import compute_and_store
from mognad.results.tests.factories import Answers, closed_measurement, peer_organizations
from mognad.surveys.models import Answer

PDFTOTEXT = shutil.which("pdftotext")
# Per-request noise that is not a figure: CSRF tokens, CSP nonces, generated times.
NOISE = re.compile(
    r'(csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|csrftoken=[^;]+|'
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?)"
)


def _pages(slug: str, unit_id: int, year: int) -> list[str]:
    base = f"/orgs/{slug}/results"
    return [
        f"{base}/?year={year}",
        f"{base}/?year={year}&unit={unit_id}",
        f"{base}/categories/?year={year}",
        f"{base}/categories/?year={year}&unit={unit_id}",
        f"{base}/internal/?year={year}",
        f"{base}/internal/?year={year}&unit={unit_id}",
        f"{base}/all/?year={year}",
        f"{base}/over-time/?year={year}",
        f"{base}/suggestions/?year={year}",
        f"{base}/export.csv?year={year}",
        f"{base}/export.xlsx?year={year}",
        f"{base}/report.pdf?year={year}",
    ]


def _content(response) -> str:
    assert response.status_code == 200, response.status_code
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return repr([[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book])
    if "pdf" in kind:
        found = subprocess.run(  # noqa: S603 - a fixed program on bytes we produced
            [PDFTOTEXT or "pdftotext", "-layout", "-", "-"],
            input=body,
            capture_output=True,
            check=True,
        )
        return NOISE.sub("", found.stdout.decode("utf-8"))
    return NOISE.sub("", body.decode("utf-8"))


def _walk(alice_client, nadia_client, api, measurement, unit) -> dict[str, str]:
    seen = {}
    for url in _pages(measurement.organization.slug, unit.pk, measurement.year):
        seen[url] = _content(alice_client.get(url))
    api_url = f"/api/v1/measurements/{measurement.pk}/results/"
    seen[api_url] = _content(api.get(api_url))
    seen[api_url + "unit"] = _content(api.get(f"{api_url}?unit={unit.pk}"))
    for url in (
        "/national/?year=2026",
        "/national/report/?year=2026&language=sv&format=html",
    ):
        seen[url] = _content(nadia_client.get(url))
    return seen


@pytest.fixture
def results_2025(ankeby, management, social_services, elder_care, education):
    return closed_measurement(
        ankeby,
        [
            Answers(8, management, "manager", 3.6),
            Answers(13, social_services, "staff", 2.4),
            Answers(3, education, "it", 3.2),
        ],
        year=2025,
        seed=2,
    )


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils is not installed")
def test_every_channel_shows_only_what_the_door_stored(
    alice, alice_client, nadia_client, api_as, results_2026, results_2025, social_services
):
    peer_organizations(6, named=2)
    compute_benchmarks(2026)
    api = api_as(alice)
    before = _walk(alice_client, nadia_client, api, results_2026, social_services)
    answers = Answer.objects.filter(response__measurement__in=[results_2026, results_2025])
    assert answers.update(value=1) > 0
    after = _walk(alice_client, nadia_client, api, results_2026, social_services)
    changed = [url for url in before if before[url] != after[url]]
    assert changed == []
    # The control: through the door the new answers do change what is shown.
    compute_and_store(results_2026)
    again = _walk(alice_client, nadia_client, api, results_2026, social_services)
    assert (
        again[f"/orgs/{results_2026.organization.slug}/results/?year=2026"]
        != (before[f"/orgs/{results_2026.organization.slug}/results/?year=2026"])
    )
