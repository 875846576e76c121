"""Bad input to every form (issue 6): never a server error; refused input changes nothing.

Each POST form gets random and hostile values (hypothesis): control characters, NUL, RTL marks,
very long strings, markup, spreadsheet formulas, SQL fragments, numbers out of range, wrong types.
Either the form accepts the input (a redirect) or it answers 4xx, or re-renders with the errors
shown, and then no row anywhere was added, removed or changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad import test
from mognad.platform.models import OutboxMessage
from mognad.privacy import consent
from mognad.surveys import actions
from mognad.surveys.tests.factories import make_measurement, make_respondent, token_of
from mognad.tests.hostile import NASTY, hostile_text, state

FAST = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
IGNORE = ("platform.RateLimitCounter",)
SUCCESS = (301, 302, 303)


@pytest.fixture(autouse=True)
def _spring_2026():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@dataclass(frozen=True)
class Case:
    name: str
    client: str  # fixture name, or "anonymous"
    url: Callable[[dict[str, Any]], str]
    # A valid value per field ("{unit}" is filled in from the context); hypothesis swaps some
    # for hostile ones.
    valid: dict[str, str]
    # Pages that answer valid input with a 200 page instead of a redirect.
    accepts_with_200: bool = False


CASES = [
    Case(
        "login",
        "anonymous",
        lambda c: "/accounts/login/",
        {"username": "alice@ankeby.se", "password": test.PASSWORD},
    ),
    Case(
        "password reset",
        "anonymous",
        lambda c: "/accounts/password-reset/",
        {"email": "alice@ankeby.se"},
        accepts_with_200=True,
    ),
    Case(
        "invitation accept",
        "anonymous",
        lambda c: f"/accounts/invitation/{c['invitation']}/",
        {"name": "Dora", "password1": test.PASSWORD, "password2": test.PASSWORD},
    ),
    Case("2fa verify", "nadia_before_2fa", lambda c: "/accounts/2fa/verify/", {"code": "123456"}),
    Case("2fa enroll", "alice_client", lambda c: "/accounts/2fa/enroll/", {"code": "123456"}),
    Case("account", "alice_client", lambda c: "/accounts/", {"name": "Alice", "language": "en"}),
    Case(
        "change password",
        "alice_client",
        lambda c: "/accounts/password/",
        {
            "old_password": test.PASSWORD,
            "password1": "ett-nytt-långt-lösen",
            "password2": "ett-nytt-långt-lösen",
        },
    ),
    Case(
        "register organization",
        "nadia_client",
        lambda c: "/orgs/new/",
        {
            "name": "Nyby bolag",
            "kind": "company",
            "code": "556000-0001",
            "county": "",
            "employees": "12",
        },
    ),
    Case(
        "organization settings",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/settings/",
        {"employees": "100", "municipality_group": "A1", "named_in_comparisons": "on"},
    ),
    Case(
        "unit create",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/units/new/",
        {"name": "Kultur", "unit_type": "other", "parent": ""},
    ),
    Case(
        "unit edit",
        "alice_client",
        lambda c: f"/orgs/ankeby-kommun/units/{c['unit']}/",
        {"name": "Soc", "unit_type": "other", "parent": ""},
    ),
    Case(
        "invite",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/members/invite/",
        {"email": "erik@ankeby.se", "role": "unit_admin", "unit": "{unit}", "language": "sv"},
    ),
    Case(
        "measurement create",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/measurements/",
        {"year": "2027"},
    ),
    Case(
        "measurement settings",
        "alice_client",
        lambda c: f"/measurements/{c['draft']}/settings/",
        {
            "invitation_mode": "email",
            "anonymous": "on",
            "language": "sv",
            "reminder_days": "7",
            "intro_sv": "Hej",
            "intro_en": "Hi",
        },
    ),
    Case(
        "measurement windows",
        "alice_client",
        lambda c: f"/measurements/{c['draft']}/windows/",
        {"unit": "{unit}", "opens_on": "2026-03-10", "closes_on": "2026-03-20"},
    ),
    Case(
        "respondent add",
        "alice_client",
        lambda c: f"/measurements/{c['draft']}/respondents/",
        {"email": "ny@ankeby.se", "unit": "", "role": "staff", "language": "sv"},
    ),
    Case("cookie choice", "anonymous", lambda c: "/cookies/", {"choice": "necessary", "next": "/"}),
    Case(
        "privacy settings",
        "nadia_client",
        lambda c: "/privacy/settings/",
        {
            "operator_name": "Mognad",
            "contact_email": "dataskydd@example.se",
            "dpo_name": "",
            "dpo_email": "",
            "legal_basis_sv": "Allmänt intresse",
            "legal_basis_en": "Public task",
            "extra_text_sv": "",
            "extra_text_en": "",
        },
    ),
    Case(
        "offboarding",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/offboard/",
        {"answers": "keep", "confirm_name": "Bebyholm kommun"},
    ),
    Case(
        "data-subject lookup",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/data-subject/",
        {"email": "sara@ankeby.se"},
        accepts_with_200=True,
    ),
    Case(
        "data-subject erase",
        "alice_client",
        lambda c: "/orgs/ankeby-kommun/data-subject/erase/",
        {"email": "sara@ankeby.se", "confirm_step": "1", "confirm": "on"},
    ),
    Case(
        "api token create",
        "alice_client",
        lambda c: "/accounts/api-tokens/",
        {"name": "Dashboard", "days": "90"},
        accepts_with_200=True,
    ),
]


@pytest.fixture
def context(alice, social_services):
    measurement = make_measurement(social_services.organization)
    make_respondent(measurement, "sara@ankeby.se", unit=social_services)
    inviting = test.logged_in_client(alice)
    inviting.post(
        "/orgs/ankeby-kommun/members/invite/",
        {
            "email": "dora@ankeby.se",
            "role": "unit_admin",
            "unit": social_services.pk,
            "language": "sv",
        },
    )
    body = OutboxMessage.objects.get(to="dora@ankeby.se").body_text
    return {
        "draft": measurement.pk,
        "unit": social_services.pk,
        "invitation": body.split("/accounts/invitation/")[1].split("/")[0],
    }


@pytest.fixture
def nadia_before_2fa(nadia):
    client = Client()
    client.force_login(nadia)
    return client


def _client_for(request, name: str) -> Client:
    return Client() if name == "anonymous" else request.getfixturevalue(name)


def _valid(case: Case, context: dict[str, Any]) -> dict[str, str]:
    return {field: value.format(**context) for field, value in case.valid.items()}


def _form_data(case: Case, context: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
    """Some fields valid and some hostile, or one nasty value in every field at once."""
    fields = list(case.valid)
    return st.one_of(
        st.fixed_dictionaries(
            {
                field: st.one_of(st.just(value), hostile_text())
                for field, value in _valid(case, context).items()
            }
        ),
        st.sampled_from(NASTY).map(lambda value: dict.fromkeys(fields, value)),
    )


def _form_errors(response: Any) -> bool:
    forms = [ctx.get("form") for ctx in response.context or [] if ctx.get("form")]
    return any(form.errors for form in forms)


def _assert_refused_and_unchanged(case: Case, response: Any, before: dict[str, Any]) -> None:
    assert response.status_code < 500, response.status_code
    if response.status_code in SUCCESS:
        return  # the input happened to be valid
    if response.status_code == 200:
        if case.accepts_with_200 and not _form_errors(response):
            return
        assert _form_errors(response), "refused with a 200 and no visible error"
    else:
        assert 400 <= response.status_code < 500
    after = state()
    diff = {key: "changed" for key in before if key not in IGNORE and before[key] != after[key]}
    assert not diff, f"refused input still wrote: {diff}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@FAST
@given(data=st.data())
def test_hostile_values_in_any_form_are_refused_without_writing(request, context, case, data):
    client = _client_for(request, case.client)
    posted = data.draw(_form_data(case, context))
    before = state()
    response = client.post(case.url(context), posted)
    _assert_refused_and_unchanged(case, response, before)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_baseline_values_reach_the_form(request, context, case):
    """A guard for the property above: every case posts to a real, reachable form."""
    client = _client_for(request, case.client)
    response = client.post(case.url(context), _valid(case, context))
    assert response.status_code in (*SUCCESS, 200, 400)
    if response.status_code != 200 or not case.accepts_with_200:
        # Accepted, or refused for a reason the case means (a TOTP code, a wrong name).
        assert response.status_code in SUCCESS or _form_errors(response)


# The respondent's pages -------------------------------------------------------------------------


@pytest.fixture
def started_link(ankeby, social_services):
    measurement = make_measurement(ankeby)
    sara = make_respondent(measurement, "sara@ankeby.se", unit=social_services)
    actions.open_measurement(measurement, by=None)
    link = f"/r/{token_of(sara)}/"
    respondent = Client()
    assert respondent.post(link).status_code == 302
    first_page = respondent.get(f"{link}1/")
    items = [item["id"] for cap in first_page.context["capabilities"] for item in cap["items"]]
    return respondent, link, items


ANSWER = st.one_of(
    st.sampled_from(["0", "7", "-5", "x", "1.0", " 1", "1 ", "DK", "06", "１", "1\x00"]),
    st.integers().map(str),
    hostile_text(),
)


@FAST
@given(data=st.data())
def test_an_answer_out_of_range_or_of_the_wrong_type_is_refused_without_saving(started_link, data):
    respondent, link, items = started_link
    chosen = data.draw(st.lists(st.sampled_from(items), min_size=1, max_size=4, unique=True))
    posted = {f"item_{item}": data.draw(ANSWER) for item in chosen}
    posted["go"] = data.draw(st.one_of(st.sampled_from(["next", "back"]), hostile_text(20)))
    before = state()
    response = respondent.post(f"{link}1/", posted)
    valid = all(
        value in {"1", "2", "3", "4", "5", "6", "dk", ""}
        for key, value in posted.items()
        if key != "go"
    )
    if valid:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert response.context["errors"]
        assert 'class="error-summary" role="alert"' in response.content.decode()
        after = state()
        assert {k for k in before if k not in IGNORE and before[k] != after[k]} == set()


@FAST
@given(
    names=st.lists(hostile_text(60), min_size=1, max_size=3),
    value=st.sampled_from(["1", "dk", "x"]),
)
def test_answers_to_statements_not_on_the_page_are_refused_without_saving(
    started_link, names, value
):
    respondent, link, items = started_link
    posted = {f"item_{name}": value for name in names if name not in items}
    posted[f"item_{items[0]}"] = "3"
    before = state()
    # URL-encoded, as a browser sends the form: in a multipart body a name with a line break
    # would break its part's header and never reach the view.
    response = respondent.post(
        f"{link}1/", urlencode(posted), content_type="application/x-www-form-urlencoded"
    )
    if len(posted) == 1:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    after = state()
    assert {k for k in before if k not in IGNORE and before[k] != after[k]} == set()


@FAST
@given(token=hostile_text(80), number=st.integers(min_value=0, max_value=10**12))
def test_forged_links_and_page_numbers_never_fail_and_never_write(started_link, token, number):
    respondent, link, items = started_link
    before = state()
    for url in (f"{link}{number}/", f"/r/{token.replace('/', '')}/1/", f"/o/{token}/"):
        response = respondent.post(url, {f"item_{items[0]}": "7"})
        assert response.status_code < 500
    after = state()
    assert {k for k in before if k not in IGNORE and before[k] != after[k]} == set()


# The diagnostics endpoint -----------------------------------------------------------------------

JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text(60)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(hostile_text(20), children, max_size=3)
    ),
    max_leaves=8,
)


@FAST
@given(
    body=st.one_of(
        st.binary(max_size=300),
        JSON_VALUE.map(lambda value: json.dumps(value).encode()),
        st.dictionaries(
            st.sampled_from(["kind", "browser", "path", "message", "source", "line", "x"]),
            JSON_VALUE,
        ).map(lambda value: json.dumps(value).encode()),
    )
)
def test_the_diagnostics_endpoint_refuses_malformed_reports_without_writing(db, body):
    client = Client()
    client.cookies[consent.COOKIE_NAME] = f"diagnostics:{consent.TEXT_VERSION}"
    before = state()
    response = client.post("/diagnostics/", body, content_type="application/json")
    assert response.status_code in (204, 400, 429)
    if response.status_code != 204:
        assert "error" in json.loads(response.content)
        after = state()
        assert {k for k in before if k not in IGNORE and before[k] != after[k]} == set()


def test_a_report_whose_kind_is_not_a_string_is_refused_not_a_server_error(db):
    client = Client()
    client.cookies[consent.COOKIE_NAME] = f"diagnostics:{consent.TEXT_VERSION}"
    for kind in ([], {}, ["visit"], 1):
        body = json.dumps({"kind": kind, "browser": "Firefox", "version": 120})
        response = client.post("/diagnostics/", body, content_type="application/json")
        assert response.status_code == 400
        assert "kind" in json.loads(response.content)["error"]
