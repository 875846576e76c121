"""The key user's measurement pages: list and create, overview, settings, open, close, windows."""

import pytest

from mognad.orgs.models import AuditEvent
from mognad.platform.models import OutboxMessage
from mognad.surveys.models import Measurement
from mognad.surveys.tests.factories import make_measurement, make_respondent, standard_instrument

# The steps that mail people or end links are confirmed (views/steps.py).
CONFIRM = {"confirm": "1"}


@pytest.fixture
def draft(ankeby, social_services, education):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    make_respondent(measurement, "ulf@ankeby.se", unit=education, role="it", language="en")
    return measurement


# --- list and create ---


def test_the_key_user_creates_a_draft_measurement_for_this_year(alice_client, ankeby):
    standard_instrument()
    page = alice_client.get(f"/orgs/{ankeby.slug}/measurements/")
    assert page.status_code == 200
    created = alice_client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2026"})
    measurement = Measurement.objects.get()
    assert created["Location"] == f"/measurements/{measurement.pk}/"
    assert (measurement.year, measurement.state, measurement.anonymous) == (2026, "draft", True)
    assert AuditEvent.objects.filter(action="measurement.create").exists()


def test_a_second_measurement_for_the_same_year_is_refused(alice_client, ankeby, draft):
    page = alice_client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2026"})
    assert page.status_code == 400
    assert "2026" in page.context["form"].errors["year"][0]
    assert Measurement.objects.count() == 1


def test_an_earlier_year_cannot_be_chosen(alice_client, ankeby):
    standard_instrument()
    page = alice_client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2025"})
    assert page.status_code == 400
    assert not Measurement.objects.exists()


def test_viewers_and_unit_admins_see_the_list_but_cannot_create(victor_client, bob_client, ankeby):
    standard_instrument()
    for client in (victor_client, bob_client):
        assert client.get(f"/orgs/{ankeby.slug}/measurements/").status_code == 200
        assert (
            client.post(f"/orgs/{ankeby.slug}/measurements/", {"year": "2026"}).status_code == 403
        )
    assert not Measurement.objects.exists()


def test_outsiders_get_404_and_anonymous_visitors_the_login_page(client, charlie_client, ankeby):
    assert charlie_client.get(f"/orgs/{ankeby.slug}/measurements/").status_code == 404
    page = client.get(f"/orgs/{ankeby.slug}/measurements/")
    assert page.status_code == 302 and "login" in page["Location"]


# --- overview ---


def test_the_overview_shows_the_response_rate_by_unit_and_role(alice_client, draft):
    page = alice_client.get(f"/measurements/{draft.pk}/")
    assert page.status_code == 200
    rates = page.context["rates"]
    assert rates.total.total == 2
    assert {r.label for r in rates.by_unit} == {"Socialförvaltningen", "Utbildningsförvaltningen"}
    assert len(rates.by_role) == 2


def test_a_unit_admin_sees_only_the_subtree_in_the_response_rate(bob_client, draft):
    page = bob_client.get(f"/measurements/{draft.pk}/")
    assert page.context["rates"].total.total == 1
    assert not page.context["can_change"]


def test_the_overview_is_404_for_outsiders_and_asks_anonymous_visitors_to_log_in(
    client, charlie_client, draft
):
    assert charlie_client.get(f"/measurements/{draft.pk}/").status_code == 404
    assert client.get(f"/measurements/{draft.pk}/").status_code == 302
    assert charlie_client.get("/measurements/999999/").status_code == 404


# --- settings ---

SETTINGS = {
    "invitation_mode": "both",
    "anonymous": "on",
    "sampling": "whole_group",
    "language": "sv",
    "reminder_days": "14, 7",
    "intro_sv": "Hej!",
    "intro_en": "Hello!",
}


def test_the_key_user_changes_the_settings(alice_client, draft):
    assert alice_client.get(f"/measurements/{draft.pk}/settings/").status_code == 200
    saved = alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS)
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.invitation_mode, draft.reminder_days, draft.intro_sv) == ("both", "7,14", "Hej!")
    assert draft.sampling == "whole_group"


def test_settings_sent_without_who_was_asked_leave_it_as_it_was(alice_client, draft):
    draft.sampling = Measurement.Sampling.UNITS
    draft.save()
    without = {k: v for k, v in SETTINGS.items() if k != "sampling"}
    assert alice_client.post(f"/measurements/{draft.pk}/settings/", without).status_code == 302
    draft.refresh_from_db()
    assert (draft.sampling, draft.invitation_mode) == ("units", "both")


@pytest.mark.parametrize("value", ["census", "WHOLE_GROUP", "sample "])
def test_an_unknown_sampling_is_refused_and_changes_nothing(alice_client, draft, value):
    page = alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS | {"sampling": value})
    assert page.status_code == 400
    assert "sampling" in page.context["form"].errors
    draft.refresh_from_db()
    assert (draft.sampling, draft.invitation_mode) == ("sample", "email")


def test_bad_reminder_days_are_refused_with_a_clear_message(alice_client, draft):
    page = alice_client.post(
        f"/measurements/{draft.pk}/settings/", SETTINGS | {"reminder_days": "7,x"}
    )
    assert page.status_code == 400
    assert "”x”" in str(page.context["form"].errors["reminder_days"])  # Swedish by default
    draft.refresh_from_db()
    assert draft.reminder_days == "7,14" and draft.invitation_mode == "email"


