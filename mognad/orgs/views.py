"""Pages of the orgs app: accounts (login, 2FA, password, invitations) and organizations.

Every view has one shape: access helper → form → action → redirect or render.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mognad.orgs import access, actions, audit, login_routing, queries, registry, twofactor
from mognad.orgs.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    OrganizationSearchForm,
    OrganizationSettingsForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegisterOrganizationForm,
    SetPasswordForm,
    UnitForm,
)
from mognad.orgs.models import Organization, User
from mognad.platform import ratelimit
from mognad.platform.actions import run_action

View = Callable[..., HttpResponse]
GET_POST = require_http_methods(["GET", "POST"])
LOGIN_LIMITS = (("email", 5), ("ip", 20))
LOGIN_PERIOD = 15 * 60
RESET_LIMITS = (("email", 3), ("ip", 20))
RESET_PERIOD = 60 * 60
CODE_LIMIT = 5
PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _ip(request: HttpRequest) -> str:
    return ratelimit.client_address(request)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _too_many(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["too_many"] = True
    return render(request, template, context, status=429)


# --- Logging in ---------------------------------------------------------------------------------


@never_cache
@GET_POST
def login_view(request: HttpRequest) -> HttpResponse:
    # After login: where the organization's year stands (the surveys app's start page).
    next_url = _safe_next(request, reverse("surveys:start"))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    routed = login_routing.route(request, next_url)
    if routed is not None:
        return routed
    form = LoginForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        keys = {"email": f"login:email:{email}", "ip": f"login:ip:{_ip(request)}"}
        # Counted before the (deliberately slow) password check, so parallel attempts cannot all
        # slip through before the first failure is counted.
        allowed = [
            ratelimit.attempt(keys[kind], limit=limit, period=LOGIN_PERIOD)
            for kind, limit in LOGIN_LIMITS
        ]
        if not all(allowed):
            return _too_many(request, "orgs/login.html", context)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if not isinstance(user, User):
            form.add_error(None, _("The email address or the password is not correct."))
            return render(request, "orgs/login.html", context)
        ratelimit.reset(keys["email"])
        # The address's count keeps the failures only: an office behind one address logs in often.
        ratelimit.release(keys["ip"], period=LOGIN_PERIOD)
        request.session.pop(twofactor.SESSION_KEY, None)
        login(request, user)
        if twofactor.has_factor(user):
            return redirect(reverse("orgs:verify_2fa") + "?" + _next_query(next_url))
        return redirect(next_url)
    return render(request, "orgs/login.html", context)


@never_cache
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, with the CSRF token) and land on the front page with a notice."""
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _next_query(next_url: str) -> str:
    return urlencode({"next": next_url})


# --- Passwords and account ----------------------------------------------------------------------


@never_cache
@GET_POST
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        keys = {"email": f"reset:email:{email}", "ip": f"reset:ip:{_ip(request)}"}
        allowed = [
            ratelimit.hit(keys[kind], limit=limit, period=RESET_PERIOD)
            for kind, limit in RESET_LIMITS
        ]
        if not all(allowed):
            return _too_many(request, "orgs/password_reset.html", context)
        actions.request_password_reset(email, language=get_language() or "sv")
        return render(request, "orgs/password_reset_sent.html", {"email": email})
    return render(request, "orgs/password_reset.html", context)


@never_cache
@GET_POST
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = queries.user_for_reset(uidb64, token)
    if user is None:
        return render(request, "orgs/password_reset_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    form.user_for_validation = user
    if request.method == "POST" and form.is_valid():
        actions.change_password(user, password=form.cleaned_data["password1"])
        messages.success(request, _("Your password has been changed. You can log in now."))
        return redirect("login")
    return render(request, "orgs/password_reset_confirm.html", {"form": form})


@never_cache
@login_required
@GET_POST
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user, **form.cleaned_data)
        messages.success(request, _("Your account has been saved."))
        return redirect("orgs:account")
    return render(
        request,
        "orgs/account.html",
        {
            "form": form,
            "account_user": user,
            "required": twofactor.is_required(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user),
        },
    )


