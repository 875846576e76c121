"""The JSON API, mounted at /api/v1/ (mognad/api/urls.py); the schema is /api/v1/openapi.json.

Authentication is in auth.py, the error format in errors.py, the endpoints in views/endpoints.py.
"""

from __future__ import annotations

from ninja import NinjaAPI

from mognad.api import errors
from mognad.api.auth import SessionAuth, TokenAuth
from mognad.api.views import endpoints

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
    # Swagger UI is not served: it would need ninja's static files and an accessibility review
    # (docs/api.md, "Interactive documentation").
    docs_url=None,
)
errors.register(api)
api.add_router("", endpoints.router)
