"""The API's example library: the published examples (approved by the national coordinator), for
any authenticated caller who is a member of an organization, with the pages' rules – an unnamed
organization shows only its kind and size class and no figures; unpublished examples are 404."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.params.functions import Path

from mognad.api.auth import user_of
from mognad.api.errors import COMMON
from mognad.api.example_schemas import ExampleOut, Kind
from mognad.api.schemas import MAX_ID, Error
from mognad.examples import access, queries
from mognad.examples.models import Example

router = Router(tags=["Examples"])

ExampleId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ExampleFilters(Schema):
    capability: str = ""
    maturity_type: str = ""
    kind: Kind | None = None
    size_class: str = ""


def _example(example: Example) -> dict[str, Any]:
    named = example.named
    figures = [
        {
            "capability": capability,
            "before": f["before"],
            "after": f["after"],
            "before_year": f["before_year"],
            "after_year": f["after_year"],
            "change": f.get("change"),
            "change_low": f["ci"][0] if f.get("ci") else None,
            "change_high": f["ci"][1] if f.get("ci") else None,
            "beyond_noise": bool(f.get("significant")),
        }
        for capability, f in sorted(example.figures.items())
    ]
    org = example.organization
    return {
        "id": example.pk,
        "title": example.title,
        "what_was_done": example.what_was_done,
        "effort": example.effort,
        "contact_role": example.contact_role,
        "capabilities": list(example.capabilities),
        "year": example.year,
        "maturity_type": example.maturity_type,
        "named": named,
        "organization": {
            "name": org.name if named else None,
            "kind": org.kind,
            "size_class": org.size_class,
        },
        "figures": figures if named else [],
        "published_at": example.reviewed_at,
    }


@router.get(
    "/examples/",
    response={200: list[ExampleOut], **{s: Error for s in COMMON}},
    url_name="examples",
    summary="Published examples from organizations",
)
def examples(request: HttpRequest, filters: Query[ExampleFilters]) -> list[dict[str, Any]]:
    """Every published example, newest first; filter by capability id, maturity type id, kind and
    size class of organization."""
    published = access.published_examples(user_of(request))
    found = queries.search(
        published,
        queries.Filters(
            capability=filters.capability,
            maturity_type=filters.maturity_type,
            kind=filters.kind or "",
            size_class=filters.size_class,
        ),
    )
    return [_example(e) for e in found]


@router.get(
    "/examples/{example_id}/",
    response={200: ExampleOut, **{s: Error for s in COMMON}},
    url_name="example",
    summary="One published example",
)
def example(request: HttpRequest, example_id: ExampleId) -> dict[str, Any]:
    found = access.published_examples(user_of(request)).filter(pk=example_id).first()
    if found is None:
        raise Http404
    return _example(found)