def test_anonymity_cannot_change_once_the_measurement_is_open(alice_client, draft):
    from mognad.surveys import actions

    actions.open_measurement(draft, by=None)
    page = alice_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS | {"anonymous": ""})
    assert page.status_code == 400
    draft.refresh_from_db()
    assert draft.anonymous


def test_only_key_users_change_settings(bob_client, victor_client, charlie_client, client, draft):
    assert bob_client.post(f"/measurements/{draft.pk}/settings/", SETTINGS).status_code == 403
    assert victor_client.get(f"/measurements/{draft.pk}/settings/").status_code == 403
    assert charlie_client.get(f"/measurements/{draft.pk}/settings/").status_code == 404
    assert client.get(f"/measurements/{draft.pk}/settings/").status_code == 302


# --- open and close ---


def test_opening_invites_every_respondent_in_their_language(alice_client, draft):
    opened = alice_client.post(f"/measurements/{draft.pk}/open/", CONFIRM)
    assert opened.status_code == 302
    draft.refresh_from_db()
    assert draft.is_open()
    messages = {m.to: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {"sara@ankeby.se", "ulf@ankeby.se"}
    assert "Ankeby kommun" in messages["sara@ankeby.se"].subject
    assert (
        messages["ulf@ankeby.se"].language == "en"
        and "Hello" in messages["ulf@ankeby.se"].body_text
    )
    assert "Hej" in messages["sara@ankeby.se"].body_text


def test_opening_twice_sends_nothing_twice(alice_client, draft):
    alice_client.post(f"/measurements/{draft.pk}/open/", CONFIRM)
    again = alice_client.post(f"/measurements/{draft.pk}/open/", CONFIRM, follow=True)
    assert OutboxMessage.objects.count() == 2
    assert "already open" in again.content.decode() or "redan öppen" in again.content.decode()


def test_a_measurement_of_an_earlier_year_can_never_be_opened(alice_client, ankeby):
    old = make_measurement(ankeby, year=2025)
    alice_client.post(f"/measurements/{old.pk}/open/", CONFIRM)
    old.refresh_from_db()
    assert old.is_draft()


def test_closing_ends_answering(alice_client, draft):
    alice_client.post(f"/measurements/{draft.pk}/open/", CONFIRM)
    closed = alice_client.post(f"/measurements/{draft.pk}/close/", CONFIRM)
    assert closed.status_code == 302
    draft.refresh_from_db()
    assert draft.is_closed()
    assert not draft.respondents.exclude(nonce=None).exists()


def test_open_and_close_are_for_key_users_only(
    bob_client, victor_client, charlie_client, client, draft
):
    for c, status in ((bob_client, 403), (victor_client, 403), (charlie_client, 404)):
        assert c.post(f"/measurements/{draft.pk}/open/", CONFIRM).status_code == status
    assert client.post(f"/measurements/{draft.pk}/open/", CONFIRM).status_code == 302
    draft.refresh_from_db()
    assert draft.is_draft()


# --- unit windows ---


def test_the_key_user_gives_a_unit_its_own_window(alice_client, draft, social_services):
    saved = alice_client.post(
        f"/measurements/{draft.pk}/windows/",
        {"unit": social_services.pk, "opens_on": "2026-03-01", "closes_on": "2026-03-31"},
    )
    assert saved.status_code == 302
    assert draft.windows.get().unit == social_services


def test_a_window_outside_the_year_or_backwards_is_refused(alice_client, draft, social_services):
    for opens, closes in (("2026-03-31", "2026-03-01"), ("2025-12-01", "2026-01-31")):
        page = alice_client.post(
            f"/measurements/{draft.pk}/windows/",
            {"unit": social_services.pk, "opens_on": opens, "closes_on": closes},
        )
        assert page.status_code == 400
    assert not draft.windows.exists()


def test_windows_are_404_for_outsiders(charlie_client, client, draft):
    assert charlie_client.get(f"/measurements/{draft.pk}/windows/").status_code == 404
    assert client.get(f"/measurements/{draft.pk}/windows/").status_code == 302


# --- previews ---


def test_the_questionnaire_preview_shows_every_page_in_both_languages(alice_client, draft):
    pages = len(draft.instrument.definition().categories)
    for number in range(pages + 1):
        for language in ("sv", "en"):
            page = alice_client.get(
                f"/measurements/{draft.pk}/preview/?page={number}&language={language}"
            )
            assert page.status_code == 200
    assert (
        "Vet ej" in alice_client.get(f"/measurements/{draft.pk}/preview/?page=1").content.decode()
    )
    assert alice_client.get(f"/measurements/{draft.pk}/preview/?page=x").status_code == 200


def test_the_email_preview_shows_the_invitation_and_reminder(alice_client, draft):
    page = alice_client.get(f"/measurements/{draft.pk}/preview/email/?language=en")
    assert "Ankeby kommun" in page.context["subject"]
    assert "Hello" in page.content.decode()
    reminder = alice_client.get(f"/measurements/{draft.pk}/preview/email/?email=reminder")
    assert "Påminnelse" in reminder.context["subject"] or "Reminder" in reminder.context["subject"]


def test_previews_are_404_for_outsiders(charlie_client, client, draft):
    for url in (f"/measurements/{draft.pk}/preview/", f"/measurements/{draft.pk}/preview/email/"):
        assert charlie_client.get(url).status_code == 404
        assert client.get(url).status_code == 302
