"""One respondent's whole questionnaire: intro, every page (sometimes a step back), summary, submit.

Records exactly which answers the server acknowledged: the answers of a page count once its save
was answered with a redirect onwards (302 to the next page, the previous page or the summary).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from bench.reliability.client import Browser, GaveUp, choose_answers, parse_form


class Stop(Exception):
    """The run's deadline passed."""


@dataclass
class Journey:
    token: str
    acknowledged: dict[str, str] = field(default_factory=dict)
    submitted: bool = False
    failure: str = ""


def _expect(reply_status: int, wanted: int, what: str) -> None:
    if reply_status != wanted:
        raise GaveUp(f"{what}: expected {wanted}, got {reply_status}")


def answer_questionnaire(
    browser: Browser, token: str, rng: random.Random, stop: threading.Event
) -> Journey:
    journey = Journey(token=token)
    base = f"/r/{token}/"
    summary, thanks = f"{base}summary/", f"{base}thanks/"

    def check() -> None:
        if stop.is_set():
            raise Stop

    try:
        check()
        reply = browser.request("GET", base)
        _expect(reply.status, 200, "intro")
        form = parse_form(reply.body)
        check()
        reply = browser.request("POST", base, {"csrfmiddlewaretoken": form.csrf or ""})
        _expect(reply.status, 302, "start")
        path = reply.location
        went_back = False
        pages = 0
        while path.startswith(base) and path not in (summary, thanks) and path != base:
            pages += 1
            if pages > 40:
                raise GaveUp("the questionnaire never ended")
            check()
            reply = browser.request("GET", path)
            _expect(reply.status, 200, f"page {path}")
            form = parse_form(reply.body)
            if not form.items:
                raise GaveUp(f"page {path} has no statements")
            answers = choose_answers(form, rng)
            number = int(path.rstrip("/").rsplit("/", 1)[1])
            go = "back" if number >= 2 and not went_back and rng.random() < 0.1 else "next"
            went_back = went_back or go == "back"
            fields = {"csrfmiddlewaretoken": form.csrf or "", "go": go}
            fields.update({f"item_{item}": value for item, value in answers.items()})
            check()
            reply = browser.request("POST", path, fields)
            _expect(reply.status, 302, f"save {path}")
            if reply.location == thanks:
                raise GaveUp(f"save {path} was refused: already submitted")
            journey.acknowledged.update(answers)
            path = reply.location
        if path == base:
            raise GaveUp("sent back to the introduction")
        if path == summary:
            check()
            reply = browser.request("GET", summary)
            _expect(reply.status, 200, "summary")
            form = parse_form(reply.body)
            check()
            reply = browser.request("POST", summary, {"csrfmiddlewaretoken": form.csrf or ""})
            _expect(reply.status, 302, "submit")
            path = reply.location
        if path != thanks:
            raise GaveUp(f"ended at {path}, not the thank-you page")
        reply = browser.request("GET", thanks)
        _expect(reply.status, 200, "thanks")
        journey.submitted = True
    except GaveUp as error:
        journey.failure = str(error)
    except Stop:
        journey.failure = "stopped at the deadline"
    finally:
        browser.close()
    return journey
