"""The data behind the tenant-isolation matrix (`test_security_isolation.py`).

The matrix is generated from the URL configuration, so a new route is covered the moment it exists:

- `routes()` lists every route of the project, with the names of its parameters.
- `PUBLIC_ROUTES` is the ONE explicit list of routes anybody may use, each with its reason. A route
  that is not in it is tried as every persona (anonymous visitor, key user of another organization,
  unit admin of a sibling unit, viewer writing) and must refuse them.
- `SAMPLES` fills route parameters with objects of the owner organization (Ankeby kommun), keyed
  by parameter name, or by "<namespace>:<parameter>" when a name such as `pk` means different
  things in different apps. A route whose parameter has no sample fails the matrix and says which
  entry to add here.
- `ALLOWED` declares the few persona × route combinations that are legitimately allowed (e.g. a unit
  admin posting to a page of their own unit), each with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Route name (namespace:name) → why anybody, logged in or not, may use it.
PUBLIC_ROUTES: dict[str, str] = {
    "home": "the front page: general information, no tenant data",
    "favicon": "the site icon, a static image",
    "healthz": "the health check for load balancers: only 'ok'/'down'/'stale' per component",
    "healthz_worker": "the worker health check for monitoring: only 'ok'/'stale'",
    "set_language": "switches the interface language for the visitor; no tenant data",
    "login": "the login form",
    "logout": "logs the current visitor out; acts on nobody else",
    # Privacy: information everybody must be able to read before logging in or answering.
    "privacy:cookies": "the cookie notice and the visitor's own consent choice",
    "privacy:report": "receives anonymous, aggregated diagnostics from any visitor who consented",
    "privacy:notices": "the privacy notices, public by law",
    "privacy:respondents": "the privacy notice for respondents, public by law",
    "privacy:administrators": "the privacy notice for administrators, public by law",
    "privacy:accessibility": "the accessibility statement, public by law (DOS-lagen)",
    # The public face (issue 14): published releases only, nothing of a draft or the live figures.
    "national:public_figures": "latest published national figures (a release: public by design)",
    "national:public_organizations": "named organizations' published figures (they consented)",
    "national:method": "how the figures are computed, in plain language; no data",
    "national:method_scoring": "docs/scoring.md as plain text; no data",
    "national:open_data": "the published releases' open data files (public by design)",
    "national:join": "how an organization joins; no data",
    "instrument:preview": "the questionnaire itself, public so anybody can read what is asked",
    # Respondents have no account: the unguessable token in the link is the credential (tested in
    # mognad/surveys: unknown, expired and other measurements' tokens get 404).
    "surveys:intro": "a respondent's personal or open link (token is the credential)",
    "surveys:page": "a questionnaire page behind a respondent's token",
    "surveys:summary": "the answer summary behind a respondent's token",
    "surveys:thanks": "the thank-you page behind a respondent's token",
    "surveys:resume": "an open-link answer's continue link (token and browser id: the credential)",
    # Accounts: reached from emails before anybody is logged in; the token is the credential
    # (tested in mognad/orgs: wrong, used and expired tokens are refused).
    "orgs:password_reset": "asks for a reset email; says the same whether the address exists",
    "orgs:password_reset_confirm": "sets a new password with the token from the reset email",
    "orgs:accept_invitation": "an invited administrator sets name and password with the token",
    # Single sign-on: the identity provider sends the browser back here; what proves the login is
    # the provider's signed answer and the flow kept in this browser's session (tested in
    # mognad/sso: a wrong state, audience, key or expiry, a replay and an unknown person refused).
    "sso:oidc_callback": "the OpenID Connect provider's answer to a login this browser started",
    "sso:saml_metadata": "Mognad's SAML service provider metadata, public by design (no data)",
    "sso:saml_acs": "receives a SAML IdP's signed answer; only its signature and request id count",
    "sso:saml_finish": "completes a SAML login this browser's session started (signed ticket)",
    # API: the schema describes the endpoints only (no tenant data), for API clients and tooling.
    "api:v1:root": "the API's front door: where the schema and the documentation are, no data",
    "api:v1:api-root": "ninja's own name for the same address as api:v1:root",
    "api:v1:open_data": "the list of published open-data releases: public by design, no drafts",
    "api:v1:open_data_file": "a published release's open data (CC0/CC BY): public, never drafts",
    "api:v1:openapi-json": "the OpenAPI schema of the JSON API: endpoint descriptions, no data",
    "api:v1:openapi-view": "the interactive API reference: the same schema drawn by Swagger UI",
}

# Personas whose refusals can be waived per route (see ALLOWED).
OUTSIDER = "outsider"  # key user of another organization (charlie)
SIBLING_UNIT_ADMIN = "sibling unit admin"  # unit admin of a unit next to the target (bob)
VIEWER_WRITING = "viewer writing"  # read-only member of the owner organization, POSTing (victor)
UNIT_ADMIN_WRITING = "unit admin writing"  # unit admin POSTing to an organization-level route (bob)

# (route name, persona) → why that persona may use that route after all.
ALLOWED: dict[tuple[str, str], str] = {}

# Parameters naming something inside one unit: a unit admin of a sibling unit must be refused.
UNIT_SCOPED_PARAMETERS = {
    "unit_id",
    "membership_id",
    "respondent_pk",
    "respondent_id",
    "action_id",
}


@dataclass
class World:
    """The owner organization with its people and objects, and the personas who try to get in."""

    ankeby: Any
    sibling_unit: Any  # a unit of Ankeby outside bob's subtree
    alice: Any  # key user of Ankeby
    bob: Any  # unit admin of Socialförvaltningen in Ankeby
    charlie: Any  # key user of Bebyholm kommun
    victor: Any  # viewer in Ankeby
    ulla: Any  # unit admin of the sibling unit
    # Objects built on first use by the samples below (measurements, respondents …).
    built: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]

    def measurement(self) -> Any:
        """Ankeby's measurement of the year."""
        from mognad.surveys.tests.factories import make_measurement

        return self.once("measurement", lambda: make_measurement(self.ankeby))

    def sibling_respondent(self) -> Any:
        """A respondent of Ankeby's measurement in the sibling unit (outside bob's subtree)."""
        from mognad.surveys.tests.factories import make_respondent

        return self.once(
            "sibling_respondent",
            lambda: make_respondent(self.measurement(), "rut@ankeby.se", unit=self.sibling_unit),
        )

    def plan(self) -> Any:
        """Ankeby's action plan of 2025 (on a closed measurement with results), with an action of
        the sibling unit."""
        from mognad.plans.actions import ActionFields, create_plan
        from mognad.surveys.tests.factories import AnswerGroup, closed_measurement

        def build() -> Any:
            measurement = closed_measurement(self.ankeby, [AnswerGroup(8, level=3.5)], year=2025)
            capability = measurement.instrument.definition().capabilities[0].id
            action = ActionFields.of(
                {"title": "Skolans systemkarta", "capabilities": [capability]}
                | {"unit": self.sibling_unit}
            )
            return create_plan(measurement, by=self.alice, actions=[action])

        return self.once("plan", build)

    def sibling_action(self) -> Any:
        """The plan's action of the sibling unit (outside bob's subtree)."""
        return self.once("sibling_action", lambda: self.plan().actions.get())

    def sibling_unit_names(self) -> list[str]:
        """What must not appear on a page refused to bob: the sibling unit and its people."""
        names = [self.sibling_unit.name, self.ulla.email, self.ulla.name]
        if "sibling_respondent" in self.built:
            names.append(self.built["sibling_respondent"].email)
        return names

    def owner_names(self) -> list[str]:
        """Names of Ankeby's things that must never appear on a page shown to an outsider.

        Unit names that the outsider's own organization also uses ("Socialförvaltningen") are left
        out: charlie may of course see his own units.
        """
        outsider_units = {
            unit.name
            for membership in self.charlie.memberships.all()
            for unit in membership.organization.units.all()
        }
        names = [self.ankeby.name]
        names += [unit.name for unit in self.ankeby.units.all() if unit.name not in outsider_units]
        for person in (self.alice, self.bob, self.victor, self.ulla):
            names += [person.email, person.name]
        if "sibling_respondent" in self.built:
            names.append(self.built["sibling_respondent"].email)
        return [name for name in names if name]


