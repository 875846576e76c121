"""A respondent answers through the personal link: intro, pages, summary, submit, thank-you."""

import pytest

from mognad.instrument.scale import DONT_KNOW
from mognad.surveys.models import Answer, Respondent, Response
from mognad.surveys.tests.factories import token_of


@pytest.fixture
def sara(open_measurement):
    return open_measurement.respondents.get(email="sara@ankeby.se")


@pytest.fixture
def link(sara):
    return f"/r/{token_of(sara)}/"


def _page_items(response):
    return [cap["items"] for cap in response.context["capabilities"]]


def _all_items(client, link, number):
    page = client.get(f"{link}{number}/")
    return [item["id"] for items in _page_items(page) for item in items]


def test_the_intro_tells_who_asks_how_long_and_links_the_privacy_notice(client, link):
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ankeby kommun" in html
    assert "/privacy/respondents/" in html
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "strict-origin"


def test_starting_creates_one_response_and_marks_the_respondent_started(client, link, sara):
    first = client.post(link)
    assert first.status_code == 302 and first["Location"] == f"{link}1/"
    client.post(link)  # a second tab, or a double click
    assert Response.objects.count() == 1
    sara.refresh_from_db()
    assert sara.status == Respondent.Status.STARTED


def test_every_statement_is_a_labelled_radio_group_with_dont_know(client, link):
    client.post(link)
    page = client.get(f"{link}1/")
    html = page.content.decode()
    items = [item for items in _page_items(page) for item in items]
    assert items
    assert html.count("<fieldset") == len(items)
    assert html.count("<legend>") == len(items)
    assert html.count('type="radio"') == 7 * len(items)
    assert "Vet ej" in html  # Swedish by default
    assert 'aria-labelledby="progress-label"' in html


def test_next_and_back_both_save_the_page(client, link):
    client.post(link)
    first = _all_items(client, link, 1)
    going = client.post(
        f"{link}1/", {f"item_{first[0]}": "4", f"item_{first[1]}": "dk", "go": "next"}
    )
    assert going["Location"] == f"{link}2/"
    second = _all_items(client, link, 2)
    back = client.post(f"{link}2/", {f"item_{second[0]}": "6", "go": "back"})
    assert back["Location"] == f"{link}1/"
    values = dict(Answer.objects.values_list("item__item_id", "value"))
    assert values == {first[0]: 4, first[1]: DONT_KNOW, second[0]: 6}
    page = client.get(f"{link}1/")
    assert 'value="4" checked' in page.content.decode()


def test_a_save_takes_a_fixed_handful_of_queries(client, link, django_assert_max_num_queries):
    # Rate limit (one upsert), the link with everything behind it (one query), then lock the
    # response and upsert the page's answers: many people save at once, so every query counts.
    client.post(link)
    items = _all_items(client, link, 1)
    with django_assert_max_num_queries(6):
        saved = client.post(f"{link}1/", {f"item_{item}": "3" for item in items} | {"go": "next"})
    assert saved.status_code == 302
    assert Answer.objects.count() == len(items)


def test_saving_the_same_page_twice_changes_the_answer_without_duplicating_it(client, link):
    client.post(link)
    item = _all_items(client, link, 1)[0]
    client.post(f"{link}1/", {f"item_{item}": "2", "go": "next"})
    client.post(f"{link}1/", {f"item_{item}": "5", "go": "next"})
    assert list(Answer.objects.values_list("value", flat=True)) == [5]


@pytest.mark.parametrize("value", ["7", "0", "-1", "three", "1.5"])
def test_an_out_of_range_answer_is_refused_and_nothing_on_the_page_is_saved(client, link, value):
    client.post(link)
    items = _all_items(client, link, 1)
    page = client.post(
        f"{link}1/", {f"item_{items[0]}": "3", f"item_{items[1]}": value, "go": "next"}
    )
    assert page.status_code == 400
    assert (
        "Nothing on this page was saved" in page.content.decode()
        or "Inget" in page.content.decode()
    )
    assert f'aria-describedby="error-{items[1]}"' in page.content.decode()
    assert Answer.objects.count() == 0


