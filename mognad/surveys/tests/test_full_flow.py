"""The whole yearly measurement through HTTP, identified and anonymous (the acceptance test).

The coordinator registers an organization and invites its key user → the key user sets a password,
builds units, imports 50 respondents (bad rows shown, then fixed), previews, opens → the worker
sends 50 invitations → respondents answer (some partially, some with "Vet ej", one resuming on
another device, some never) → reminders reach only those not completed → the key user closes →
the stored results equal what `mognad score` computes from the same answers as a CSV file.
"""

import json
import random
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from mognad.orgs.models import Organization, User
from mognad.platform.mail import deliver_outbox
from mognad.results.disclosure.audit import audit_measurement
from mognad.results.due import score_due_measurements
from mognad.results.models import MeasurementResult
from mognad.surveys.models import Measurement, Respondent
from mognad.surveys.tests.factories import LINK_RE, standard_instrument

# The steps that mail people or end links are confirmed (views/steps.py).
CONFIRM = {"confirm": "1"}

UNITS = [
    ("Socialförvaltningen", ""),
    ("Äldreomsorg", "Socialförvaltningen"),
    ("Utbildningsförvaltningen", ""),
]
ROLES = ["manager", "staff", "it", "strategist", "top_management"]


def _email(i):
    return f"person{i:02d}@myndigheten.se"


def _row(i):
    unit = ["Socialförvaltningen", "Socialförvaltningen / Äldreomsorg", "Utbildningsförvaltningen"][
        i % 3
    ]
    language = "en" if i % 5 == 0 else "sv"
    return f"{_email(i)};{unit};{ROLES[i % len(ROLES)]};{language}"


