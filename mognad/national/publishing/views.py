"""The publishing pages: the coordinator's drafts, flags, releases and downloads (404 for
others), and a key user's review of what a draft publishes about their organization."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.national import queries as national_queries
from mognad.national.publishing import actions, files, queries
from mognad.national.publishing.forms import DraftForm, FlagForm, PublishForm
from mognad.orgs import access
from mognad.orgs.models import Membership, User
from mognad.platform.actions import run_action


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Draft a year; the drafts and releases of every year."""
    access.require_coordinator(request.user)
    form = DraftForm(request.POST or None, years=national_queries.years_with_results())
    if request.method == "POST" and form.is_valid():
        user = _user(request)
        data = form.cleaned_data
        drafted = run_action(
            lambda: actions.draft_year(
                data["year"], by=user, window_days=data["window_days"], note=data["note"]
            ),
            form=form,
        )
        if (draft := drafted.value) is not None:
            messages.success(
                request,
                _("Draft %(n)s of %(year)s is open for corrections.")
                % {"n": draft.number, "year": draft.year},
            )
            return redirect("national:publication_draft", pk=draft.pk)
    context = {"form": form, "drafts": list(queries.drafts()), "releases": list(queries.releases())}
    return render(request, "national/publishing/index.html", context)


@login_required
@require_GET
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_coordinator(request.user)
    found = queries.draft_or_404(pk)
    return _draft_page(request, found, PublishForm())


def _draft_page(request: HttpRequest, found: Any, form: PublishForm) -> HttpResponse:
    context = {
        "draft": found,
        "flags": queries.flags_of(found),
        "organizations": found.organizations.count(),
        "named": found.organizations.filter(named=True).count(),
        "form": form,
        "release": getattr(found, "release", None),
    }
    return render(request, "national/publishing/draft.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_coordinator(request.user)
    found = queries.draft_or_404(pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        user = _user(request)
        data = form.cleaned_data
        published = run_action(
            lambda: actions.publish_draft(
                found, by=user, errata=data["errata"], early=data["early"]
            ),
            form=form,
        )
        if (done := published.value) is not None:
            messages.success(
                request,
                _("%(year)s version %(n)s is published.") % {"year": done.year, "n": done.version},
            )
            return redirect("national:publishing")
    return _draft_page(request, found, form)


DOWNLOADS = {
    "opendata.zip": ("opendata", "application/zip"),
    "research.zip": ("research", "application/zip"),
    "report-sv.html": ("report/report-sv.html", "text/html; charset=utf-8"),
    "report-en.html": ("report/report-en.html", "text/html; charset=utf-8"),
    "report-sv.pdf": ("pdf:sv", "application/pdf"),
    "report-en.pdf": ("pdf:en", "application/pdf"),
}


@login_required
@require_GET
def download(request: HttpRequest, year: int, version: int, name: str) -> HttpResponse:
    """A release's open data, research dataset (with its data-use note) or status report."""
    access.require_coordinator(request.user)
    found = queries.release_or_404(year, version)
    if name not in DOWNLOADS:
        raise Http404
    source, content_type = DOWNLOADS[name]
    if source in files.FOLDERS:
        label = f"mognad-{source}-{year}-v{version}"
        content = files.archive(found.draft, source, label)
        filename = f"{label}.zip"
    elif source.startswith("pdf:"):
        content = files.report_pdf(found.draft, source.removeprefix("pdf:"))
        filename = f"mognad-national-{year}-v{version}-{name}"
    else:
        content = found.file(source)
        filename = f"mognad-national-{year}-v{version}-{name}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str) -> HttpResponse:
    """A key user's view of what the newest open draft publishes about their organization."""
    org = access.get_org_for_user(request.user, slug)
    if access.role_in(request.user, org) not in ("coordinator", Membership.Role.KEY_USER):
        raise Http404
    found = queries.open_drafts_for(org).first()
    form = FlagForm(request.POST or None)
    if request.method == "POST" and found is not None and form.is_valid():
        user = _user(request)
        text = form.cleaned_data["text"]
        flagged = run_action(lambda: actions.flag_error(found, org, text, by=user), form=form)
        if flagged.ok:
            messages.success(request, _("Thank you: the national coordinator sees your report."))
            return redirect("national:publication_review", slug=org.slug)
    row = queries.rows_for(found, org) if found is not None else None
    context = {
        "org": org,
        "draft": found,
        "row": json.loads(row.row) if row is not None else [],
        "named": row.named if row is not None else False,
        "flags": queries.flags_of(found, org) if found is not None else [],
        "form": form,
    }
    return render(request, "national/publishing/review.html", context)
