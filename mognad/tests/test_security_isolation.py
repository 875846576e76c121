"""Tenant isolation, tried on every route of the URL configuration as every persona.

The routes, the public list, the sample values and the declared exceptions live in
`mognad/tests/isolation.py`. Every route that is not public must refuse:
- an anonymous visitor: redirect to the login page (or 401/403/404/405),
- charlie, key user of another organization: 404/403 on anything about Ankeby kommun,
- bob, unit admin of Socialförvaltningen: 404/403 on anything inside a sibling unit,
- victor, a viewer in Ankeby: 404/403 when he tries to write (POST),
and a refused page never names anything of the owner organization.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from mognad.instrument.actions import publish_instrument
from mognad.surveys.demo import ensure_demo_measurement
from mognad.tests import isolation
from mognad.tests.isolation import (
    ALLOWED,
    OUTSIDER,
    PUBLIC_ROUTES,
    SIBLING_UNIT_ADMIN,
    UNIT_SCOPED_PARAMETERS,
    VIEWER_WRITING,
    Route,
    World,
    routes,
)

ANONYMOUS_REFUSALS = {401, 403, 404, 405}
MEMBER_REFUSALS = {403, 404, 405}
METHODS = ("get", "post")
DEFAULT_INSTRUMENT = Path(__file__).resolve().parents[2] / "instruments/standard/2026.1.yaml"


@pytest.fixture
def world(request, db) -> World:
    """Ankeby kommun and its people (the shared personas of mognad/conftest.py).

    bob is unit admin of Socialförvaltningen; Utbildningsförvaltningen (ulla's) is its sibling.
    """
    return isolation.world_from_personas(request)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def protected_routes() -> list[Route]:
    return [route for route in routes() if not route.is_public]


def routes_to_try() -> list[Route]:
    """Protected routes whose parameters all have samples (the others fail their own test)."""
    return [route for route in protected_routes() if not route.missing_samples()]


def names_in(response: HttpResponse, names: list[str]) -> list[str]:
    body = response.content.decode(errors="replace") if not response.streaming else ""
    return [name for name in names if name and name in body]


def is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("login")


def try_route(client: Client, route: Route, world: World, method: str) -> tuple[str, HttpResponse]:
    url = route.path(world)
    response = getattr(client, method)(url)
    return url, response


def describe(method: str, url: str, route: Route, response: HttpResponse, problem: str) -> str:
    return f"{method.upper()} {url} ({route.name}) → {response.status_code}: {problem}"


def anonymous_problems(
    world: World, candidates: list[Route], client: Client | None = None
) -> list[str]:
    """Problems for a visitor without an account (optionally one who already holds a session)."""
    client = client or client_for(None)
    problems = []
    for route in candidates:
        for method in METHODS:
            url, response = try_route(client, route, world, method)
            if not (is_login_redirect(response) or response.status_code in ANONYMOUS_REFUSALS):
                problems.append(describe(method, url, route, response, "not refused"))
            if leaked := names_in(response, world.owner_names()):
                problems.append(describe(method, url, route, response, f"shows {leaked}"))
    return problems


def outsider_problems(world: World, candidates: list[Route]) -> list[str]:
    client = client_for(world.charlie)
    problems = []
    for route in candidates:
        for method in METHODS:
            url, response = try_route(client, route, world, method)
            # A route without parameters can only be about the user's own things: it may answer,
            # but must not show Ankeby. A route naming an Ankeby object must refuse.
            must_refuse = bool(route.parameters) and (route.name, OUTSIDER) not in ALLOWED
            if must_refuse and response.status_code not in MEMBER_REFUSALS:
                problems.append(describe(method, url, route, response, "not refused"))
            if leaked := names_in(response, world.owner_names()):
                problems.append(describe(method, url, route, response, f"shows {leaked}"))
    return problems


def sibling_unit_admin_problems(world: World, candidates: list[Route]) -> list[str]:
    client = client_for(world.bob)
    problems = []
    for route in candidates:
        if not UNIT_SCOPED_PARAMETERS.intersection(route.parameters):
            continue
        if (route.name, SIBLING_UNIT_ADMIN) in ALLOWED:
            continue
        for method in METHODS:
            url, response = try_route(client, route, world, method)
            if response.status_code not in MEMBER_REFUSALS:
                problems.append(describe(method, url, route, response, "not refused"))
            if leaked := names_in(response, world.sibling_unit_names()):
                problems.append(describe(method, url, route, response, f"shows {leaked}"))
    return problems


def viewer_writing_problems(world: World, candidates: list[Route]) -> list[str]:
    client = client_for(world.victor)
    problems = []
    for route in candidates:
        if not route.parameters or (route.name, VIEWER_WRITING) in ALLOWED:
            continue
        url, response = try_route(client, route, world, "post")
        if response.status_code not in MEMBER_REFUSALS:
            problems.append(describe("post", url, route, response, "a viewer could write"))
    return problems


def report(persona: str, problems: list[str]) -> str:
    return (
        f"{len(problems)} isolation problem(s) for {persona}:\n"
        + "\n".join(problems)
        + "\nFix the view (go through mognad/orgs/access.py), or, if the access is intended, "
        "declare it in mognad/tests/isolation.py with a reason: in PUBLIC_ROUTES (anybody may use "
        "the route) or in ALLOWED (this persona may)."
    )


# --- The matrix -----------------------------------------------------------------------------------


def test_every_route_is_public_or_has_sample_values_for_all_its_parameters():
    missing = [
        isolation.missing_sample_message(route)
        for route in protected_routes()
        if route.missing_samples()
    ]
    assert not missing, "\n".join(missing)


def test_every_public_route_entry_names_a_route_that_exists():
    existing = {route.name for route in routes()}
    assert set(PUBLIC_ROUTES) <= existing, sorted(set(PUBLIC_ROUTES) - existing)
    assert all(reason.strip() for reason in PUBLIC_ROUTES.values())


def test_every_declared_exception_names_a_route_that_exists_and_gives_a_reason():
    existing = {route.name for route in routes()}
    assert {name for name, _persona in ALLOWED} <= existing
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_matrix_finds_the_projects_protected_routes():
    names = {route.name for route in protected_routes()}
    assert "national:overview" in names
    assert "home" not in names and "instrument:preview" not in names


def test_an_anonymous_visitor_is_sent_to_login_or_refused_on_every_protected_route(world):
    problems = anonymous_problems(world, routes_to_try())
    assert not problems, report("an anonymous visitor", problems)


def test_a_respondent_of_another_organization_is_refused_everything_about_ankeby(world, bebyholm):
    publish_instrument(DEFAULT_INSTRUMENT)
    links = ensure_demo_measurement(bebyholm)
    client = client_for(None)
    # The respondent really is one: their personal link and the open link both answer.
    for _who, link in (links[0], links[-1]):
        assert client.get(urlsplit(link).path, follow=True).status_code == 200
    problems = anonymous_problems(world, routes_to_try(), client)
    assert not problems, report("a respondent of Bebyholm kommun", problems)


def test_a_key_user_of_another_organization_is_refused_everything_about_ankeby(world):
    problems = outsider_problems(world, routes_to_try())
    assert not problems, report("charlie (key user of Bebyholm kommun)", problems)


def test_a_unit_admin_is_refused_everything_inside_a_sibling_unit(world):
    problems = sibling_unit_admin_problems(world, routes_to_try())
    assert not problems, report("bob (unit admin of a sibling unit)", problems)


def test_a_viewer_is_refused_every_write_about_their_organization(world):
    problems = viewer_writing_problems(world, routes_to_try())
    assert not problems, report("victor (viewer in Ankeby)", problems)


# --- The matrix can fail: a deliberately leaky route is caught ------------------------------------


def leaky_organization(request: HttpRequest, slug: str) -> HttpResponse:
    from mognad.orgs.models import Organization

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404
    return HttpResponse(f"<h1>{organization.name}</h1>")


def leaky_unit(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    return HttpResponse("unit page")


urlpatterns = [
    path("leak/<slug:slug>/", leaky_organization, name="leak"),
    path("leak/<slug:slug>/units/<int:unit_id>/", leaky_unit, name="leak_unit"),
    path("", include("mognad.urls")),
]


@pytest.fixture
def leaky_routes(settings) -> list[Route]:
    settings.ROOT_URLCONF = __name__
    return [route for route in routes(__name__) if route.name.startswith("leak")]


def test_the_matrix_catches_a_route_that_shows_an_organization_to_anybody(world, leaky_routes):
    anonymous = anonymous_problems(world, leaky_routes)
    assert any("/leak/" in problem and "not refused" in problem for problem in anonymous)
    assert any(world.ankeby.name in problem for problem in anonymous)
    assert outsider_problems(world, leaky_routes)
    assert viewer_writing_problems(world, leaky_routes)


def test_the_matrix_catches_a_unit_page_open_to_a_sibling_unit_admin(world, leaky_routes):
    problems = sibling_unit_admin_problems(world, leaky_routes)
    assert [problem.split(" →")[0] for problem in problems] == [
        f"GET /leak/{world.ankeby.slug}/units/{world.sibling_unit.pk}/ (leak_unit)",
        f"POST /leak/{world.ankeby.slug}/units/{world.sibling_unit.pk}/ (leak_unit)",
    ]


def test_a_parameter_without_a_sample_fails_with_a_message_saying_what_to_add(settings):
    settings.ROOT_URLCONF = __name__
    route = Route("x:thing", "things/<int:thing_id>/", "x", ("thing_id",), ())
    assert route.missing_samples() == ["thing_id"]
    with pytest.raises(
        LookupError, match=r"no sample value for thing_id. Add SAMPLES\['thing_id'\]"
    ):
        route.path(None)  # type: ignore[arg-type]
