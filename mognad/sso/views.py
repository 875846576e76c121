"""Pages of the sso app: the coordinator's configuration, and the identity providers' answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mognad.orgs import access
from mognad.orgs.models import User
from mognad.platform.actions import ActionError
from mognad.sso import actions, forms, oidc, providers, routing, saml
from mognad.sso.errors import SsoError
from mognad.sso.models import IdentityProvider


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _refused(request: HttpRequest, error: SsoError) -> HttpResponse:
    return render(request, "sso/refused.html", {"message": error.message}, status=403)


# --- Configuration (national coordinator) -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def provider_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_coordinator(request.user)
    org = access.get_org_for_user(request.user, slug, write=True)
    provider = providers.of(org)
    form = forms.ProviderForm(
        request.POST or None,
        request.FILES or None,
        org=org,
        provider=provider,
        initial=forms.initial_for(provider),
    )
    if request.method == "POST" and form.is_valid():
        actions.save_provider(org, by=_user(request), **form.values())
        messages.success(request, _("The single sign-on settings have been saved."))
        return redirect("sso:settings", slug=org.slug)
    return render(
        request,
        "sso/settings.html",
        {
            "org": org,
            "role": access.role_in(request.user, org),
            "can_change": True,
            "form": form,
            "provider": provider,
            "redirect_uri": routing.redirect_uri(),
            "saml_entity_id": saml.entity_id(),
            "saml_acs": saml.acs_url(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def provider_remove(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_coordinator(request.user)
    org = access.get_org_for_user(request.user, slug, write=True)
    provider = providers.of(org)
    if provider is not None:
        actions.remove_provider(provider, by=_user(request))
        messages.success(
            request, _("Single sign-on has been turned off for %(org)s.") % {"org": org}
        )
    return redirect("sso:settings", slug=org.slug)


# --- OpenID Connect ----------------------------------------------------------------------------


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    flow = routing.take_flow(request, IdentityProvider.Protocol.OIDC)
    provider = providers.by_id(flow["provider"]) if flow else None
    if flow is None or provider is None or provider.protocol != IdentityProvider.Protocol.OIDC:
        return _refused(
            request,
            SsoError(
                "state",
                _("No login is in progress in this browser. Start again from the login page."),
            ),
        )
    params = {key: request.GET.get(key, "") for key in ("state", "code", "error")}
    try:
        identity = oidc.complete(provider, routing.redirect_uri(), flow, params)
        user = actions.link(provider, identity.email, protocol="oidc")
    except SsoError as error:
        if error.reason not in actions.AUDITED_BY_LINK:
            actions.refuse(provider, error.reason)
        return _refused(request, error)
    except ActionError as error:
        actions.refuse(provider, "invitation")
        return _refused(request, SsoError("invitation", error.message))
    return routing.finish(
        request, provider, user, multi_factor=identity.multi_factor, next_url=flow["next"]
    )


# --- SAML 2.0 ----------------------------------------------------------------------------------


@require_GET
def saml_metadata(request: HttpRequest) -> HttpResponse:
    return HttpResponse(saml.sp_metadata(), content_type="application/samlmetadata+xml")


@csrf_exempt  # the IdP posts across sites; the signed assertion and InResponseTo are the proof
@never_cache
@require_POST
def saml_acs(request: HttpRequest) -> HttpResponse:
    found = saml.provider_of(request.POST.get("RelayState", ""))
    if found is None:
        return _refused(
            request,
            SsoError("request", _("The answer does not belong to a login started here.")),
        )
    provider, request_id = found
    try:
        answer = saml.check_response(provider, request_id, request.POST.get("SAMLResponse", ""))
    except SsoError as error:
        actions.refuse(provider, error.reason)
        return _refused(request, error)
    response = redirect("sso:saml_finish")
    response.status_code = 303
    response.set_cookie(
        saml.TICKET_COOKIE,
        saml.ticket(answer),
        max_age=saml.TICKET_MAX_AGE,
        path=reverse("sso:saml_finish"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_GET
def saml_finish(request: HttpRequest) -> HttpResponse:
    ticket = saml.read_ticket(request.COOKIES.get(saml.TICKET_COOKIE, ""))
    flow = routing.take_flow(request, IdentityProvider.Protocol.SAML)
    provider = providers.by_id(flow["provider"]) if flow else None
    if (
        ticket is None
        or flow is None
        or provider is None
        or ticket.get("p") != provider.pk
        or ticket.get("r") != flow.get("request_id")
    ):
        known = provider or (providers.by_id(ticket.get("p")) if ticket else None)
        if known is not None:
            actions.refuse(known, "state")
        response = _refused(
            request,
            SsoError(
                "state",
                _(
                    "The login could not be matched to this browser (it took too long or was "
                    "started in another window). Start again."
                ),
            ),
        )
    else:
        try:
            user = actions.link(provider, str(ticket["e"]), protocol="saml")
        except SsoError as error:
            response = _refused(request, error)
        except ActionError as error:
            actions.refuse(provider, "invitation")
            response = _refused(request, SsoError("invitation", error.message))
        else:
            response = routing.finish(
                request, provider, user, multi_factor=bool(ticket.get("m")), next_url=flow["next"]
            )
    response.delete_cookie(saml.TICKET_COOKIE, path=reverse("sso:saml_finish"))
    return response