def _register_and_invite_key_user(nadia_client):
    created = nadia_client.post(
        "/orgs/new/",
        {
            "name": "Myndigheten för prov",
            "kind": "agency",
            "code": "202100-0001",
            "employees": "800",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    org = Organization.objects.get(name="Myndigheten för prov")
    invited = nadia_client.post(
        f"/orgs/{org.slug}/members/invite/",
        {"email": "kim@myndigheten.se", "role": "key_user", "language": "sv"},
    )
    assert invited.status_code == 302, invited.content.decode()[:2000]
    deliver_outbox()
    invitation = mail.outbox[-1]
    token = re.search(r"/accounts/invitation/([^/\s]+)/", invitation.body).group(1)
    key_user = Client()
    accepted = key_user.post(
        f"/accounts/invitation/{token}/",
        {
            "name": "Kim Nyckel",
            "password1": "ett-långt-och-bra-lösenord",
            "password2": "ett-långt-och-bra-lösenord",
        },
    )
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    assert User.objects.get(email="kim@myndigheten.se").memberships.get().role == "key_user"
    mail.outbox.clear()
    return org, key_user


def _build_units(key_user, org):
    for name, parent in UNITS:
        data = {"name": name, "unit_type": "other"}
        if parent:
            data["parent"] = org.units.get(name=parent).pk
        made = key_user.post(f"/orgs/{org.slug}/units/new/", data)
        assert made.status_code == 302, made.content.decode()[:2000]
    assert org.units.count() == 3


def _import(key_user, measurement):
    url = f"/measurements/{measurement.pk}/respondents/import/"
    bad = "\n".join(
        ["email;unit;role;language"]
        + [_row(i) for i in range(48)]
        + [
            "person48(at)myndigheten.se;Socialförvaltningen;staff;sv",
            f"{_email(49)};Ekonomi;staff;sv",
            _row(0),
        ]
    )
    preview = key_user.post(url, {"file": SimpleUploadedFile("list.csv", bad.encode())})
    errors = preview.context["preview"].errors
    assert [e.line for e in errors] == [50, 51, 52]
    assert "Ekonomi" in preview.content.decode()
    assert measurement.respondents.count() == 0
    fixed = "\n".join(["email;unit;role;language"] + [_row(i) for i in range(50)])
    preview = key_user.post(url, {"file": SimpleUploadedFile("list.csv", fixed.encode())})
    assert not preview.context["preview"].errors
    key_user.post(url, {"confirm": "1", "preview": preview.context["signed"]})
    assert measurement.respondents.count() == 50


def _answer(client, token, plan, *, submit=True, pages=None):
    """Answer `plan` (item id → "1".."6" or "dk") page by page; returns what was saved."""
    link = f"/r/{token}/"
    client.post(link)
    number = 1
    while True:
        page = client.get(f"{link}{number}/")
        if page.status_code != 200:
            break
        ids = [item["id"] for cap in page.context["capabilities"] for item in cap["items"]]
        data = {f"item_{i}": plan[i] for i in ids if i in plan}
        last = page.context["is_last"] or (pages is not None and number == pages)
        saved = client.post(f"{link}{number}/", data | {"go": "next"})
        assert saved.status_code == 302
        if last:
            break
        number += 1
    if submit:
        assert client.post(f"{link}summary/")["Location"] == f"{link}thanks/"


def _plan(rng, item_ids, *, dont_know=0.0, skip=0.0):
    plan = {}
    for item in item_ids:
        draw = rng.random()
        if draw < skip:
            continue
        plan[item] = "dk" if draw < skip + dont_know else str(rng.randint(1, 6))
    return plan


def _csv(plans, item_ids):
    lines = ["respondent," + ",".join(item_ids)]
    for n, plan in enumerate(plans, start=1):
        cells = ["-" if plan.get(i) == "dk" else plan.get(i, "") for i in item_ids]
        lines.append(f"{n}," + ",".join(cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("anonymous", [False, True], ids=["identified", "anonymous"])
def test_the_whole_measurement_through_http(anonymous, nadia_client, settings, tmp_path, capsys):
    settings.BOOTSTRAP_RESAMPLES = 200
    standard_instrument()
    key_user, measurement = _set_up_a_measurement(nadia_client, anonymous=anonymous)
    tokens = _open_and_invite(key_user, measurement)
    item_ids = list(measurement.instrument.definition().item_ids)
    submitted = _respond(tokens, item_ids)
    stored = _remind_close_and_score(key_user, measurement, tokens)
    _the_stored_results_agree_with_the_offline_command(
        stored, submitted, item_ids, tmp_path, capsys
    )

    if anonymous:
        assert not Respondent.objects.exclude(nonce=None).exists()
        assert not measurement.responses.filter(respondent__isnull=False).exists()
    else:
        assert measurement.responses.filter(respondent__isnull=False).count() == 38


def _set_up_a_measurement(nadia_client, *, anonymous):
    """A key user registers units, domains and a measurement, imports people and previews."""
    org, key_user = _register_and_invite_key_user(nadia_client)
    _build_units(key_user, org)
    domains = key_user.post(f"/orgs/{org.slug}/email-domains/", {"domains": "myndigheten.se"})
    assert domains.status_code == 302

    assert key_user.post(f"/orgs/{org.slug}/measurements/", {"year": "2026"}).status_code == 302
    measurement = Measurement.objects.get(organization=org)
    key_user.post(
        f"/measurements/{measurement.pk}/settings/",
        {
            "invitation_mode": "email",
            "sampling": "sample",
            "language": "sv",
            "reminder_days": "7",
            "intro_sv": "Tack för hjälpen!",
        }
        | ({"anonymous": "on"} if anonymous else {}),
    )
    measurement.refresh_from_db()
    assert measurement.anonymous is anonymous
    _import(key_user, measurement)
    assert (
        "Tack för hjälpen!"
        in key_user.get(f"/measurements/{measurement.pk}/preview/").content.decode()
    )
    assert key_user.get(f"/measurements/{measurement.pk}/preview/email/").status_code == 200

    return key_user, measurement


def _open_and_invite(key_user, measurement):
    """Opening queues 50 invitations, the worker sends them once; each person's link token."""
    key_user.post(f"/measurements/{measurement.pk}/open/", CONFIRM)
    assert mail.outbox == []  # nothing leaves before the worker runs
    assert deliver_outbox().sent == 50
    assert deliver_outbox().sent == 0  # nothing twice
    invitations = {m.to[0]: m for m in mail.outbox}
    assert len(invitations) == 50
    for i in range(50):
        message = invitations[_email(i)]
        if i % 5 == 0:
            assert "asks for your view" in message.subject and "Answer here" in message.body
        else:
            assert "ber om din syn" in message.subject and "Svara här" in message.body
        assert message.alternatives and "/r/" in message.alternatives[0][0]
    tokens = {i: LINK_RE.search(invitations[_email(i)].body).group(1) for i in range(50)}

    return tokens


def _respond(tokens, item_ids):
    """36 submit (28 in full, 7 partly, 1 across two devices), 2 start and stop; their plans."""
    rng = random.Random(2026)
    submitted = []
    for i in range(36):
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        if i < 28:
            plan = _plan(rng, item_ids, dont_know=0.15 if i < 8 else 0.0)
            _answer(client, tokens[i], plan)
        elif i < 35:  # partial: some statements left empty
            plan = _plan(rng, item_ids, skip=0.4, dont_know=0.1)
            _answer(client, tokens[i], plan)
        else:  # resumes later on another device
            plan = _plan(rng, item_ids)
            _answer(client, tokens[i], plan, submit=False, pages=2)
            _answer(Client(REMOTE_ADDR="10.9.9.9"), tokens[i], plan)
        submitted.append(plan)
    for i in (36, 37):  # started, never submitted
        _answer(
            Client(REMOTE_ADDR=f"10.0.1.{i}"),
            tokens[i],
            _plan(rng, item_ids),
            submit=False,
            pages=2,
        )

    return submitted


def _remind_close_and_score(key_user, measurement, tokens):
    """Reminders reach only those who have not answered; the worker scores after the close."""
    statuses = dict(measurement.respondents.values_list("email", "status"))
    assert sum(1 for s in statuses.values() if s == "completed") == 36
    assert statuses[_email(36)] == "started" and statuses[_email(40)] == "invited"
    rates = key_user.get(f"/measurements/{measurement.pk}/").context["rates"]
    assert (rates.total.invited, rates.total.completed, rates.total.percent) == (50, 36, 72)

    mail.outbox.clear()
    key_user.post(f"/measurements/{measurement.pk}/remind/", CONFIRM)
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == [_email(i) for i in range(36, 50)]
    reminder = next(m for m in mail.outbox if m.to[0] == _email(36))
    assert LINK_RE.search(reminder.body).group(1) == tokens[36]  # the same link again

    key_user.post(f"/measurements/{measurement.pk}/close/", CONFIRM)
    assert not MeasurementResult.objects.exists()  # the worker computes them
    measurement.refresh_from_db()
    assert measurement.scoring_due
    assert score_due_measurements() == [measurement.pk]  # the worker's job
    stored = MeasurementResult.objects.get(measurement=measurement, group_kind="organization")
    assert stored.respondents == 36 and stored.invited == 50
    # Units cut across roles in cells of two or three people: the door withholds groups until
    # no combination of what is shown singles anyone out (the audit rebuilds that from storage).
    audited = audit_measurement(measurement)
    assert audited.exposed == []
    assert 0 < MeasurementResult.objects.filter(group_kind="unit").count() < audited.groups
    assert Client().get(f"/r/{tokens[40]}/").status_code == 404  # links are dead

    return stored


def _the_stored_results_agree_with_the_offline_command(
    stored, submitted, item_ids, tmp_path, capsys
):
    answers = tmp_path / "answers.csv"
    answers.write_text(_csv(submitted, item_ids), encoding="utf-8")
    capsys.readouterr()
    call_command(
        "score", str(answers), "--json", "--resamples", "200", "--instrument", "standard@2026.1"
    )
    expected = json.loads(capsys.readouterr().out)
    assert expected["respondents"] == 36

    def close(ours, theirs):
        assert (ours["score"] is None) == (theirs["score"] is None)
        if ours["score"] is not None:
            assert round(ours["score"], 1) == theirs["score"]
            assert [round(b, 1) for b in ours["ci"]] == theirs["ci"]
        assert ours["n"] == theirs["n"]

    payload = stored.payload
    close(payload["overall"], expected["overall"])
    for level in ("dimensions", "categories", "capabilities"):
        assert payload[level].keys() == expected[level].keys()
        for node in payload[level]:
            close(payload[level][node], expected[level][node])
    for item, theirs in expected["items"].items():
        ours = payload["items"][item]
        assert (ours["n"], ours["dont_know"], ours["unanswered"]) == (
            theirs["n"],
            theirs["dont_know"],
            theirs["unanswered"],
        )
    assert payload["quadrant"]["type"] == expected["quadrant"]["type"]
    overall = stored.scores.get(node="overall")
    assert round(overall.score, 1) == expected["overall"]["score"]
