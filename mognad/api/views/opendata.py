"""The public open-data API: the published releases and their files, no token.

Only published releases are served (`mognad.national.publishing.queries`), never drafts, and
each file exactly as it was published: the same release always gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja.params.functions import Path
from pydantic import Field

from mognad.api.errors import not_found
from mognad.api.schemas import Error
from mognad.national.publishing import queries
from mognad.national.publishing.models import PublishedRelease

router = Router(tags=["Open data"], auth=None)

# The files of a release's open data package, by the name in the address.
FILES = {
    "datapackage.json": "application/json",
    "organizations.csv": "text/csv; charset=utf-8",
    "national.csv": "text/csv; charset=utf-8",
    "README.md": "text/markdown; charset=utf-8",
}
Year = Annotated[int, Path(ge=2000, le=2100, description="The year of the figures.")]
Version = Annotated[int, Path(ge=1, le=1000, description="The release's version (1, 2, …).")]


class ReleaseOut(Schema):
    year: int
    version: int
    published_at: datetime
    licence: str = Field(description="The open data's licence: CC0-1.0 or CC-BY-4.0.")
    errata: str = Field(description="What this version corrects (empty for version 1).")
    latest: bool = Field(description="Whether this is the newest version of the year.")
    datapackage: str = Field(description="The address of the release's datapackage.json.")
    files: dict[str, str] = Field(description="The address of each file of the package.")


class ReleaseList(Schema):
    releases: list[ReleaseOut]


def _file_url(request: HttpRequest, found: PublishedRelease, name: str) -> str:
    path = reverse("api:v1:open_data_file", args=[found.year, found.version, name])
    return request.build_absolute_uri(path)


@router.get(
    "/open-data/",
    response={200: ReleaseList},
    url_name="open_data",
    summary="The published releases of open data",
)
def releases(request: HttpRequest) -> dict[str, Any]:
    """Every published release, newest year and version first (public, no token)."""
    found = list(queries.releases())
    newest: dict[int, int] = {}
    for item in found:
        newest.setdefault(item.year, item.version)
    return {
        "releases": [
            {
                "year": item.year,
                "version": item.version,
                "published_at": item.published_at,
                "licence": item.licence,
                "errata": item.errata,
                "latest": newest[item.year] == item.version,
                "datapackage": _file_url(request, item, "datapackage.json"),
                "files": {name: _file_url(request, item, name) for name in FILES},
            }
            for item in found
        ]
    }


def _content(media_type: str) -> dict[str, Any]:
    return {media_type.split(";")[0]: {"schema": {"type": "string"}}}


@router.get(
    "/open-data/{year}/{version}/{name}",
    response={404: Error, 422: Error},
    url_name="open_data_file",
    summary="One file of a release's open data",
    openapi_extra={
        "parameters": [
            {
                "in": "path",
                "name": "name",
                "required": True,
                "schema": {"type": "string", "enum": list(FILES)},
                "description": "datapackage.json, organizations.csv, national.csv or README.md.",
            }
        ],
        "responses": {
            "200": {
                "description": "The file exactly as published.",
                "content": {
                    key: value for media in FILES.values() for key, value in _content(media).items()
                },
            }
        },
    },
)
def release_file(request: HttpRequest, year: Year, version: Version, name: str) -> HttpResponse:
    """A file of a published release's open data package (public, no token)."""
    found = queries.release(year, version)
    if found is None:
        raise not_found(f"No release {version} of {year} is published.")
    if name not in FILES:
        raise not_found(f"A release has no file {name!r}; see its datapackage.json.")
    response = HttpResponse(found.file(f"opendata/{name}"), content_type=FILES[name])
    response["Content-Disposition"] = f'inline; filename="mognad-{year}-v{version}-{name}"'
    return response
