"""The login page asks for the e-mail address first (registered in orgs/login_routing.py).

- GET: the e-mail step.
- POST without a password (the e-mail step): an address in a domain routed to an organization's
  identity provider starts single sign-on there; any other goes on to the password step.
- POST with a password: the password form (orgs). Where the organization turned passwords off,
  the form says so here and the backend (backends.py) refuses the password anyway.

The flow's secrets (state, nonce, PKCE verifier or SAML request id) stay in this browser's
session under FLOW_KEY until the provider answers; an answer is accepted once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from mognad.orgs import twofactor
from mognad.orgs.forms import LoginForm
from mognad.sso import backends, oidc, providers, saml
from mognad.sso.models import IdentityProvider

FLOW_KEY = "mognad_sso_flow"


def route(request: HttpRequest, next_url: str) -> HttpResponse | None:
    if request.method == "POST" and "password" in request.POST:
        email = request.POST.get("username", "")
        if email and providers.password_refused(email):
            return _email_step(request, next_url, initial=email, passwords_off=True)
        return None
    if request.method != "POST":
        return _email_step(request, next_url)
    from mognad.sso.forms import EmailForm

    form = EmailForm(request.POST)
    if not form.is_valid():
        return _email_step(request, next_url, form=form)
    email = form.cleaned_data["username"].strip().lower()
    provider = providers.for_email(email)
    if provider is None:
        password_form = LoginForm(initial={"username": email})
        return render(request, "orgs/login.html", {"form": password_form, "next": next_url})
    return start(request, provider, email=email, next_url=next_url)


def _email_step(
    request: HttpRequest,
    next_url: str,
    *,
    form: Any = None,
    initial: str = "",
    passwords_off: bool = False,
) -> HttpResponse:
    from mognad.sso.forms import EmailForm

    form = form or EmailForm(initial={"username": initial})
    return render(
        request,
        "sso/login.html",
        {"form": form, "next": next_url, "passwords_off": passwords_off},
        status=403 if passwords_off else 200,
    )


def redirect_uri() -> str:
    """Where the OpenID Connect provider sends the browser back (registered at the provider)."""
    return settings.BASE_URL + reverse("sso:oidc_callback")


def start(
    request: HttpRequest, provider: IdentityProvider, *, email: str, next_url: str
) -> HttpResponse:
    flow: dict[str, Any] = {
        "provider": provider.pk,
        "protocol": provider.protocol,
        "next": next_url,
    }
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        flow.update(oidc.new_flow())
        url = oidc.authorization_url(provider, redirect_uri(), flow, login_hint=email)
    else:
        url = saml.start(request, provider, flow)
    request.session[FLOW_KEY] = flow
    # A page that moves on by itself, not a redirect: the login form's Content-Security-Policy
    # (form-action 'self') would stop a form submission redirected to another origin.
    return render(request, "sso/continue.html", {"url": url, "provider": provider})


def take_flow(request: HttpRequest, protocol: str) -> dict[str, Any] | None:
    """The login this browser started, removed from the session (an answer is used once)."""
    flow = request.session.pop(FLOW_KEY, None)
    if not isinstance(flow, dict) or flow.get("protocol") != protocol:
        return None
    return flow


def finish(
    request: HttpRequest,
    provider: IdentityProvider,
    user: Any,
    *,
    multi_factor: bool,
    next_url: str,
) -> HttpResponse:
    """Log `user` in. An IdP login with two factors counts as Mognad's second step; otherwise
    a user with TOTP still enters a code (docs/sso.md)."""
    request.session.pop(twofactor.SESSION_KEY, None)
    login(request, user, backend=backends.PATH)
    if multi_factor:
        twofactor.mark_verified(request)
    elif user.has_totp:
        return redirect(reverse("orgs:verify_2fa") + "?" + urlencode({"next": next_url}))
    return redirect(next_url)
