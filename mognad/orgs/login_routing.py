"""Where a login goes before the password step.

Apps above orgs register a router (mognad/sso: e-mail first, routed domains go to the
organization's identity provider). A router gets the request and the safe `next` address and
returns a response, or None to let the password form handle the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Router = Callable[[HttpRequest, str], HttpResponse | None]

_routers: list[Router] = []


def register(router: Router) -> None:
    if router not in _routers:
        _routers.append(router)


def route(request: HttpRequest, next_url: str) -> HttpResponse | None:
    for router in _routers:
        response = router(request, next_url)
        if response is not None:
            return response
    return None
