"""`mognad demo setup` (what `make run` calls): instrument, logins, a population, and Ankeby kommun
with several years of results and an open measurement whose links work; running it twice is fine."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from mognad.demo.models import GeneratedOrganization
from mognad.demo.tests.helpers import NOW, demo_for_module, run_demo_setup
from mognad.demo.tests.test_generated_population import benchmark_years
from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import Membership, Organization, User
from mognad.results.disclosure.audit import audit_measurement
from mognad.results.models import Benchmark, MeasurementResult
from mognad.surveys.models import Answer, Measurement

POPULATION = 10  # the real default is larger; ten give peer groups the door releases


def _setup() -> str:
    return run_demo_setup(POPULATION)


@pytest.fixture(scope="module")
def first_output(django_db_setup, django_db_blocker):
    with demo_for_module(django_db_blocker, POPULATION) as output:
        yield output


@pytest.fixture(autouse=True)
def november_2026(settings):
    settings.BASE_URL = "http://testserver"
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_publishes_the_default_instrument_and_prints_the_four_logins(db, first_output):
    output = first_output
    assert InstrumentVersion.objects.filter(slug="standard", version="2026.1").exists()
    assert "http://127.0.0.1:8000/" in output
    assert User.objects.get(email="samordnare@demo.mognad.se").is_coordinator
    roles = {
        m.user.email: (m.role, m.unit.name if m.unit else None)
        for m in Membership.objects.select_related("user", "unit")
    }
    assert roles == {
        "nyckelanvandare@demo.mognad.se": (Membership.Role.KEY_USER, None),
        "enhetsadmin@demo.mognad.se": (Membership.Role.UNIT_ADMIN, "Socialförvaltningen"),
        "lasare@demo.mognad.se": (Membership.Role.VIEWER, None),
    }
    for email in ["samordnare@demo.mognad.se", *roles]:
        assert f"{email} / demo-mognad-2026" in output


def test_the_logins_work(db, first_output):
    client = Client()
    assert client.login(username="nyckelanvandare@demo.mognad.se", password="demo-mognad-2026")


def test_ankeby_has_five_years_of_results_and_an_open_measurement_this_year(db, first_output):
    output = first_output
    ankeby = Organization.objects.get(slug="ankeby-kommun")
    closed = Measurement.objects.filter(organization=ankeby, state=Measurement.State.CLOSED)
    assert sorted(closed.values_list("year", flat=True)) == [2021, 2022, 2023, 2024, 2025]
    for measurement in closed:
        organization = measurement.results.get(group_kind=MeasurementResult.GroupKind.ORGANIZATION)
        assert organization.respondents >= 20
        # Units and roles cut across each other: the door withholds what would single people
        # out (how much depends on the generated answers and ids, which differ between databases
        # and runs), and the audit finds nothing that could be worked out.
        assert audit_measurement(measurement).exposed == []
    assert MeasurementResult.objects.filter(measurement__in=closed, group_kind="unit").exists()
    current = Measurement.objects.get(organization=ankeby, year=2026)
    assert current.is_open()
    assert "Ankeby kommun: closed measurements 2021–2025, an open measurement 2026" in output
    # Ankeby is the demo organization, not generated data: `--replace` leaves it alone.
    assert not GeneratedOrganization.objects.filter(organization=ankeby).exists()


def test_examples_of_several_organizations_are_published_from_real_rises(db, first_output):
    from mognad.examples.models import Example

    examples = Example.objects.filter(status=Example.Status.APPROVED).exclude(seed_key="")
    assert examples.count() >= 5
    assert len({e.organization_id for e in examples}) >= 3
    assert not examples.filter(organization__slug="ankeby-kommun").exists()
    assert f"Examples from other organizations: {examples.count()} published" in first_output


def test_the_printed_respondent_links_open_the_questionnaire(db, first_output):
    output = first_output
    links = re.findall(r"http://testserver(/[ro]/[A-Za-z0-9_-]{43}/)", output)
    assert len(links) >= 3
    for link in links:
        assert Client().get(link).status_code == 200


def test_a_population_is_generated_so_national_figures_and_peers_have_data(db, first_output):
    output = first_output
    assert GeneratedOrganization.objects.count() == POPULATION
    generated = Measurement.objects.filter(
        organization__in=GeneratedOrganization.objects.values("organization")
    )
    first = generated.order_by("year").first()
    assert f"Population: {POPULATION} generated organizations ({first.year}–2026)" in output
    assert generated.filter(state=Measurement.State.CLOSED).count() == generated.count() > 0
    assert Answer.objects.filter(response__measurement__in=generated).exists()
    years = benchmark_years()
    assert years  # peers have data
    assert set(Benchmark.objects.values_list("year", flat=True)) == years


def test_running_it_twice_changes_nothing_and_prints_the_same(db, first_output):
    first = first_output
    counts = [
        model.objects.count()
        for model in (User, Membership, InstrumentVersion, Organization, Measurement, Answer)
    ]
    assert _setup() == first
    assert [
        model.objects.count()
        for model in (User, Membership, InstrumentVersion, Organization, Measurement, Answer)
    ] == counts


def test_running_it_again_never_changes_what_a_user_did(db, first_output):
    """`make run` once reopened a measurement its user had closed and re-sent invitations."""
    from mognad.platform.models import OutboxMessage
    from mognad.surveys import actions

    ankeby = Organization.objects.get(slug="ankeby-kommun")
    current = Measurement.objects.get(organization=ankeby, year=2026)
    removed = current.respondents.order_by("email").first()
    actions.remove_respondent(removed, by=None)
    actions.close_measurement(current, by=None)
    Membership.objects.filter(user__email="lasare@demo.mognad.se").delete()
    mails = OutboxMessage.objects.count()

    output = _setup()

    current.refresh_from_db()
    assert current.is_closed()
    assert not current.respondents.filter(email=removed.email).exists()
    assert not current.respondents.exclude(nonce=None).exists()
    assert OutboxMessage.objects.count() == mails
    assert not Membership.objects.filter(user__email="lasare@demo.mognad.se").exists()
    assert "Ankeby kommun: closed measurements 2021–2025, a closed measurement 2026" in output
    assert "Answer Ankeby's open measurement" not in output
    assert not re.findall(r"/[ro]/[A-Za-z0-9_-]{43}/", output)


def test_running_it_again_leaves_a_draft_a_draft(db, first_output):
    from mognad.platform.models import OutboxMessage

    ankeby = Organization.objects.get(slug="ankeby-kommun")
    current = Measurement.objects.get(organization=ankeby, year=2026)
    current.state = Measurement.State.DRAFT
    current.save()
    current.respondents.update(status="pending", nonce=None, token_hash=None)
    mails = OutboxMessage.objects.count()
    output = _setup()
    current.refresh_from_db()
    assert current.is_draft() and OutboxMessage.objects.count() == mails
    assert "a draft measurement 2026" in output
