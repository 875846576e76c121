"""The accessibility statement (/accessibility/): public, bilingual, the operator's details from the
privacy settings that the coordinator edits (audited); nobody else can edit them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from mognad.orgs.models import AuditEvent
from mognad.privacy.models import PrivacySettings

pytestmark = pytest.mark.django_db

URL = "/accessibility/"
SETTINGS = "/privacy/settings/"
VALID = {
    "operator_name": "Myndigheten för digital förvaltning",
    "contact_email": "dataskydd@digg.example",
    "dpo_name": "",
    "dpo_email": "",
    "legal_basis_sv": "",
    "legal_basis_en": "",
    "extra_text_sv": "",
    "extra_text_en": "",
    "accessibility_email": "tillganglighet@digg.example",
    "accessibility_phone": "08-123 45 67",
    "accessibility_assessed_on": "2026-11-30",
}


def _english(client):
    client.cookies["mognad_language"] = "en"
    return client


def test_anybody_reads_the_statement_in_swedish_with_digg_structure(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in [
        "<h1>Tillgänglighetsredogörelse</h1>",
        "<h2>Hur tillgänglig är tjänsten?</h2>",
        "<h2>Innehåll som inte är tillgängligt</h2>",
        "<h2>Rapportera ett problem eller be om innehåll i en annan form</h2>",
        "<h2>Tillsyn</h2>",
    ]:
        assert heading in html
    assert "delvis förenlig" in html and "WCAG" in html and "EN 301 549" in html
    assert "1280 och 360 pixlars" in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    # Nothing filled in yet: the statement says so instead of inventing details.
    assert html.count("Uppgift saknas – kontakta den nationella samordnaren.") >= 3
    assert "mailto:" not in html


def test_the_statement_in_english(client):
    html = _english(client).get(URL).content.decode()
    assert "<h1>Accessibility statement</h1>" in html
    assert "partially compliant" in html
    assert "Agency for Digital Government" in html


def test_the_statement_shows_the_operators_details(client):
    PrivacySettings.objects.create(
        operator_name="Ankeby kommun",
        contact_email="dataskydd@ankeby.example",
        accessibility_phone="08-123 45 67",
        accessibility_assessed_on=datetime.date(2026, 11, 30),
        updated_at=timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0)),
    )
    html = client.get(URL).content.decode()
    assert "Ankeby kommun står bakom" in html
    # Without its own address, problems go to the general contact address.
    assert 'href="mailto:dataskydd@ankeby.example"' in html
    assert "08-123 45 67" in html
    assert '<time datetime="2026-11-30">' in html
    assert '<time datetime="2026-12-01">' in html
    assert "Uppgift saknas" not in html


def test_a_separate_accessibility_address_wins(client):
    PrivacySettings.objects.create(
        operator_name="Ankeby kommun",
        contact_email="dataskydd@ankeby.example",
        accessibility_email="tillganglighet@ankeby.example",
    )
    html = client.get(URL).content.decode()
    assert 'href="mailto:tillganglighet@ankeby.example"' in html
    assert "mailto:dataskydd@ankeby.example" not in html


@pytest.mark.parametrize("address", ["/", "/accounts/login/", "/privacy/", "/no-such-page/"])
def test_every_page_links_the_statement_from_its_footer(client, address):
    html = client.get(address).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert re.search(r'<a href="/accessibility/">Tillgänglighet</a>', footer), address


def test_a_logged_in_page_links_it_too(alice_client):
    html = alice_client.get("/").content.decode()
    assert '<a href="/accessibility/">' in html[html.index("<footer") :]


def test_the_coordinator_edits_the_details_and_it_is_audited(nadia_client, nadia, client):
    response = nadia_client.post(SETTINGS, VALID)
    assert response.status_code == 302
    saved = PrivacySettings.objects.get()
    assert saved.accessibility_email == "tillganglighet@digg.example"
    assert saved.accessibility_phone == "08-123 45 67"
    assert saved.accessibility_assessed_on == datetime.date(2026, 11, 30)
    [event] = AuditEvent.objects.filter(action="privacy.settings_updated")
    assert event.actor == nadia
    assert {"accessibility_email", "accessibility_phone", "accessibility_assessed_on"} <= set(
        event.details["changed"]
    )
    html = client.get(URL).content.decode()
    assert 'href="mailto:tillganglighet@digg.example"' in html
    assert '<time datetime="2026-11-30">' in html
    # The coordinator is offered the edit link on the statement; visitors are not.
    assert SETTINGS not in html
    assert SETTINGS in nadia_client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"accessibility_email": "nope@"}, "Ange en e-postadress, till exempel tillganglighet@"),
        ({"accessibility_phone": "ring mig"}, "Ange ett telefonnummer med siffror"),
        ({"accessibility_phone": "<script>"}, "Ange ett telefonnummer med siffror"),
        ({"accessibility_assessed_on": "30/11/2026"}, "Ange ett datum, till exempel 2026-12-07."),
        (
            {"accessibility_assessed_on": "2999-01-01"},
            "Granskningsdatumet kan inte ligga i framtiden",
        ),
    ],
)
def test_bad_details_are_refused_with_a_clear_message_and_nothing_changes(
    nadia_client, changes, message
):
    response = nadia_client.post(SETTINGS, {**VALID, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PrivacySettings.objects.exists()
    assert not AuditEvent.objects.filter(action="privacy.settings_updated").exists()


@pytest.mark.parametrize("persona", ["alice_client", "bob_client", "victor_client"])
def test_nobody_but_the_coordinator_can_edit(request, persona):
    someone = request.getfixturevalue(persona)
    assert someone.get(SETTINGS).status_code == 404
    assert someone.post(SETTINGS, VALID).status_code == 404
    assert not PrivacySettings.objects.exists()


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.post(SETTINGS, VALID)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not PrivacySettings.objects.exists()
