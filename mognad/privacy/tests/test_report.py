"""POST /diagnostics/: nothing kept without consent, daily totals with it, bad input refused."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from mognad.privacy import consent, diagnostics
from mognad.privacy.models import DiagnosticsAggregate
from mognad.privacy.tests.helpers import choose, post_report

pytestmark = pytest.mark.django_db

VISIT = {"kind": "visit", "browser": "Firefox", "version": 128}
ERROR = {
    "kind": "error",
    "browser": "Chrome",
    "version": 131,
    "message": "TypeError: x is undefined",
    "source": "/static/surveys/answer.js",
    "line": 12,
}


def _consenting_client():
    client = Client()
    choose(client, "diagnostics")
    return client


def _rows():
    return list(
        DiagnosticsAggregate.objects.order_by("kind", "browser", "signature").values_list(
            "kind", "browser", "major_version", "signature", "count"
        )
    )


def test_it_stores_nothing_from_a_client_without_the_consent_cookie(client):
    assert post_report(client, VISIT).status_code == 204
    assert post_report(client, ERROR).status_code == 204
    assert not DiagnosticsAggregate.objects.exists()
    assert consent.DIAGNOSTICS_COOKIE_NAME not in client.cookies


def test_it_stores_nothing_from_a_client_that_chose_only_necessary_cookies(client):
    choose(client, "necessary")
    assert post_report(client, VISIT).status_code == 204
    assert not DiagnosticsAggregate.objects.exists()


def test_it_ignores_even_a_hostile_payload_without_consent(client):
    assert post_report(client, b"x" * 10_000).status_code == 204
    assert not DiagnosticsAggregate.objects.exists()


def test_a_visit_is_counted_once_a_day_per_browser(client):
    choose(client, "diagnostics")
    assert post_report(client, VISIT).status_code == 204
    cookie = client.cookies[consent.DIAGNOSTICS_COOKIE_NAME]
    assert cookie.value == timezone.localdate().isoformat()
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert 0 < cookie["max-age"] <= 24 * 3600

    assert post_report(client, VISIT).status_code == 204
    assert _rows() == [("visit", "Firefox", 128, "", 1)]


def test_counts_from_many_browsers_add_up_without_any_per_visitor_row():
    for _ in range(3):
        post_report(_consenting_client(), VISIT)
    post_report(_consenting_client(), {**VISIT, "browser": "Safari", "version": 17})
    for _ in range(4):
        post_report(_consenting_client(), ERROR)
    assert _rows() == [
        ("error", "Chrome", 131, "TypeError: x is undefined @ /static/surveys/answer.js:12", 4),
        ("visit", "Firefox", 128, "", 3),
        ("visit", "Safari", 17, "", 1),
    ]
    fields = {field.name for field in DiagnosticsAggregate._meta.get_fields()}
    assert fields == {"id", "day", "kind", "browser", "major_version", "signature", "count"}


def test_the_day_is_the_local_calendar_day(client, time_machine):
    time_machine.move_to("2026-03-01T23:30:00+01:00")
    choose(client, "diagnostics")
    post_report(client, VISIT)
    assert DiagnosticsAggregate.objects.get().day.isoformat() == "2026-03-01"


@pytest.mark.parametrize(
    ("message", "stored"),
    [
        (
            "Failed to fetch https://mognad.example/svar/?token=abc123&x=1 now",
            "Failed to fetch https://mognad.example/svar/ now",
        ),
        ("Bad address anna.andersson@ankeby.se given", "Bad address [email] given"),
        ("Not found: /svar/k3J9xQ2mLp8Rt5Vw7Yz1aB/sida/2", "Not found: /svar/[id]/sida/2"),
        ("Personnummer 19121212-1212 rejected", "Personnummer [number] rejected"),
        ("line\none\ttab", "line one tab"),
    ],
)
def test_messages_are_cleaned_of_anything_that_could_identify_a_person(message, stored):
    post_report(_consenting_client(), {**ERROR, "message": message, "source": "", "line": 0})
    assert DiagnosticsAggregate.objects.get().signature == stored


def test_long_messages_are_truncated_and_only_our_own_path_of_the_source_is_kept():
    post_report(
        _consenting_client(),
        {**ERROR, "message": "E" * 900, "source": "https://mognad.example/static/a.js?v=2#x"},
    )
    signature = DiagnosticsAggregate.objects.get().signature
    assert signature == "E" * 200 + " @ /static/a.js:12"


HOSTILE = [
    ("not json", b"{not json", "application/json"),
    ("a list", json.dumps([VISIT]), "application/json"),
    ("a form post", "kind=visit&browser=Firefox&version=1", "application/x-www-form-urlencoded"),
    ("an unknown kind", json.dumps({**VISIT, "kind": "pageview"}), "application/json"),
    ("an extra field", json.dumps({**VISIT, "url": "/svar/abc?token=1"}), "application/json"),
    ("an error field on a visit", json.dumps({**VISIT, "message": "x"}), "application/json"),
    ("a made-up browser", json.dumps({**VISIT, "browser": "<script>"}), "application/json"),
    ("a version that is true", json.dumps({**VISIT, "version": True}), "application/json"),
    ("a negative version", json.dumps({**VISIT, "version": -1}), "application/json"),
    ("a huge version", json.dumps({**VISIT, "version": 10**9}), "application/json"),
    ("a version as text", json.dumps({**VISIT, "version": "128"}), "application/json"),
    ("a missing browser", json.dumps({"kind": "visit", "version": 1}), "application/json"),
    ("an empty message", json.dumps({**ERROR, "message": "   "}), "application/json"),
    ("a message object", json.dumps({**ERROR, "message": {"a": 1}}), "application/json"),
    ("a too long message", json.dumps({**ERROR, "message": "x" * 1001}), "application/json"),
    ("control characters", json.dumps({**ERROR, "message": "a\x00b"}), "application/json"),
    ("a float line", json.dumps({**ERROR, "line": 1.5}), "application/json"),
    ("an oversized body", json.dumps({**VISIT, "pad": "x" * 3000}), "application/json"),
    ("invalid utf-8", b'{"kind": "visit", "browser": "\xff"}', "application/json"),
]


@pytest.mark.parametrize(("case", "body", "content_type"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_bad_or_hostile_payload_is_refused_with_400_and_nothing_is_written(
    case, body, content_type
):
    client = _consenting_client()
    response = client.post("/diagnostics/", body, content_type=content_type)
    assert response.status_code == 400, case
    assert response.json()["error"]
    assert not DiagnosticsAggregate.objects.exists()
    assert consent.DIAGNOSTICS_COOKIE_NAME not in response.cookies


def test_an_oversized_declared_length_is_refused_before_the_body_is_read():
    client = _consenting_client()
    response = client.post(
        "/diagnostics/",
        json.dumps(VISIT),
        content_type="application/json",
        CONTENT_LENGTH="999999",
    )
    assert response.status_code == 400
    assert "larger than 2048 bytes" in response.json()["error"]


def test_it_is_rate_limited_per_client_and_writes_nothing_beyond_the_limit(
    monkeypatch, time_machine
):
    time_machine.move_to("2026-03-02T10:00:30+01:00", tick=False)  # all in one minute
    monkeypatch.setattr(diagnostics, "RATE_LIMIT_PER_MINUTE", 3)
    client = _consenting_client()
    statuses = [post_report(client, ERROR).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert DiagnosticsAggregate.objects.get().count == 3


def test_new_error_signatures_beyond_the_daily_cap_are_counted_together(monkeypatch):
    monkeypatch.setattr(diagnostics, "MAX_ERROR_SIGNATURES_PER_DAY", 2)
    client = _consenting_client()
    for n in range(4):
        post_report(client, {**ERROR, "message": f"Error number {n}"})
    signatures = sorted(
        DiagnosticsAggregate.objects.filter(kind="error").values_list("signature", "count")
    )
    assert signatures == [
        ("(other errors)", 2),
        ("Error number 0 @ /static/surveys/answer.js:12", 1),
        ("Error number 1 @ /static/surveys/answer.js:12", 1),
    ]


def test_it_needs_the_csrf_token_from_the_page():
    client = Client(enforce_csrf_checks=True)
    choose(client, "diagnostics")
    assert post_report(client, VISIT).status_code == 403
    assert not DiagnosticsAggregate.objects.exists()

    page = client.get("/").content.decode()
    token = page.split('data-csrf-token="', 1)[1].split('"', 1)[0]
    assert post_report(client, VISIT, HTTP_X_CSRFTOKEN=token).status_code == 204
    assert DiagnosticsAggregate.objects.get().count == 1


def test_it_only_accepts_post(client):
    choose(client, "diagnostics")
    assert client.get("/diagnostics/").status_code == 405


def test_the_rate_limit_is_per_client_address_and_renews_every_minute(monkeypatch, time_machine):
    time_machine.move_to("2026-03-02T10:00:30+01:00", tick=False)
    monkeypatch.setattr(diagnostics, "RATE_LIMIT_PER_MINUTE", 1)
    client = _consenting_client()
    assert post_report(client, ERROR, REMOTE_ADDR="192.0.2.1").status_code == 204
    assert post_report(client, ERROR, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert post_report(client, ERROR, REMOTE_ADDR="192.0.2.2").status_code == 204
    time_machine.move_to("2026-03-02T10:01:01+01:00", tick=False)
    assert post_report(client, ERROR, REMOTE_ADDR="192.0.2.1").status_code == 204
    assert DiagnosticsAggregate.objects.get().count == 3
