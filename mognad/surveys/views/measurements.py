"""Key users' pages for a measurement: list and create, settings, open/close, invitations,
reminders (confirmed in views/steps.py), unit windows, previews and the live response rate."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mognad.instrument.schema import LANGUAGES
from mognad.orgs.access import can_change_organization, get_org_for_user, units_visible_to
from mognad.orgs.models import Organization
from mognad.platform.actions import run_action
from mognad.platform.mail import render_email, sender
from mognad.surveys import actions, emails, queries, roster
from mognad.surveys.access import (
    acting_user,
    can_manage_respondents,
    can_read_outbox,
    get_measurement_for_user,
    measurements_for_user,
    respondents_for_user,
)
from mognad.surveys.forms import CreateMeasurementForm, SettingsForm, WindowForm
from mognad.surveys.models import Measurement
from mognad.surveys.views.answering import intro_context, page_context

EXAMPLE_TOKEN = "EXAMPLE-LINK-" + "x" * 30


def _detail(measurement: Measurement) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("surveys:detail", args=[measurement.pk]))


def _create_form(request: HttpRequest, org: Organization) -> CreateMeasurementForm:
    """Only years without a measurement are offered; people can be copied from an earlier year."""
    today = timezone.localdate()
    taken = roster.years_taken(org)
    years = [year for year in (today.year, today.year + 1) if year not in taken]
    earlier = [
        (
            measurement.pk,
            _("Copy the people of %(year)s (%(n)s, without those marked as having left)")
            % {"year": measurement.year, "n": staying},
        )
        for measurement, staying in roster.earlier_measurements(org, max(years, default=today.year))
    ]
    return CreateMeasurementForm(request.POST or None, years=years, earlier=earlier)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_org_for_user(request.user, slug, write=request.method == "POST")
    form = _create_form(request, org)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data.get("copy_from")
        created = run_action(
            lambda: roster.create_with_respondents(
                org,
                year=form.cleaned_data["year"],
                instrument=queries.latest_instrument(),
                copy_from=get_measurement_for_user(request.user, source) if source else None,
                by=acting_user(request),
            ),
            form=form,
            field="copy_from" if source else "year",
        )
        if created.value is not None:
            measurement, copied = created.value
            messages.success(request, _("The measurement was created as a draft."))
            if source:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s person was copied to its list.",
                        "%(n)s people were copied to its list.",
                        copied,
                    )
                    % {"n": copied},
                )
            return _detail(measurement)
    return render(
        request,
        "surveys/measurement_list.html",
        {
            "organization": org,
            "measurements": measurements_for_user(request.user, org),
            "form": form,
            "can_create": can_change_organization(request.user, org),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk)
    org = measurement.organization
    open_token = actions.open_link_token(measurement) if measurement.is_open() else None
    can_change = can_change_organization(request.user, org)
    rates = queries.response_rates(
        measurement,
        respondents_for_user(request.user, measurement),
        label=_("All respondents you can see"),
        no_unit=_("No unit"),
    )
    return render(
        request,
        "surveys/detail.html",
        {
            "measurement": measurement,
            "organization": org,
            "rates": rates,
            "can_change": can_change,
            "can_manage_respondents": can_manage_respondents(request.user, measurement),
            "can_open": can_change and measurement.can_open(timezone.localdate()),
            "recipients": queries.recipients(measurement, now=timezone.now()),
            "can_read_outbox": can_read_outbox(request.user),
            "next_reminder": measurement.next_reminder(timezone.localdate())
            if measurement.is_open() and measurement.uses_email()
            else None,
            "cannot_open": measurement.why_it_cannot_open(timezone.localdate())
            if measurement.is_draft()
            else None,
            "open_link": request.build_absolute_uri(
                reverse("surveys:intro", args=["o", open_token])
            )
            if open_token and can_change
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_settings(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk, write=True)
    form = SettingsForm(request.POST or None, instance=measurement)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            lambda: actions.update_settings(
                measurement,
                by=acting_user(request),
                **{name: form.cleaned_data[name] for name in actions.SETTINGS_FIELDS},
            ),
            form=form,
        )
        if saved.ok:
            messages.success(request, _("The settings were saved."))
            return _detail(measurement)
    return render(
        request,
        "surveys/settings.html",
        {"measurement": measurement, "organization": measurement.organization, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def windows(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk, write=request.method == "POST")
    units = units_visible_to(request.user, measurement.organization)
    form = WindowForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            lambda: actions.set_unit_window(
                measurement,
                unit=form.cleaned_data["unit"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                by=acting_user(request),
            ),
            form=form,
        )
        if saved.ok:
            messages.success(request, _("The answering window was saved."))
            return HttpResponseRedirect(reverse("surveys:windows", args=[measurement.pk]))
    return render(
        request,
        "surveys/windows.html",
        {
            "measurement": measurement,
            "organization": measurement.organization,
            "windows": measurement.windows.select_related("unit"),
            "form": form,
            "can_change": can_change_organization(request.user, measurement.organization),
        },
        status=400 if form.errors else 200,
    )


def _preview_language(request: HttpRequest, measurement: Measurement) -> str:
    language = request.GET.get("language", measurement.language)
    return language if language in LANGUAGES else measurement.language


@login_required
@require_http_methods(["GET"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire exactly as respondents see it, page by page (nothing is saved)."""
    measurement = get_measurement_for_user(request.user, pk)
    language = _preview_language(request, measurement)
    instrument = measurement.instrument.definition()
    try:
        number = int(request.GET.get("page", "0"))
    except ValueError:
        number = 0
    number = min(max(number, 0), len(instrument.categories))
    base = {
        "preview": True,
        "measurement": measurement,
        "organization": measurement.organization,
        "preview_language": language,
        "preview_number": number,
        "preview_pages": range(0, len(instrument.categories) + 1),
    }
    with translation.override(language):
        if number == 0:
            context = {**intro_context(measurement, instrument, language, started=False), **base}
            return render(request, "surveys/respond/intro.html", context)
        context = {
            **page_context(instrument, number, language, current={}, errors={}, answered=0),
            **base,
        }
        return render(request, "surveys/respond/page.html", context)


_BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


@login_required
@require_http_methods(["GET"])
def preview_email(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_user(request.user, pk)
    language = _preview_language(request, measurement)
    template = "reminder" if request.GET.get("email") == "reminder" else "invitation"
    link = request.build_absolute_uri(reverse("surveys:intro", args=["r", EXAMPLE_TOKEN]))
    subject, body_text, body_html = render_email(
        template, emails.email_context(measurement, link=link, language=language), language
    )
    match = _BODY_RE.search(body_html)
    return render(
        request,
        "surveys/preview_email.html",
        {
            "measurement": measurement,
            "organization": measurement.organization,
            "subject": subject,
            "body_text": body_text,
            # Our own template, rendered with autoescaping: safe to show inside the page.
            "body_html": match.group(1) if match else body_html,
            "language": language,
            "template": template,
            "sender": sender(measurement.sender_name),
            "reply_to": measurement.reply_to,
        },
    )
