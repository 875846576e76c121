"""Offboarding an organization and data-subject requests (find, export, erase).

Key users act for their own organization, national coordinators for any organization or (for
data-subject requests) for the whole platform. The email address being looked up travels only in
POST bodies, never in a URL, so it stays out of server logs and browser history.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mognad.orgs.access import get_org_for_user, require_coordinator
from mognad.orgs.models import Organization
from mognad.platform.actions import run_action
from mognad.privacy import offboarding, subjects
from mognad.surveys.access import acting_user

# --- Forms ----------------------------------------------------------------------------------------


class OffboardingForm(forms.Form):
    KEEP = "keep"
    DELETE = "delete"

    answers = forms.ChoiceField(
        label=gettext_lazy("Answers and results"),
        choices=[
            (KEEP, gettext_lazy("Keep the answers and results, without any personal data")),
            (DELETE, gettext_lazy("Delete the answers and results too")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what happens to the answers.")},
    )
    confirm_name = forms.CharField(
        label=gettext_lazy("Type the organization's name to confirm"),
        max_length=200,
        error_messages={"required": gettext_lazy("Type the organization's name to confirm.")},
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_confirm_name(self) -> str:
        name: str = self.cleaned_data["confirm_name"]
        if " ".join(name.split()).casefold() != self.organization.name.casefold():
            raise forms.ValidationError(
                _("This is not the organization's name. Type “%(name)s”.")
                % {"name": self.organization.name}
            )
        return name


class SubjectForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter the email address the request is about."),
            "invalid": gettext_lazy("Enter a valid email address, such as name@example.se."),
        },
    )


class ErasureForm(SubjectForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the erasure cannot be undone"),
        required=True,
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


# --- Offboarding ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def offboard(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_org_for_user(request.user, slug, write=True)
    form = OffboardingForm(request.POST or None, organization=org)
    error = ""
    if request.method == "POST" and form.is_valid():
        user = acting_user(request)
        delete_answers = form.cleaned_data["answers"] == OffboardingForm.DELETE
        offboarded = run_action(
            lambda: offboarding.offboard_organization(org, delete_answers=delete_answers, by=user)
        )
        if offboarded.error is not None:
            error = offboarded.error.message
        else:
            done = offboarded.value
            user.refresh_from_db()
            if not user.is_active:
                logout(request)  # the key user offboarded their only organization
            return render(
                request,
                "privacy/lifecycle/offboarded.html",
                {"organization": org, "done": done, "answers_deleted": delete_answers},
            )
    return render(
        request,
        "privacy/lifecycle/offboard.html",
        {
            "organization": org,
            "form": form,
            "error": error,
            "preview": offboarding.offboarding_preview(org),
        },
        status=400 if form.errors or error else 200,
    )


# --- Data-subject requests ------------------------------------------------------------------------


def _scope(request: HttpRequest, slug: str | None) -> Organization | None:
    """The organization the request is limited to; None (the whole platform) for coordinators."""
    if slug is None:
        require_coordinator(request.user)
        return None
    return get_org_for_user(request.user, slug, write=True)


def _urls(organization: Organization | None) -> dict[str, str]:
    if organization is None:
        names = ("privacy:data_subject_all", "privacy:data_subject_all_export")
        erase = "privacy:data_subject_all_erase"
        args: list[str] = []
    else:
        names = ("privacy:data_subject", "privacy:data_subject_export")
        erase = "privacy:data_subject_erase"
        args = [organization.slug]
    return {
        "find": reverse(names[0], args=args),
        "export": reverse(names[1], args=args),
        "erase": reverse(erase, args=args),
    }


def _find_page(
    request: HttpRequest,
    organization: Organization | None,
    form: SubjectForm,
    record: subjects.SubjectRecord | None = None,
) -> HttpResponse:
    return render(
        request,
        "privacy/lifecycle/data_subject.html",
        {
            "organization": organization,
            "form": form,
            "record": record,
            "urls": _urls(organization),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_subject(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organization = _scope(request, slug)
    form = SubjectForm(request.POST or None)
    record = None
    if request.method == "POST" and form.is_valid():
        record = subjects.find_subject(form.cleaned_data["email"], organization=organization)
        subjects.record_lookup(record, by=acting_user(request), exported=False)
    return _find_page(request, organization, form, record)


@login_required
@require_POST
def data_subject_export(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organization = _scope(request, slug)
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return _find_page(request, organization, form)
    record = subjects.find_subject(form.cleaned_data["email"], organization=organization)
    subjects.record_lookup(record, by=acting_user(request), exported=True)
    response = HttpResponse(
        json.dumps(record.as_json(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mognad-data-subject-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def data_subject_erase(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """First POST (from the findings) shows what will go; the second, confirmed, erases it."""
    organization = _scope(request, slug)
    urls = _urls(organization)
    if "confirm_step" not in request.POST:
        lookup = SubjectForm(request.POST)
        if (
            lookup.is_valid()
            and subjects.find_subject(
                lookup.cleaned_data["email"], organization=organization
            ).is_empty()
        ):
            lookup.add_error("email", _("Nothing is stored about this email address."))
        if not lookup.is_valid():
            return _find_page(request, organization, lookup)
        form = ErasureForm(initial={"email": lookup.cleaned_data["email"]})
    else:
        form = ErasureForm(request.POST)
        if form.is_valid():
            erased = run_action(
                lambda: subjects.erase_subject(
                    form.cleaned_data["email"], organization=organization, by=acting_user(request)
                ),
                form=form,
            )
            if erased.value is not None:
                messages.success(request, _erasure_message(erased.value))
                return HttpResponseRedirect(urls["find"])
        elif "email" in form.errors:
            # Only an address that passed the form's checks is ever searched for.
            return _find_page(request, organization, SubjectForm(request.POST))
    email = form.cleaned_data["email"] if form.is_bound else form.initial["email"]
    record = subjects.find_subject(email, organization=organization)
    return render(
        request,
        "privacy/lifecycle/erase.html",
        {"organization": organization, "form": form, "record": record, "urls": urls},
        status=400 if form.errors else 200,
    )


def _erasure_message(report: subjects.ErasureReport) -> str:
    parts = [
        _("The data was erased:"),
        _("%(n)s respondent row(s) without the address,") % {"n": report.respondents_erased},
        _("%(n)s respondent row(s) deleted,") % {"n": report.respondents_deleted},
        _("%(n)s response(s) unlinked,") % {"n": report.answers_unlinked},
        _("%(n)s membership(s), %(i)s invitation(s) and %(e)s email(s) deleted.")
        % {"n": report.memberships, "i": report.invitations, "e": report.emails},
    ]
    if report.account_anonymized:
        parts.append(_("The account was deactivated and anonymized."))
    return " ".join(parts)
