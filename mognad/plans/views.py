"""The action plan's pages: the plan of a year (with the follow-up once the next year's results
exist), making it from the proposals, and adding, changing, marking and deleting actions.

Each view: access (`plans/access.py` on the one door) → form → `run_action` → redirect/render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.orgs.access import get_org_for_user, unit_scope
from mognad.orgs.models import Organization, User
from mognad.plans import access, actions, exports, queries
from mognad.plans.forms import ActionForm, ProposalForm, StatusForm
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.platform.actions import run_action

GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _plan_url(plan: ActionPlan) -> str:
    return reverse("plans:year", args=[plan.organization.slug, plan.year])


@login_required
@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The newest plan, or what a plan could be made from."""
    org = get_org_for_user(request.user, slug)
    newest = access.plans_of(request.user, org).order_by("-year").first()
    if newest is not None:
        return redirect(_plan_url(newest))
    made_from = queries.measurements_for_plans(org)
    context = {
        "org": org,
        "can_create": access.may_change_plan(request.user, org),
        "latest": made_from[-1] if made_from else None,
    }
    return render(request, "plans/no_plan.html", context)


@login_required
@require_GET
def year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The plan of a year: its actions (a unit admin's: their subtree's) and the follow-up."""
    org = get_org_for_user(request.user, slug)
    the_plan = access.get_plan_for_user(request.user, org, year)
    shown = list(access.actions_visible_to(request.user, the_plan))
    scope = unit_scope(request.user, org)
    follow = queries.follow_up(the_plan, shown, scope)
    names = queries.capability_names(the_plan.measurement)
    years = list(access.plans_of(request.user, org).values_list("year", flat=True))
    context = {
        "org": org,
        "plan": the_plan,
        "rows": [
            (a, [names.get(c, c) for c in a.capabilities], follow.by_action.get(a.pk, ()))
            for a in shown
        ],
        "follow": follow,
        "changeable": access.changeable_action_ids(request.user, the_plan),
        "can_add": access.may_add_actions(request.user, org),
        "years": years,
        "creatable": _creatable_year(request, org, years),
        "statuses": PlannedAction.Status.choices,
    }
    return render(request, "plans/plan.html", context)


def _creatable_year(request: HttpRequest, org: Organization, years: list[int]) -> int | None:
    """The latest year with results that has no plan yet, if the user may create it."""
    if not access.may_change_plan(request.user, org):
        return None
    made_from = queries.measurements_for_plans(org)
    latest = made_from[-1].year if made_from else None
    return latest if latest is not None and latest not in years else None


def _proposal_forms(org: Organization, proposals: queries.Proposals, data: Any = None) -> Any:
    Forms = formset_factory(ProposalForm, extra=0)
    return Forms(
        data,
        initial=[ProposalForm.initial_of(p) for p in proposals.items],
        prefix="p",
        form_kwargs={"capabilities": proposals.capability_names},
    )


@login_required
@GET_POST
def create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Make the year's plan in one step: pick proposals, edit their titles, owners, due dates."""
    org = get_org_for_user(request.user, slug, write=True)
    measurement = next((m for m in queries.measurements_for_plans(org) if m.year == year), None)
    if measurement is None:
        return render(request, "plans/no_plan.html", {"org": org, "missing_year": year}, status=404)
    proposals = queries.proposals(org, measurement)
    forms = _proposal_forms(org, proposals, request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and forms.is_valid():
        picked = [f.fields_for_action() for f in forms if f.cleaned_data.get("take")]
        done = run_action(
            lambda: actions.create_plan(measurement, by=_user(request), actions=picked)
        )
        if done.ok and done.value is not None:
            messages.success(
                request, _("The action plan for %(year)s was created.") % {"year": year}
            )
            return redirect(_plan_url(done.value))
        error = done.error.message if done.error else None
    status = 400 if request.method == "POST" else 200
    context = {
        "org": org,
        "year": year,
        "forms": forms,
        "rows": list(zip(proposals.items, forms, strict=True)),
        "proposals": proposals,
        "error": error,
    }
    return render(request, "plans/create.html", context, status=status)


def _action_form(
    request: HttpRequest, org: Organization, the_plan: ActionPlan, **kw: Any
) -> ActionForm:
    return ActionForm(
        request.POST if request.method == "POST" else None,
        capabilities=queries.capability_names(the_plan.measurement),
        units=access.units_for_actions(request.user, org),
        members=access.member_users(request.user, org),
        **kw,
    )


@login_required
@GET_POST
def add(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    org = get_org_for_user(request.user, slug)
    the_plan = access.get_plan_for_user(request.user, org, year)
    access.require_adding_actions(request.user, org)
    form = _action_form(request, org, the_plan)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_action()
        done = run_action(
            lambda: actions.add_action(the_plan, fields, by=_user(request)), form=form
        )
        if done.ok:
            messages.success(request, _("The action was added."))
            return redirect(_plan_url(the_plan))
    status = 400 if request.method == "POST" else 200
    context = {"org": org, "plan": the_plan, "form": form, "action": None}
    return render(request, "plans/action_form.html", context, status=status)


@login_required
@GET_POST
def edit(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, slug)
    action = access.get_action_for_user(request.user, org, action_id, write=True)
    form = _action_form(request, org, action.plan, initial=ActionForm.initial_of(action))
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_action(action.origin)
        done = run_action(
            lambda: actions.update_action(action, fields, by=_user(request)), form=form
        )
        if done.ok:
            messages.success(request, _("The action was saved."))
            return redirect(_plan_url(action.plan))
    status = 400 if request.method == "POST" else 200
    context = {"org": org, "plan": action.plan, "form": form, "action": action}
    return render(request, "plans/action_form.html", context, status=status)


@login_required
@require_POST
def status(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, slug)
    action = access.get_action_for_user(request.user, org, action_id, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    else:
        chosen = form.cleaned_data["status"]
        done = run_action(
            lambda: actions.set_status(action, chosen, by=_user(request)), request=request
        )
        if done.ok:
            messages.success(
                request,
                _("“%(title)s” is now: %(status)s.")
                % {"title": action.title, "status": action.get_status_display()},
            )
    return redirect(_plan_url(action.plan))


@login_required
@GET_POST
def delete(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, slug)
    action = access.get_action_for_user(request.user, org, action_id, write=True)
    if request.method == "POST":
        the_plan = action.plan
        done = run_action(lambda: actions.delete_action(action, by=_user(request)), request=request)
        if done.ok:
            messages.success(request, _("The action was deleted."))
        return redirect(_plan_url(the_plan))
    return render(request, "plans/action_delete.html", {"org": org, "action": action})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The plan's actions the user may see, as CSV for Swedish Excel."""
    org = get_org_for_user(request.user, slug)
    the_plan = access.get_plan_for_user(request.user, org, year)
    table = exports.Table.of(the_plan, list(access.actions_visible_to(request.user, the_plan)))
    return _download(exports.to_csv(table), exports.CSV_TYPE, exports.filename(the_plan, "csv"))


@login_required
@require_GET
def export_xlsx(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The plan's actions the user may see, as an Excel workbook."""
    org = get_org_for_user(request.user, slug)
    the_plan = access.get_plan_for_user(request.user, org, year)
    table = exports.Table.of(the_plan, list(access.actions_visible_to(request.user, the_plan)))
    return _download(exports.to_xlsx(table), exports.XLSX_TYPE, exports.filename(the_plan, "xlsx"))
