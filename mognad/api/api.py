"""The JSON API, mounted at /api/v1/ (mognad/api/urls.py); the schema is /api/v1/openapi.json.

Authentication is in auth.py, the error format in errors.py, the endpoints in views/endpoints.py.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI

from mognad.api import errors
from mognad.api.auth import SessionAuth, TokenAuth
from mognad.api.reference import LocalSwagger
from mognad.api.views import endpoints, opendata
from mognad.api.views import examples as example_endpoints
from mognad.api.views import plans as plan_endpoints

api = NinjaAPI(
    title="Mognad API",
    version="1",
    description=(
        "Read your organizations' measurements and results and manage respondents. "
        "Authentication: `Authorization: Bearer <personal API token>` (create one on your "
        "account page). See docs/api.md for examples, errors and rate limits."
    ),
    urls_namespace="api:v1",
    auth=[TokenAuth(), SessionAuth()],
    # The interactive reference, Swagger UI from our own static files (reference.py).
    docs=LocalSwagger(),
    docs_url="/docs",
)
errors.register(api)


@api.get("/", auth=None, include_in_schema=False, url_name="root")
def root(request: HttpRequest) -> dict[str, object]:
    """What a client finds at /api/v1/: where the schema and the documentation are."""
    return {
        "name": api.title,
        "version": api.version,
        "schema": request.build_absolute_uri(reverse("api:v1:openapi-json")),
        "reference": request.build_absolute_uri(reverse("api:v1:openapi-view")),
        "documentation": "docs/api.md in the Mognad source repository",
    }


api.add_router("", endpoints.router)
api.add_router("", plan_endpoints.router)
api.add_router("", example_endpoints.router)
api.add_router("", opendata.router)