def test_a_forged_statement_from_another_page_is_refused(client, link):
    client.post(link)
    other = _all_items(client, link, 2)[0]
    page = client.post(f"{link}1/", {f"item_{other}": "3", "go": "next"})
    assert page.status_code == 400
    assert Answer.objects.count() == 0


def test_the_summary_lists_unanswered_statements_before_submitting(client, link, open_measurement):
    client.post(link)
    items = _all_items(client, link, 1)
    client.post(f"{link}1/", {f"item_{i}": "5" for i in items} | {"go": "next"})
    summary = client.get(f"{link}summary/")
    total = len(open_measurement.instrument.definition().items)
    assert summary.context["missing_count"] == total - len(items)
    assert summary.context["answered"] == len(items)


def test_submitting_completes_the_respondent_and_shows_thanks(client, link, sara):
    client.post(link)
    done = client.post(f"{link}summary/")
    assert done["Location"] == f"{link}thanks/"
    assert client.get(f"{link}thanks/").status_code == 200
    sara.refresh_from_db()
    assert sara.status == Respondent.Status.COMPLETED
    assert Response.objects.get().is_submitted()


def test_after_submitting_nothing_can_change_and_every_page_leads_to_thanks(client, link):
    client.post(link)
    item = _all_items(client, link, 1)[0]
    client.post(f"{link}1/", {f"item_{item}": "2", "go": "next"})
    client.post(f"{link}summary/")
    client.post(f"{link}summary/")  # double submit
    late = client.post(f"{link}1/", {f"item_{item}": "6", "go": "next"})  # back button, old tab
    assert late["Location"] == f"{link}thanks/"
    assert client.get(link)["Location"] == f"{link}thanks/"
    assert list(Answer.objects.values_list("value", flat=True)) == [2]
    assert Response.objects.count() == 1


def test_saving_a_page_before_starting_goes_to_the_intro_and_saves_nothing(
    client, link, open_measurement
):
    item = open_measurement.instrument.definition().categories[0].capabilities[0].items[0].id
    saved = client.post(f"{link}1/", {f"item_{item}": "4", "go": "next"})
    assert saved["Location"] == link
    assert not Answer.objects.exists() and not Response.objects.exists()


def test_resuming_on_another_device_continues_at_the_first_unanswered_page(client, link):
    from django.test import Client

    client.post(link)
    items = _all_items(client, link, 1)
    client.post(f"{link}1/", {f"item_{i}": "3" for i in items} | {"go": "next"})
    phone = Client()
    page = phone.get(link)
    assert "Continue" in page.content.decode() or "Fortsätt" in page.content.decode()
    assert phone.post(link)["Location"] == f"{link}2/"


def test_the_respondent_language_is_used(client, open_measurement):
    eero = open_measurement.respondents.get(email="eero@ankeby.se")
    page = client.get(f"/r/{token_of(eero)}/")
    assert page.content.decode().count('lang="en"') >= 1
    assert "Start" in page.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "A" * 43, "A" * 44])
def test_an_invalid_link_gets_the_friendly_page(client, open_measurement, token):
    page = client.get(f"/r/{token}/")
    assert page.status_code == 404
    assert "cannot be used" in page.content.decode() or "kan inte användas" in page.content.decode()


def test_a_closed_measurement_gets_the_same_page_as_an_invalid_link(client, open_measurement, link):
    from mognad.surveys import actions

    invalid = client.get("/r/" + "B" * 43 + "/")
    actions.close_measurement(open_measurement, by=None)
    closed = client.get(link)
    assert closed.status_code == invalid.status_code == 404

    def main(page):
        html = page.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(closed) == main(invalid)


def test_many_bad_links_from_one_address_are_rate_limited(client, open_measurement):
    statuses = [client.get("/r/" + f"{i:043d}" + "/").status_code for i in range(35)]
    assert statuses[:30] == [404] * 30
    assert statuses[-1] == 429
