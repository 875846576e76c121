"""The demo (`mognad demo setup`, what `make run` starts with) shows the national coordinator a
national view with figures and lets them download the status report: logged in as the printed
coordinator login, through the password and the two-factor set-up of a first login."""

from __future__ import annotations

import pyotp
import pytest
import time_machine
from django.test import Client

from mognad.demo.setup import DEMO_PASSWORD
from mognad.demo.tests.helpers import NOW, demo_for_module

POPULATION = 10  # the real default is larger; ten give national figures the door releases
COORDINATOR = "samordnare@demo.mognad.se"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_module(django_db_blocker, POPULATION) as output:
        yield output


@pytest.fixture
def coordinator(db, demo):
    """A browser session of the demo coordinator: password, then the first two-factor set-up."""
    assert f"{COORDINATOR} / {DEMO_PASSWORD}" in demo
    with time_machine.travel(NOW, tick=False):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": COORDINATOR, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get("/accounts/2fa/enroll/").status_code == 200
        secret = client.session["mognad_2fa_enroll_secret"]
        response = client.post("/accounts/2fa/enroll/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        yield client


def test_the_demo_coordinator_sees_national_figures_participation_and_change(coordinator):
    response = coordinator.get("/national/")
    assert response.status_code == 200
    assert response.context["year"] == 2026
    sections = response.context["sections"]
    # Generated organizations measured in 2026; Ankeby's 2026 measurement is still open.
    headline = sections.maturity.headline[0]
    assert headline.score is not None and headline.n > 0
    categories = sections.tree.category_rows
    assert categories and all(row.score is not None for row in categories)
    assert sections.maturity.change is not None and sections.maturity.change.panel > 0
    assert len(sections.maturity.series) >= 5
    assert sections.participation.total.open >= 1
    text = response.content.decode()
    assert "Nationell bild 2026" in text and 'id="chart-categories"' in text


def test_the_demo_coordinator_downloads_the_status_report(coordinator):
    form = coordinator.get("/national/report/")
    years = [year for year, _label in form.context["form"].fields["year"].choices]
    assert years[0] == 2026
    html = coordinator.get(
        "/national/report/", {"year": "2026", "language": "sv", "format": "html"}
    )
    assert html.status_code == 200
    text = html.content.decode()
    assert "Digital mognad i offentlig sektor 2026" in text
    assert "Nationell mognad och dess förändring" in text
    assert 'src="data:image/svg+xml' in text  # the charts