@never_cache
@login_required
@GET_POST
def change_password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangePasswordForm(request.POST or None)
    form.user_for_validation = user
    context: dict[str, Any] = {"form": form}
    key = f"password-change:user:{user.pk}"
    # The form checks the current password: each try that gives one is counted before that.
    if (
        request.method == "POST"
        and request.POST.get("old_password")
        and not ratelimit.attempt(key, limit=CODE_LIMIT, period=LOGIN_PERIOD)
    ):
        return _too_many(request, "orgs/change_password.html", context)
    if request.method == "POST" and form.is_valid():
        ratelimit.reset(key)
        actions.change_password(user, password=form.cleaned_data["password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("orgs:account")
    return render(request, "orgs/change_password.html", context)


@never_cache
@GET_POST
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = queries.find_invitation(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", status=404)
    current = request.user if isinstance(request.user, User) else None
    if current is None and queries.account_exists(invitation.email):
        return render(request, "orgs/invitation_login.html", {"invitation": invitation})
    form = AcceptInvitationForm(request.POST or None) if current is None else None
    errors: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        accepted = run_action(
            lambda: actions.accept_invitation(
                invitation,
                user=current,
                name=data.get("name", ""),
                password=data.get("password1", ""),
            ),
            form=form,
        )
        if accepted.error is not None:
            errors = [accepted.error.message]
        elif (user := accepted.value) is not None:
            if current is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! You are now a member of %(org)s.") % {"org": invitation.organization},
            )
            return redirect("orgs:detail", slug=invitation.organization.slug)
    return render(
        request,
        "orgs/accept_invitation.html",
        {"invitation": invitation, "form": form, "errors": errors},
    )


# --- Organizations ------------------------------------------------------------------------------


def coordinator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access.require_coordinator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organizations = access.organizations_for_user(user)
    form = OrganizationSearchForm(request.GET or None, counties=registry.counties())
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            organizations = organizations.filter(
                Q(name__icontains=data["q"]) | Q(code__startswith=data["q"])
            )
        if data["kind"]:
            organizations = organizations.filter(kind=data["kind"])
        if data["county"]:
            organizations = organizations.filter(county_code=data["county"])
    page = _page(request, organizations.order_by("name", "pk"))
    roles = access.memberships_of(user)
    return render(
        request,
        "orgs/dashboard.html",
        {
            "form": form,
            "page": page,
            "rows": [(org, roles.get(org.pk)) for org in page.object_list],
            "is_coordinator": user.is_coordinator,
            "query": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@coordinator_required
@GET_POST
def register_organization(request: HttpRequest) -> HttpResponse:
    form = RegisterOrganizationForm(request.POST or None, counties=registry.counties())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["county_code"] = data.pop("county")
        data["county"] = dict(registry.counties()).get(data["county_code"], "")
        registered = run_action(
            lambda: actions.register_organization(by=_user(request), **data), form=form
        )
        if (org := registered.value) is not None:
            messages.success(request, _("%(org)s has been added.") % {"org": org.name})
            return redirect("orgs:detail", slug=org.slug)
    return render(request, "orgs/register.html", {"form": form})


def _org_context(request: HttpRequest, org: Organization, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "org": org,
        "role": access.role_in(user, org),
        "can_change": access.can_change_organization(user, org),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug)
    units = list(access.units_visible_to(request.user, org))
    return render(
        request,
        "orgs/detail.html",
        _org_context(request, org, units=units, scope=access.unit_scope(request.user, org)),
    )


@login_required
@GET_POST
def unit_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    units = access.units_visible_to(request.user, org)
    form = UnitForm(
        request.POST or None, units=units, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        created = run_action(
            lambda: actions.create_unit(org, by=_user(request), **form.cleaned_data), form=form
        )
        if created.value is not None:
            messages.success(
                request, _("The unit %(unit)s has been created.") % {"unit": created.value}
            )
            return redirect("orgs:detail", slug=org.slug)
    return render(request, "orgs/unit_form.html", _org_context(request, org, form=form))


@login_required
@GET_POST
def unit_edit(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    unit = access.get_unit_for_user(request.user, org, unit_id, write=True)
    # A unit can move anywhere except into its own subtree.
    targets = access.units_visible_to(request.user, org).exclude(path__startswith=unit.path)
    form = UnitForm(
        request.POST or None,
        units=targets,
        initial={"name": unit.name, "unit_type": unit.unit_type, "parent": unit.parent_id},
    )
    if request.method == "POST" and form.is_valid():
        changed = run_action(
            lambda: actions.change_unit(unit, by=_user(request), **form.cleaned_data), form=form
        )
        if changed.ok:
            messages.success(request, _("The unit has been saved."))
            return redirect("orgs:detail", slug=org.slug)
    return render(request, "orgs/unit_form.html", _org_context(request, org, form=form, unit=unit))


@login_required
@GET_POST
def unit_delete(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    unit = access.get_unit_for_user(request.user, org, unit_id, write=True)
    errors: list[str] = []
    if request.method == "POST":
        deleted = run_action(lambda: actions.delete_unit(unit, by=_user(request)))
        if deleted.error is not None:
            errors = [deleted.error.message]
        else:
            messages.success(
                request, _("The unit %(unit)s has been deleted.") % {"unit": unit.name}
            )
            return redirect("orgs:detail", slug=org.slug)
    status = 400 if errors else 200
    return render(
        request,
        "orgs/unit_delete.html",
        _org_context(request, org, unit=unit, errors=errors, empty=queries.unit_is_empty(unit)),
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug)
    return render(
        request,
        "orgs/members.html",
        _org_context(
            request,
            org,
            members=list(access.members_of(request.user, org)),
            invitations=queries.open_invitations(org)
            if access.can_change_organization(request.user, org)
            else [],
        ),
    )


@login_required
@GET_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    user = _user(request)
    roles = access.roles_invitable_by(user, org)
    form = InviteForm(
        request.POST or None,
        roles=roles,
        units=access.units_visible_to(user, org),
        initial={"language": get_language(), "role": roles[0] if roles else None},
    )
    if request.method == "POST" and form.is_valid():
        invited = run_action(
            lambda: actions.invite_admin(org, by=user, **form.cleaned_data), form=form
        )
        if invited.ok:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("orgs:members", slug=org.slug)
    return render(request, "orgs/invite.html", _org_context(request, org, form=form))


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    membership = access.get_member_for_user(request.user, org, membership_id, write=True)
    if run_action(lambda: actions.remove_member(membership, by=_user(request)), request=request).ok:
        messages.success(
            request, _("%(person)s is no longer a member.") % {"person": membership.user.email}
        )
    return redirect("orgs:members", slug=org.slug)


@login_required
@GET_POST
def org_settings(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    form = OrganizationSettingsForm(
        request.POST or None,
        initial={
            "employees": org.employees,
            "municipality_group": org.municipality_group,
            "named_in_comparisons": org.named_in_comparisons,
            "research_consent": org.research_consent,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["municipality_group"] = data["municipality_group"].strip().upper()
        actions.update_organization_settings(org, by=_user(request), **data)
        messages.success(request, _("The settings have been saved."))
        return redirect("orgs:detail", slug=org.slug)
    return render(
        request,
        "orgs/settings.html",
        _org_context(request, org, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def org_audit(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    page = _page(request, audit.events_for(org))
    return render(request, "orgs/audit.html", _org_context(request, org, page=page))


@coordinator_required
@require_http_methods(["GET"])
def global_audit(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/audit.html", {"page": _page(request, audit.events_for(None))})
