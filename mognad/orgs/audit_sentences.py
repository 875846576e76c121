"""The audit log in plain words: each event's code ("measurement.remind") as a translated sentence
with its main figures ("12 påminnelser skickades"), for the audit pages.

Every code an action writes has a sentence here (a test reads the code for `audit(...)` calls and
fails on a missing one); a code without one (an old event, a new action) still reads as words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Details = Mapping[str, Any]


def _count(details: Details, key: str) -> int:
    try:
        return int(details.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _fixed(text: Callable[[], str]) -> Callable[[Details], str]:
    return lambda details: text()


def _recovery_code_used(d: Details) -> str:
    n = _count(d, "left")
    return ngettext(
        "A recovery code was used (%(n)s left).", "A recovery code was used (%(n)s left).", n
    ) % {"n": n}


def _token_created(d: Details) -> str:
    n = _count(d, "days")
    return ngettext(
        "An API token was created, valid for %(n)s day.",
        "An API token was created, valid for %(n)s days.",
        n,
    ) % {"n": n}


def _drafted(d: Details) -> str:
    return _("The figures of %(year)s were drafted for publication (draft %(n)s).") % {
        "year": d.get("year", ""),
        "n": d.get("number", ""),
    }


def _published(d: Details) -> str:
    return _("The figures of %(year)s were published (version %(n)s).") % {
        "year": d.get("year", ""),
        "n": d.get("version", ""),
    }


def _demo(d: Details) -> str:
    n = _count(d, "organizations")
    return ngettext(
        "Demo data was generated (%(n)s organization).",
        "Demo data was generated (%(n)s organizations).",
        n,
    ) % {"n": n}


def _invited(d: Details) -> str:
    n = _count(d, "invited")
    return ngettext("%(n)s invitation was sent.", "%(n)s invitations were sent.", n) % {"n": n}


def _reminded(d: Details) -> str:
    n = _count(d, "reminded")
    if d.get("scheduled"):
        return ngettext(
            "%(n)s scheduled reminder was sent.", "%(n)s scheduled reminders were sent.", n
        ) % {"n": n}
    return ngettext("%(n)s reminder was sent.", "%(n)s reminders were sent.", n) % {"n": n}


def _copied(d: Details) -> str:
    n = _count(d, "copied")
    return ngettext(
        "%(n)s respondent was copied from an earlier year.",
        "%(n)s respondents were copied from an earlier year.",
        n,
    ) % {"n": n}


def _imported(d: Details) -> str:
    return _("Respondents were imported: new %(added)s, updated %(updated)s.") % {
        "added": _count(d, "added"),
        "updated": _count(d, "updated"),
    }


def _registry(d: Details) -> str:
    return _("The registry was imported: new %(created)s, updated %(updated)s.") % {
        "created": _count(d, "created"),
        "updated": _count(d, "updated"),
    }


def _groups(d: Details) -> str:
    n = _count(d, "changed")
    return ngettext(
        "The municipality groups were imported (%(n)s municipality changed).",
        "The municipality groups were imported (%(n)s municipalities changed).",
        n,
    ) % {"n": n}


def _exported(d: Details) -> str:
    n = _count(d, "rows")
    return ngettext(
        "The respondent list was downloaded (%(n)s person).",
        "The respondent list was downloaded (%(n)s people).",
        n,
    ) % {"n": n}


def _plan_created(d: Details) -> str:
    n = _count(d, "actions")
    return ngettext(
        "The action plan for %(year)s was created with %(n)s action.",
        "The action plan for %(year)s was created with %(n)s actions.",
        n,
    ) % {"n": n, "year": d.get("year", "")}


def _plan_status(d: Details) -> str:
    names = {
        "planned": _("Planned"),
        "ongoing": _("Ongoing"),
        "done": _("Done"),
        "dropped": _("Dropped"),
    }
    status = str(d.get("status", ""))
    return _("An action of the plan is now “%(status)s”: %(title)s.") % {
        "status": names.get(status, status),
        "title": d.get("title", ""),
    }


SENTENCES: dict[str, Callable[[Details], str]] = {
    "account.2fa_disabled": _fixed(lambda: _("Two-factor authentication was turned off.")),
    "account.2fa_enabled": _fixed(lambda: _("Two-factor authentication was turned on.")),
    "account.2fa_reset": _fixed(lambda: _("The second factor was reset by a coordinator.")),
    "account.passkey_added": lambda d: (
        _("A passkey was added: %(name)s.") % {"name": d.get("name", "")}
    ),
    "account.passkey_removed": lambda d: (
        _("A passkey was removed: %(name)s.") % {"name": d.get("name", "")}
    ),
    "account.password_changed": _fixed(lambda: _("The password was changed.")),
    "account.password_reset_requested": _fixed(lambda: _("A password reset link was requested.")),
    "account.recovery_code_used": _recovery_code_used,
    "account.recovery_codes_created": _fixed(lambda: _("New recovery codes were created.")),
    "api_token.create": _token_created,
    "api_token.revoke": _fixed(lambda: _("An API token was revoked.")),
    "data_subject.erased": _fixed(lambda: _("A person's data was erased.")),
    "data_subject.exported": _fixed(lambda: _("A person's data was handed over (exported).")),
    "data_subject.searched": _fixed(lambda: _("A person's data was searched for.")),
    "demo.generate": _demo,
    "dialogue.conclusion_planned": _fixed(
        lambda: _("A conclusion of the result dialogue became an action in the plan.")
    ),
    "dialogue.conclusions_saved": _fixed(
        lambda: _("The result dialogue's conclusions were saved.")
    ),
    "example.approved": _fixed(lambda: _("An example was published by the national coordinator.")),
    "example.changed": _fixed(lambda: _("An example was changed.")),
    "example.created": _fixed(lambda: _("An example was written.")),
    "example.deleted": _fixed(lambda: _("An example was removed.")),
    "example.rejected": _fixed(lambda: _("An example was returned by the national coordinator.")),
    "example.submitted": _fixed(lambda: _("An example was sent for review.")),
    "measurement.close": _fixed(lambda: _("The measurement was closed.")),
    "measurement.create": _fixed(lambda: _("The measurement was created.")),
    "measurement.invite": _invited,
    "measurement.open": _fixed(lambda: _("The measurement was opened.")),
    "measurement.remind": _reminded,
    "measurement.reopen": _fixed(lambda: _("The measurement was opened again.")),
    "measurement.retention": _fixed(
        lambda: _("The measurement's personal data was deleted at the end of its retention.")
    ),
    "measurement.settings": _fixed(lambda: _("The measurement's settings were changed.")),
    "measurement.window": _fixed(lambda: _("A unit's answering period was changed.")),
    "member.invited": _fixed(lambda: _("A member was invited.")),
    "member.joined": _fixed(lambda: _("A member joined.")),
    "member.removed": _fixed(lambda: _("A member was removed.")),
    "organization.email_domains_changed": _fixed(lambda: _("The e-mail domains were changed.")),
    "organization.email_exceptions_changed": _fixed(
        lambda: _("The addresses allowed outside the e-mail domains were changed.")
    ),
    "organization.offboarded": _fixed(lambda: _("The organization was offboarded.")),
    "organization.registered": _fixed(lambda: _("The organization was registered.")),
    "organization.settings_changed": _fixed(lambda: _("The organization's settings were changed.")),
    "plan.action_added": lambda d: (
        _("An action was added to the plan: %(title)s.") % {"title": d.get("title", "")}
    ),
    "plan.action_changed": lambda d: (
        _("An action of the plan was changed: %(title)s.") % {"title": d.get("title", "")}
    ),
    "plan.action_deleted": lambda d: (
        _("An action was deleted from the plan: %(title)s.") % {"title": d.get("title", "")}
    ),
    "plan.action_status": _plan_status,
    "plan.created": _plan_created,
    "privacy.settings_updated": _fixed(lambda: _("The privacy settings were changed.")),
    "publication.drafted": _drafted,
    "publication.flagged": _fixed(lambda: _("An error was flagged in a draft publication.")),
    "publication.published": _published,
    "registry.groups_imported": _groups,
    "registry.imported": _registry,
    "respondent.add": _fixed(lambda: _("A respondent was added.")),
    "respondent.copy": _copied,
    "respondent.export": _exported,
    "respondent.import": _imported,
    "respondent.left": _fixed(lambda: _("A respondent was marked as having left.")),
    "respondent.remove": _fixed(lambda: _("A respondent was removed.")),
    "respondent.returned": _fixed(lambda: _("A respondent is no longer marked as having left.")),
    "sso.changed": _fixed(lambda: _("Single sign-on was changed.")),
    "sso.configured": _fixed(lambda: _("Single sign-on was set up.")),
    "sso.login": _fixed(lambda: _("A member logged in with single sign-on.")),
    "sso.login_refused": _fixed(lambda: _("A login with single sign-on was refused.")),
    "sso.removed": _fixed(lambda: _("Single sign-on was removed.")),
    "unit.changed": _fixed(lambda: _("A unit was changed.")),
    "unit.created": _fixed(lambda: _("A unit was created.")),
    "unit.deleted": _fixed(lambda: _("A unit was deleted.")),
}


def sentence(action: str, details: Details | None) -> str:
    """The event in plain words; an unknown code as words ("Other event: sso login refused")."""
    found = SENTENCES.get(action)
    if found is not None:
        return found(details or {})
    words = action.replace(".", " ").replace("_", " ").strip() or "–"
    return _("Other event: %(code)s") % {"code": words}
