"""The example library's pages: an organization's own examples (write: key users), the library
search and an example (members of any organization), and the coordinator's review.

Every object comes through `mognad.examples.access` (built on `mognad.orgs.access`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.examples import access, actions, queries
from mognad.examples.forms import (
    ExampleForm,
    ReviewForm,
    SearchForm,
    initial_from,
    initial_from_action,
)
from mognad.examples.models import Example
from mognad.examples.presenting import present, present_all
from mognad.instrument.language import active_language
from mognad.orgs.access import can_change_organization, get_org_for_user
from mognad.orgs.models import Organization
from mognad.plans import access as plan_access
from mognad.plans.models import PlannedAction
from mognad.platform.actions import run_action
from mognad.surveys.access import acting_user


def _detail_url(example: Example) -> str:
    return reverse("examples:detail", args=[example.pk])


@login_required
@require_GET
def own_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's examples in every status."""
    org = get_org_for_user(request.user, slug)
    examples = list(access.examples_of(request.user, org))
    context = {
        "organization": org,
        "examples": present_all(examples, viewer_org_ids={org.pk}),
        "can_change": can_change_organization(request.user, org),
    }
    return render(request, "examples/own_list.html", context)


def _example_form(request: HttpRequest, org: Organization, initial: dict[str, Any]) -> ExampleForm:
    lang = active_language()
    instrument = queries.current_instrument()
    return ExampleForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        capabilities=queries.capability_choices(instrument, lang),
        years=queries.result_years(org),
    )


def _source_action(request: HttpRequest, org: Organization) -> PlannedAction | None:
    """The planned action the example is written from (`?action=<id>`), through plans' door."""
    value = request.POST.get("action") or request.GET.get("action")
    if not value:
        return None
    return plan_access.get_action_for_user(request.user, org, value)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new draft example (a key user), prefilled from a completed planned action if given."""
    org = get_org_for_user(request.user, slug, write=True)
    user = acting_user(request)
    source = _source_action(request, org)
    form = _example_form(request, org, initial_from_action(source) if source else {})
    if request.method == "POST" and form.is_valid():
        done = run_action(
            lambda: actions.create_example(org, form.text(), by=user, source_action=source),
            form=form,
        )
        if done.ok and done.value is not None:
            messages.success(request, _("The example was saved as a draft."))
            return HttpResponseRedirect(_detail_url(done.value))
    context = {"organization": org, "form": form, "example": None, "source": source}
    return render(request, "examples/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, example_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, slug, write=True)
    example = access.get_own_example(request.user, org, example_id, write=True)
    user = acting_user(request)
    form = _example_form(request, org, initial_from(example))
    if request.method == "POST" and form.is_valid():
        done = run_action(lambda: actions.update_example(example, form.text(), by=user), form=form)
        if done.ok:
            messages.success(request, _("The example was saved."))
            return HttpResponseRedirect(_detail_url(example))
    context = {"organization": org, "form": form, "example": example}
    return render(request, "examples/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str, example_id: int) -> HttpResponse:
    """Send the example to the national coordinator for review."""
    org = get_org_for_user(request.user, slug, write=True)
    example = access.get_own_example(request.user, org, example_id, write=True)
    user = acting_user(request)
    done = run_action(lambda: actions.submit_example(example, by=user), request=request)
    if done.ok:
        messages.success(request, _("The example was sent to the national coordinator."))
    return HttpResponseRedirect(_detail_url(example))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, example_id: int) -> HttpResponse:
    """Remove the example, after a confirmation page."""
    org = get_org_for_user(request.user, slug, write=True)
    example = access.get_own_example(request.user, org, example_id, write=True)
    user = acting_user(request)
    if request.method == "POST":
        done = run_action(lambda: actions.delete_example(example, by=user), request=request)
        if done.ok:
            messages.success(request, _("The example was removed."))
            return HttpResponseRedirect(reverse("examples:own_list", args=[org.slug]))
    return render(request, "examples/delete.html", {"organization": org, "example": example})


@login_required
@require_GET
def detail(request: HttpRequest, example_id: int) -> HttpResponse:
    """A published example, or one of the user's own organization's in any status."""
    example = access.get_readable_example(request.user, example_id)
    org = example.organization
    own = access.examples_of(request.user, org).filter(pk=example.pk).exists()
    context = {
        "example": present(example, viewer_org_ids={org.pk} if own else set()),
        "own": own,
        "can_change": own and can_change_organization(request.user, org),
        "organization": org if own else None,
    }
    return render(request, "examples/detail.html", context)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Exempel från andra organisationer: published examples, filtered."""
    examples = access.published_examples(request.user)
    lang = active_language()
    instrument = queries.current_instrument()
    form = SearchForm(
        request.GET,
        capabilities=queries.capability_choices(instrument, lang),
        types=queries.type_choices(instrument, lang),
    )
    found: list[Example] = []
    if form.is_valid():
        found = queries.search(examples, queries.Filters(**form.cleaned_data))
    own = access.own_organization_ids(request.user)
    context = {"form": form, "examples": present_all(found, viewer_org_ids=own)}
    return render(request, "examples/search.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """The national coordinator's list: waiting first, then the rest."""
    examples = access.examples_to_review(request.user)
    waiting = list(examples.filter(status=Example.Status.SUBMITTED).order_by("submitted_at"))
    reviewed = list(
        examples.filter(status__in=[Example.Status.APPROVED, Example.Status.REJECTED])[:50]
    )
    context = {
        "waiting": present_all(waiting, viewer_org_ids=None),
        "reviewed": present_all(reviewed, viewer_org_ids=None),
    }
    return render(request, "examples/review_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, example_id: int) -> HttpResponse:
    """Approve or return one example (the national coordinator)."""
    example = access.get_example_to_review(request.user, example_id)
    user = acting_user(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        if form.cleaned_data["decision"] == ReviewForm.APPROVE:
            done = run_action(
                lambda: actions.approve_example(example, by=user, note=note), form=form
            )
            message = _("The example was published.")
        else:
            done = run_action(
                lambda: actions.reject_example(example, by=user, note=note), form=form
            )
            message = _("The example was returned to the organization.")
        if done.ok:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("examples:review_list"))
    context = {"example": present(example, viewer_org_ids=None), "form": form}
    return render(request, "examples/review.html", context, status=400 if form.errors else 200)
