"""One error format for the whole API: `{"detail": "...", "errors": [...]}` with a 4xx status.

`errors` lists invalid fields (location, field, message) for validation errors and is empty
otherwise. Bad input never reaches the database and never causes a 500.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mognad.api.auth import TooManyRequests
from mognad.platform.actions import ActionError

S = TypeVar("S", bound=Schema)

# The error responses every authenticated operation may give (documented in the schema).
COMMON = (401, 404, 422, 429)


class ApiMessage(str):
    """A 404 message meant for the caller (e.g. "no results yet"), not the generic one."""


def not_found(message: str) -> Http404:
    return Http404(ApiMessage(message))


def read_body(request: HttpRequest, model: type[S]) -> S:
    """Parse and validate a JSON body. Views call it after the access checks, so somebody who may
    not write gets 404/403, never a validation error."""
    try:
        data = json.loads(request.body or b"null")
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise HttpError(400, _("The request body must be a JSON object."))
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [
                {"loc": ("body", *error["loc"]), "msg": error["msg"], "type": error["type"]}
                for error in exc.errors(include_url=False)
            ]
        ) from None


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    errors = []
    for entry in exc.errors:
        location = [str(part) for part in entry.get("loc", ())]
        where = location[0] if location else "body"
        fields = location[1:]
        message = str(entry.get("msg", "invalid")).removeprefix("Value error, ")
        errors.append({"location": where, "field": ".".join(fields), "message": message})
    return errors


def register(api: NinjaAPI) -> None:
    """Install the handlers that turn every refusal into the one error format."""

    def error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        body = {"detail": detail, "errors": [], **extra}
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = str(exc)
        if detail == "Unauthorized":  # ninja's own: no credentials at all
            detail = _("Authentication required: send 'Authorization: Bearer <your API token>'.")
        response = error(request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="mognad"'
        return response

    @api.exception_handler(TooManyRequests)
    def too_many(request: HttpRequest, exc: TooManyRequests) -> HttpResponse:
        response = error(request, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = exc.args[0] if exc.args and isinstance(exc.args[0], ApiMessage) else ""
        return error(request, 404, str(message) or _("Not found (or not yours)."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = _("You may read this, but your role does not allow changing it.")
        return error(request, 403, message)

    @api.exception_handler(ActionError)
    def conflict(request: HttpRequest, exc: ActionError) -> HttpResponse:
        return error(request, 409, str(exc))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(request, exc.status_code, str(exc))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = field_errors(exc)
        summary = "; ".join(f"{e['field'] or e['location']}: {e['message']}" for e in errors)
        detail = _("The request is not valid: %(problems)s") % {"problems": summary}
        return error(request, 422, detail, errors=errors)
