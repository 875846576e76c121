"""The organization's e-mail domains page: key users set the domains, coordinators the exceptions.

Its own module: orgs/views.py is near its size limit. The rules are in orgs/domains.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mognad.orgs import access, domains
from mognad.orgs.forms import EmailDomainsForm
from mognad.orgs.models import User


@login_required
@require_http_methods(["GET", "POST"])
def email_domains(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for_user(request.user, slug, write=True)
    user = request.user
    assert isinstance(user, User)
    form = EmailDomainsForm(
        request.POST or None,
        coordinator=user.is_coordinator,
        initial={
            "domains": "\n".join(domains.domains_of(org)),
            "exceptions": "\n".join(domains.exceptions_of(org)),
        },
    )
    if request.method == "POST" and form.is_valid():
        changed = domains.set_domains(org, form.cleaned_data["domains"], by=user)
        if "exceptions" in form.cleaned_data:
            changed |= domains.set_exceptions(org, form.cleaned_data["exceptions"], by=user)
        if changed:
            messages.success(request, _("The e-mail domains have been saved."))
        return redirect("orgs:email_domains", slug=org.slug)
    return render(
        request,
        "orgs/email_domains.html",
        {
            "org": org,
            "role": access.role_in(user, org),
            "can_change": True,
            "form": form,
            "exceptions": domains.exceptions_of(org),
            "is_coordinator": user.is_coordinator,
        },
        status=400 if form.errors else 200,
    )
