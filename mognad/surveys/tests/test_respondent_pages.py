"""Respondents: list, add by hand, remove, and import a file with preview and confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mognad.platform.models import OutboxMessage
from mognad.surveys import actions
from mognad.surveys.models import Respondent
from mognad.surveys.tests.factories import make_measurement, make_respondent


@pytest.fixture
def draft(ankeby, social_services, education):
    measurement = make_measurement(ankeby)
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    make_respondent(measurement, "ulf@ankeby.se", unit=education, role="it")
    return measurement


def _url(measurement, rest=""):
    return f"/measurements/{measurement.pk}/respondents/{rest}"


def test_the_key_user_lists_and_adds_respondents(alice_client, draft, education):
    page = alice_client.get(_url(draft))
    assert page.status_code == 200 and page.context["page"].paginator.count == 2
    added = alice_client.post(
        _url(draft),
        {"email": "New@Ankeby.se", "unit": education.pk, "role": "staff", "language": "en"},
    )
    assert added.status_code == 302
    assert draft.respondents.get(email="new@ankeby.se").language == "en"


def test_adding_someone_twice_or_with_a_bad_email_is_refused(alice_client, draft):
    for data in (
        {"email": "sara@ankeby.se", "role": "staff", "language": "sv"},
        {"email": "not-an-email", "role": "staff", "language": "sv"},
        {"email": "x@ankeby.se", "role": "astronaut", "language": "sv"},
    ):
        assert alice_client.post(_url(draft), data).status_code == 400
    assert draft.respondents.count() == 2


def test_someone_added_to_an_open_measurement_is_invited_at_once(alice_client, draft):
    actions.open_measurement(draft, by=None)
    alice_client.post(_url(draft), {"email": "late@ankeby.se", "role": "staff", "language": "sv"})
    assert OutboxMessage.objects.filter(to="late@ankeby.se").count() == 1


def test_a_unit_admin_sees_and_manages_only_the_subtree(
    bob_client, draft, social_services, education
):
    page = bob_client.get(_url(draft))
    assert [r.email for r in page.context["page"].object_list] == ["sara@ankeby.se"]
    outside = bob_client.post(
        _url(draft),
        {"email": "x@ankeby.se", "unit": education.pk, "role": "staff", "language": "sv"},
    )
    assert outside.status_code == 400
    no_unit = bob_client.post(
        _url(draft), {"email": "y@ankeby.se", "role": "staff", "language": "sv"}
    )
    assert no_unit.status_code == 400
    inside = bob_client.post(
        _url(draft),
        {"email": "z@ankeby.se", "unit": social_services.pk, "role": "staff", "language": "sv"},
    )
    assert inside.status_code == 302
    ulf = draft.respondents.get(email="ulf@ankeby.se")
    assert bob_client.post(_url(draft, f"{ulf.pk}/remove/")).status_code == 404
    assert draft.respondents.filter(email="ulf@ankeby.se").exists()


def test_the_key_user_removes_a_respondent(alice_client, draft):
    ulf = draft.respondents.get(email="ulf@ankeby.se")
    assert alice_client.post(_url(draft, f"{ulf.pk}/remove/")).status_code == 302
    assert not draft.respondents.filter(pk=ulf.pk).exists()


def test_viewers_neither_read_nor_change(victor_client, draft):
    # Viewers read results and response rates, never addresses (test_who_sees_whom.py).
    assert victor_client.get(_url(draft)).status_code == 403
    assert (
        victor_client.post(
            _url(draft), {"email": "v@ankeby.se", "role": "staff", "language": "sv"}
        ).status_code
        == 403
    )
    ulf = draft.respondents.get(email="ulf@ankeby.se")
    assert victor_client.post(_url(draft, f"{ulf.pk}/remove/")).status_code == 403
    assert victor_client.get(_url(draft, "import/")).status_code == 403
    assert draft.respondents.count() == 2


def test_outsiders_get_404_and_anonymous_visitors_the_login_page(charlie_client, client, draft):
    ulf = draft.respondents.get(email="ulf@ankeby.se")
    for url in (_url(draft), _url(draft, "import/")):
        assert charlie_client.get(url).status_code == 404
        assert client.get(url).status_code == 302
    assert charlie_client.post(_url(draft, f"{ulf.pk}/remove/")).status_code == 404
    assert client.post(_url(draft, f"{ulf.pk}/remove/")).status_code == 302
    assert draft.respondents.count() == 2


# --- import ---

CSV = (
    "email;unit;role;language\n"
    "anna@ankeby.se;Socialförvaltningen;Chef;sv\n"
    "bertil@ankeby.se;Äldreomsorg;Medarbetare;en\n"
    "broken-address;Socialförvaltningen;Chef;sv\n"
    "sara@ankeby.se;Socialförvaltningen;strategist;sv\n"
    "cia@ankeby.se;Ingenstans;Chef;sv\n"
)


def _upload(client, measurement, text, name="list.csv"):
    return client.post(
        _url(measurement, "import/"), {"file": SimpleUploadedFile(name, text.encode("utf-8"))}
    )


def test_the_preview_lists_bad_rows_and_writes_nothing(alice_client, draft):
    assert alice_client.get(_url(draft, "import/")).status_code == 200
    preview = _upload(alice_client, draft, CSV)
    assert preview.status_code == 200
    result = preview.context["preview"]
    assert [e.line for e in result.errors] == [4, 6]
    assert (result.new_count, result.merged_count) == (2, 1)
    assert draft.respondents.count() == 2


def test_confirming_imports_the_good_rows_and_merges_known_people(alice_client, draft):
    preview = _upload(alice_client, draft, CSV)
    done = alice_client.post(
        _url(draft, "import/"), {"confirm": "1", "preview": preview.context["signed"]}
    )
    assert done.status_code == 302
    assert draft.respondents.count() == 4
    assert draft.respondents.get(email="sara@ankeby.se").role == "strategist"
    assert draft.respondents.get(email="bertil@ankeby.se").unit.name == "Äldreomsorg"


def test_a_tampered_or_foreign_preview_is_refused(alice_client, bob_client, draft):
    preview = _upload(alice_client, draft, CSV)
    signed = preview.context["signed"]
    assert (
        alice_client.post(
            _url(draft, "import/"), {"confirm": "1", "preview": signed[:-2] + "xx"}
        ).status_code
        == 302
    )
    assert (
        bob_client.post(_url(draft, "import/"), {"confirm": "1", "preview": signed}).status_code
        == 302
    )
    assert draft.respondents.count() == 2


def test_an_unreadable_file_gets_a_clear_error(alice_client, draft):
    page = _upload(alice_client, draft, "just some words", name="list.pdf")
    assert page.status_code == 400
    assert page.context["form"].errors["file"]
    page = _upload(alice_client, draft, "name,phone\nx,y\n")
    assert page.status_code == 400


def test_a_unit_admin_imports_only_into_the_subtree(bob_client, draft):
    preview = _upload(bob_client, draft, CSV)
    result = preview.context["preview"]
    assert {r.email for r in result.rows} == {
        "anna@ankeby.se",
        "bertil@ankeby.se",
        "sara@ankeby.se",
    }
    bob_client.post(_url(draft, "import/"), {"confirm": "1", "preview": preview.context["signed"]})
    assert draft.respondents.count() == 4


def test_an_import_into_an_open_measurement_invites_the_new_people(alice_client, draft):
    actions.open_measurement(draft, by=None)
    preview = _upload(alice_client, draft, CSV)
    alice_client.post(
        _url(draft, "import/"), {"confirm": "1", "preview": preview.context["signed"]}
    )
    assert OutboxMessage.objects.count() == 4
    assert Respondent.objects.filter(status="pending").count() == 0