def world_from_personas(request: Any) -> World:
    """The World from the shared personas of mognad/conftest.py (`request` is pytest's)."""
    people = {
        name: request.getfixturevalue(name)
        for name in ("alice", "bob", "charlie", "victor", "ulla", "ankeby", "education")
    }
    return World(
        ankeby=people["ankeby"],
        sibling_unit=people["education"],
        alice=people["alice"],
        bob=people["bob"],
        charlie=people["charlie"],
        victor=people["victor"],
        ulla=people["ulla"],
    )


def route_named(name: str, urlconf: str | None = None) -> Route:
    for route in routes(urlconf):
        if route.name == name:
            return route
    raise LookupError(f"there is no route named {name!r}")


# Parameter (or "<namespace>:<parameter>") → the sample value, from the world of personas.
SAMPLES: dict[str, Callable[[World], object]] = {
    "slug": lambda world: world.ankeby.slug,
    "unit_id": lambda world: world.sibling_unit.pk,
    "membership_id": lambda world: world.ulla.memberships.get(organization=world.ankeby).pk,
    # mognad/surveys: `pk` is a measurement there.
    "surveys:pk": lambda world: world.measurement().pk,
    "surveys:respondent_pk": lambda world: world.sibling_respondent().pk,
    "surveys:kind": lambda world: "csv",  # the respondent list's export format
    # mognad/api: the JSON API (session or token) and the API tokens page.
    "api:v1:measurement_id": lambda world: world.measurement().pk,
    "api:v1:respondent_id": lambda world: world.sibling_respondent().pk,
    "api:token_id": lambda world: world.once("alice_token", lambda: _api_token(world.alice)),
    # mognad/national: publishing is the coordinator's (a draft, a release's downloads).
    "national:pk": lambda world: 1,
    "national:year": lambda world: 2026,
    "national:version": lambda world: 1,
    "national:name": lambda world: "opendata.zip",
    # mognad/orgs: a passkey is its owner's alone; resetting a second factor is the coordinator's.
    "orgs:passkey_id": lambda world: world.once("alice_passkey", lambda: _passkey(world.alice)),
    "orgs:user_id": lambda world: world.alice.pk,
    # mognad/plans: Ankeby's plan of a year, and an action of the sibling unit.
    "plans:year": lambda world: world.plan().year,
    "plans:action_id": lambda world: world.sibling_action().pk,
    "api:v1:year": lambda world: world.plan().year,
    "api:v1:action_id": lambda world: world.sibling_action().pk,
    # mognad/examples: an example of Ankeby waiting for review (unpublished: only Ankeby's members
    # and the national coordinator may see it; only the coordinator reviews it).
    "examples:example_id": lambda world: world.once("ankeby_example", lambda: _example(world)),
    "api:v1:example_id": lambda world: world.once("ankeby_example", lambda: _example(world)),
    "examples:conclusion_id": lambda world: world.once(
        "ankeby_conclusion", lambda: _conclusion(world)
    ),
}


