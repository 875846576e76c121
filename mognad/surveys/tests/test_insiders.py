"""Insiders: respondents' addresses must belong to the organization's domains (add, import, API),
and roster changes after a measurement opened are recorded and listed on its results overview.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from mognad import test
from mognad.api.tests.conftest import ApiClient, token_for
from mognad.orgs.models import AuditEvent, Membership
from mognad.platform.actions import ActionError
from mognad.privacy.tests.builders import answer
from mognad.surveys import actions, insiders, roster
from mognad.surveys.importing import ImportRow
from mognad.surveys.models import Respondent, RosterChange
from mognad.surveys.tests.factories import close_and_score, make_measurement, make_respondent

REFUSED = (
    "anna@gmail.com är inte en adress hos Ankeby kommun: respondenternas adresser måste sluta på "
    "@ankeby.se. En adress utanför dem kräver ett undantag från en nationell samordnare."
)
REFUSED_EN = (
    "anna@gmail.com is not an address of Ankeby kommun: respondents' addresses must end in "
    "@ankeby.se. An address outside them needs an exception from a national coordinator."
)


def _add(client, measurement, email):
    data = {"email": email, "role": "staff", "language": "sv"}
    return client.post(f"/measurements/{measurement.pk}/respondents/", data)


def _import(client, measurement, emails):
    data = ("email;role\n" + "".join(f"{email};chef\n" for email in emails)).encode()
    url = f"/measurements/{measurement.pk}/respondents/import/"
    return client.post(url, {"file": SimpleUploadedFile("people.csv", data)})


def _add_many(measurement, prefix, count, *, unit, by):
    for n in range(count):
        actions.add_respondent(
            measurement, email=f"{prefix}{n}@ankeby.se", unit=unit, role="it", language="sv", by=by
        )


def test_adding_an_address_outside_the_domains_is_refused_by_name(alice_client, measurement):
    response = _add(alice_client, measurement, "anna@gmail.com")
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not measurement.respondents.exists()
    assert _add(alice_client, measurement, "anna@ankeby.se").status_code == 302


def test_the_import_preview_names_each_address_outside_the_domains(alice_client, measurement):
    preview = _import(alice_client, measurement, ["ok@ankeby.se", "anna@gmail.com"])
    errors = preview.context["preview"].errors
    assert [(e.line, e.reason) for e in errors] == [(3, REFUSED)]
    assert [r.email for r in preview.context["preview"].rows] == ["ok@ankeby.se"]
    assert not measurement.respondents.exists()


def test_importing_checked_rows_checks_the_domains_again(alice, measurement):
    """A preview signed before the domains changed cannot let an address in."""
    rows = [ImportRow(line=2, email="anna@gmail.com", unit_id=None, role="staff", language="sv")]
    with pytest.raises(ActionError, match=r"anna@gmail\.com"):
        actions.import_respondents(measurement, rows, by=alice)
    assert not measurement.respondents.exists()


def test_the_api_refuses_an_address_outside_the_domains_with_the_reason(alice, measurement):
    api = ApiClient(token_for(alice))
    response = api.post(
        f"/api/v1/measurements/{measurement.pk}/respondents/",
        {"email": "anna@gmail.com", "role": "staff", "language": "sv"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "body", "field": "email", "message": REFUSED_EN}
    ]
    assert not measurement.respondents.exists()


def test_a_coordinators_exception_lets_one_address_in(alice, ankeby, measurement):
    ankeby.email_exceptions = "anna@gmail.com"
    ankeby.save()
    actions.add_respondent(
        measurement, email="anna@gmail.com", unit=None, role="staff", language="sv", by=alice
    )
    with pytest.raises(ActionError, match=r"bo@gmail\.com"):
        actions.add_respondent(
            measurement, email="bo@gmail.com", unit=None, role="staff", language="sv", by=alice
        )


def test_without_domains_the_error_says_where_to_set_them(alice, ankeby, measurement):
    ankeby.email_domains = ""
    ankeby.save()
    with override("sv"), pytest.raises(ActionError, match="har inga e-postdomäner ännu"):
        actions.add_respondent(
            measurement, email="anna@ankeby.se", unit=None, role="staff", language="sv", by=alice
        )


# --- Roster changes after opening ----------------------------------------------------------------


def test_changes_before_opening_are_not_recorded(alice, measurement, social_services):
    actions.add_respondent(
        measurement, email="a@ankeby.se", unit=social_services, role="it", language="sv", by=alice
    )
    assert not RosterChange.objects.exists()


def test_changes_after_opening_are_counted_per_unit_kind_and_day(
    alice, open_measurement, social_services, education
):
    _add_many(open_measurement, "ny", 3, unit=social_services, by=alice)
    rows = [
        ImportRow(
            line=2, email="ny3@ankeby.se", unit_id=social_services.pk, role="it", language="sv"
        ),
        ImportRow(line=3, email="sara@ankeby.se", unit_id=education.pk, role="it", language="sv"),
    ]
    assert actions.import_respondents(open_measurement, rows, by=alice) == (1, 1)
    actions.remove_respondent(open_measurement.respondents.get(email="ulf@ankeby.se"), by=alice)
    counts = {
        (c.kind, c.unit.name): c.count
        for c in RosterChange.objects.filter(measurement=open_measurement)
    }
    assert counts == {
        ("added", "Socialförvaltningen"): 4,
        ("moved", "Utbildningsförvaltningen"): 1,
        ("removed", "Utbildningsförvaltningen"): 1,
    }
    with override("sv"):
        described = insiders.describe_changes(open_measurement)
    assert described == (
        "4 respondenter lades till i Socialförvaltningen den 2 mars 2026.",
        "1 respondent flyttades till Utbildningsförvaltningen eller fick en ny roll där den "
        "2 mars 2026.",
        "1 respondent togs bort från Utbildningsförvaltningen den 2 mars 2026.",
    )


def test_the_results_overview_lists_the_roster_changes(
    alice, open_measurement, social_services, time_machine
):
    """The crafted insider: four addresses added to a unit after opening are shown to all."""
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC))
    _add_many(open_measurement, "it", 4, unit=social_services, by=alice)
    for person in open_measurement.respondents.all():  # results are stored for groups of k
        answer(open_measurement, person)
    close_and_score(open_measurement)
    # A day later: the session from before has ended (MOGNAD_SESSION_MAX_HOURS); log in again.
    alice_client = test.logged_in_client(alice)
    html = alice_client.get(f"/orgs/{open_measurement.organization.slug}/results/").content
    text = html.decode()
    assert "Ändringar av respondenterna efter att mätningen öppnades" in text
    assert "4 respondenter lades till i Socialförvaltningen den 3 mars 2026." in text
    alice_client.cookies["mognad_language"] = "en"
    english = alice_client.get(f"/orgs/{open_measurement.organization.slug}/results/")
    english = english.content.decode()
    assert "4 respondents were added to Socialförvaltningen on 3 March 2026." in english


# --- The migration that derives the domains ------------------------------------------------------


def test_the_migration_derives_each_organizations_domains_from_its_people(
    ankeby, bebyholm, measurement
):
    ankeby.email_domains = ""
    ankeby.save()
    make_respondent(measurement, "a@ankeby.se")
    make_respondent(measurement, "b@skola.ankeby.se")
    make_respondent(measurement, "erased:17")
    key_user = test.make_user("kim@kommunen.se")
    test.make_member(key_user, ankeby, Membership.Role.KEY_USER)
    test.make_member(test.make_user("vy@annat.se"), ankeby, Membership.Role.VIEWER)
    migration = importlib.import_module("mognad.surveys.migrations.0009_derive_email_domains")
    migration.derive(apps, None)
    ankeby.refresh_from_db()
    bebyholm.refresh_from_db()
    assert ankeby.email_domains.split("\n") == ["ankeby.se", "kommunen.se", "skola.ankeby.se"]
    assert bebyholm.email_domains == "bebyholm.se"  # set before: left alone
    assert Respondent.objects.filter(email="erased:17").exists()


def test_copying_last_years_people_leaves_out_addresses_outside_the_domains_now(alice, ankeby):
    last_year = make_measurement(ankeby, year=2025)
    make_respondent(last_year, "kvar@ankeby.se")
    make_respondent(last_year, "extern@gmail.com")
    this_year = make_measurement(ankeby, year=2026)
    assert roster.copy_respondents(last_year, this_year, by=alice) == 1
    assert list(this_year.respondents.values_list("email", flat=True)) == ["kvar@ankeby.se"]
    event = AuditEvent.objects.get(action="respondent.copy")
    assert (event.details["copied"], event.details["outside_domains"]) == (1, 1)
