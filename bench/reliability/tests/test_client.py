"""The simulated respondent's browser: reading a page's form, choosing answers, bounded retries."""

import random

import pytest

from bench.reliability.client import (
    Browser,
    GaveUp,
    NotLoopback,
    PageForm,
    Reply,
    choose_answers,
    loopback_address,
    parse_form,
)

PAGE = """
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
<fieldset><legend>One</legend>
  <input type="radio" name="item_a1" value="1"> <input type="radio" name="item_a1" value="6">
  <input type="radio" name="item_a1" value="dk">
</fieldset>
<fieldset><legend>Two</legend>
  <input type="radio" name="item_b2" value="1" checked><input type="radio" name="item_b2" value="2">
</fieldset>
<input type="text" name="item_not_a_radio" value="x">
<button type="submit" name="go" value="next">Next</button></form>
"""


def test_it_reads_the_csrf_token_and_the_statements_in_page_order():
    form = parse_form(PAGE)
    assert form.csrf == "tok&en"
    assert form.items == ["a1", "b2"]
    assert form.options == {"a1": ["1", "6", "dk"], "b2": ["1", "2"]}


def test_a_page_without_a_form_has_no_token_and_no_statements():
    form = parse_form("<p>Tack!</p>")
    assert form.csrf is None
    assert form.items == []


def test_chosen_answers_are_options_of_the_page_and_some_are_vet_ej_or_skipped():
    options = {f"i{n}": ["1", "2", "3", "4", "5", "6", "dk"] for n in range(2000)}
    form = PageForm(csrf="t", items=list(options), options=options)
    chosen = choose_answers(form, random.Random(1))
    assert all(value in options[item] for item, value in chosen.items())
    assert 1700 < len(chosen) < 2000  # about 5 % left unanswered
    assert 0 < sum(1 for v in chosen.values() if v == "dk") < 300


def test_each_respondent_gets_its_own_loopback_address():
    addresses = [loopback_address(i) for i in range(600)]
    assert len(set(addresses)) == 600
    assert addresses[0] == "127.0.1.1"
    assert all(a.startswith("127.") and not a.endswith((".0", ".255")) for a in addresses)
    with pytest.raises(ValueError):
        loopback_address(-1)


def test_only_loopback_addresses_are_accepted():
    with pytest.raises(NotLoopback):
        Browser("192.168.1.5", 80)
    with pytest.raises(NotLoopback):
        Browser("127.0.0.1", 80, source="10.0.0.2")


class FlakyBrowser(Browser):
    """A browser whose server answers from a script instead of the network."""

    def __init__(self, script, **kwargs):
        self.waits = []
        super().__init__("127.0.0.1", 1, sleep=self.waits.append, **kwargs)
        self.script = list(script)

    def _once(self, method, path, body):
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return Reply(step, "", "")


def test_a_dropped_connection_and_a_server_error_are_retried_until_an_answer_comes():
    browser = FlakyBrowser([ConnectionResetError("reset"), 503, 302])
    reply = browser.request("POST", "/r/x/1/", {"item_a": "1"})
    assert reply.status == 302
    assert (browser.stats.requests, browser.stats.errors, browser.stats.retries) == (3, 2, 2)
    assert browser.stats.error_kinds == {"ConnectionResetError": 1, "HTTP 503": 1}
    assert browser.waits == [0.25, 0.5]


def test_a_client_error_is_returned_at_once_not_retried():
    browser = FlakyBrowser([403, 302])
    assert browser.request("POST", "/r/x/1/", {}).status == 403
    assert browser.stats.retries == 0


def test_the_respondent_gives_up_after_a_bounded_number_of_attempts():
    browser = FlakyBrowser([500] * 4, attempts=4)
    with pytest.raises(GaveUp, match="4 attempts"):
        browser.request("GET", "/r/x/")
    assert browser.stats.requests == 4
    assert browser.waits == [0.25, 0.5, 1.0]