def _conclusion(world: World) -> int:
    """A result dialogue's conclusion of Ankeby (only its key users turn it into an action)."""
    from mognad.examples.models import Conclusion

    return Conclusion.objects.create(
        organization=world.ankeby,
        measurement=world.measurement(),
        capability="eff.management",
        text="Utse systemägare.",
    ).pk


def _example(world: World) -> int:
    """A submitted, unpublished example of Ankeby kommun."""
    from mognad.examples.models import Example

    return Example.objects.create(
        organization=world.ankeby,
        year=2025,
        title="Systemägare i varje förvaltning",
        what_was_done="Vi utsåg systemägare.",
        effort=Example.Effort.SMALL,
        contact_role="IT-strateg",
        capabilities=["eff.management"],
        status=Example.Status.SUBMITTED,
    ).pk


def _passkey(user: Any) -> int:
    """A passkey of `user` (only its owner may remove it)."""
    from mognad.orgs.models import Passkey

    return Passkey.objects.create(
        user=user, name="Nyckel", credential_id=f"isolation-{user.pk}", public_key=b"\x00"
    ).pk


def _api_token(user: Any) -> int:
    """A personal API token of `user` (only its owner may revoke it)."""
    from mognad.api.tokens import create_token

    return int(create_token(user, name="Dashboard", days=30).token.pk)


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself for an unnamed route
    pattern: str  # the full pattern, e.g. "measurements/<int:pk>/"
    namespace: str
    parameters: tuple[str, ...]
    parts: tuple[Any, ...] = field(
        repr=False, compare=False
    )  # the pattern objects, outermost first

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC_ROUTES

    def missing_samples(self) -> list[str]:
        return [name for name in self.parameters if self.sample_key(name) is None]

    def sample_key(self, parameter: str) -> str | None:
        for key in (f"{self.namespace}:{parameter}", parameter):
            if key in SAMPLES:
                return key
        return None

    def path(self, world: World) -> str:
        """The URL of this route with every parameter filled from SAMPLES."""
        values = {}
        for parameter in self.parameters:
            key = self.sample_key(parameter)
            if key is None:
                raise LookupError(missing_sample_message(self, parameter))
            values[parameter] = SAMPLES[key](world)
        return "/" + "".join(_fill(part, values) for part in self.parts)


def missing_sample_message(route: Route, parameter: str | None = None) -> str:
    missing = [parameter] if parameter else route.missing_samples()
    keys = " / ".join(
        f"SAMPLES[{name!r}] (or SAMPLES['{route.namespace}:{name}'])" for name in missing
    )
    return (
        f"Route {route.name!r} ({route.pattern}) has no sample value for {', '.join(missing)}. "
        f"Add {keys} to mognad/tests/isolation.py: a function of the World returning the value "
        "for an object of Ankeby kommun; or, if anybody may use the route, list it in "
        "PUBLIC_ROUTES with a reason."
    )


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _fill(pattern: Any, values: dict[str, object]) -> str:
    if isinstance(pattern, RoutePattern):
        converters = pattern.converters

        def route_value(match: re.Match[str]) -> str:
            name = match["name"]
            return str(converters[name].to_url(values[name]))

        return _ROUTE_PARAMETER.sub(route_value, str(pattern))
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        text = _REGEX_GROUP.sub(lambda match: str(values[match["name"]]), text)
        if re.search(r"[()\[\]*+?|^$]", text.replace("\\", "")):
            raise ValueError(f"cannot build a URL from the regular expression {pattern}")
        return re.sub(r"\\(.)", r"\1", text)
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def _parameters(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _walk(resolver: URLResolver, parts: tuple[Any, ...], namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, (*parts, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            all_parts = (*parts, entry.pattern)
            full = "".join(str(part) for part in all_parts)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = full
            parameters = tuple(dict.fromkeys(p for part in all_parts for p in _parameters(part)))
            yield Route(name, full, namespace, parameters, all_parts)


def routes(urlconf: str | None = None) -> list[Route]:
    """Every route of the project (or of `urlconf`), in the order Django tries them."""
    return list(_walk(get_resolver(urlconf), (), ""))
