"""The interactive API reference at /api/v1/docs: Swagger UI, served from our own static files.

django-ninja ships Swagger UI's assets in its package (`ninja/static/ninja/`); `ninja` is in
INSTALLED_APPS only so that the static files finder serves them from our origin (no CDN). The page
is our own template (`api/reference.html`, the site's layout with a heading, landmarks and the
language of the page) instead of ninja's, and the widget starts from a static script
(`static/api/reference.js`) that reads its settings from a JSON data block: the
Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    """Swagger UI in the site's layout, its assets from our static files."""

    template = "api/reference.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            **self.settings,
            "url": self.get_openapi_url(api, kwargs),
            # The reference reads; "Try it out" stays available for GET with a personal token.
            "supportedSubmitMethods": ["get"],
            # A deep link inside each operation's summary button would nest one control in another.
            "deepLinking": False,
        }
        return render(request, self.template, {"swagger_settings": settings, "api": api})
