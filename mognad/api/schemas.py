"""What the API accepts and returns (pydantic models; they are also the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

# Database ids are 64-bit; anything larger is refused as invalid input, never sent to the database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

RoleName = Literal["politician", "top_management", "manager", "strategist", "it", "staff", "other"]
LanguageCode = Literal["sv", "en"]
NodeKind = Literal["overall", "dimension", "category", "capability", "item"]


# --- Errors -------------------------------------------------------------------------------------


class FieldError(Schema):
    location: str = Field(description="Where the problem is: body, query or path.")
    field: str = Field(description="The field's name, e.g. 'email' (dotted for nested fields).")
    message: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in plain words.")
    errors: list[FieldError] = Field(
        default_factory=list, description="One entry per invalid field (validation errors only)."
    )


# --- Organizations ------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    unit_type: str
    parent_id: int | None


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    code: str
    county: str
    size_class: str
    municipality_group: str
    role: str = Field(description="Your role: coordinator, key_user, unit_admin or viewer.")
    unit_id: int | None = Field(description="A unit admin's unit (their subtree), else null.")


class OrganizationDetailOut(OrganizationOut):
    units: list[UnitOut] = Field(description="The units you can see, in tree order.")


# --- Measurements -------------------------------------------------------------------------------


class InstrumentOut(Schema):
    key: str = Field(description="slug@version, e.g. standard@2026.1")
    name: str


class MeasurementOut(Schema):
    id: int
    organization: str = Field(description="The organization's slug.")
    year: int
    state: Literal["draft", "open", "closed"]
    instrument: InstrumentOut
    invitation_mode: str
    anonymous: bool
    opened_at: datetime | None
    closed_at: datetime | None


class ResponseRateOut(Schema):
    respondents: int = Field(description="People on the list (that you can see).")
    invited: int
    completed: int
    percent: int | None = Field(description="completed / invited in percent; null if none invited.")
    open_link_started: int
    open_link_submitted: int


class MeasurementDetailOut(MeasurementOut):
    response_rate: ResponseRateOut


# --- Results ------------------------------------------------------------------------------------


class NodeOut(Schema):
    node: NodeKind
    id: str
    name: str


class ScoreOut(Schema):
    node: NodeKind
    id: str
    score: float | None = Field(description="Percent of optimal preconditions; null if hidden.")
    low: float | None = Field(description="Lower end of the 95 % interval.")
    high: float | None = Field(description="Upper end of the 95 % interval.")
    n: int | None = Field(description="Respondents behind the figure; null if hidden.")
    suppressed: bool = Field(description="True when hidden by the anonymity threshold.")


class GroupOut(Schema):
    kind: Literal["organization", "unit", "role"]
    unit_id: int | None
    role: str | None
    name: str
    respondents: int | None = Field(description="null when hidden by the anonymity threshold.")
    invited: int | None
    suppressed: bool
    scores: list[ScoreOut]


class ResultsOut(Schema):
    measurement_id: int
    year: int
    instrument: str
    threshold: int = Field(description="The anonymity threshold k of this installation.")
    unit_id: int | None = Field(description="The unit the results are seen from; null: all.")
    nodes: list[NodeOut] = Field(description="Names of the instrument's nodes, in order.")
    groups: list[GroupOut]


# --- Respondents --------------------------------------------------------------------------------


class RespondentOut(Schema):
    id: int
    email: str
    unit_id: int | None
    role: str
    language: str
    status: Literal["pending", "invited", "started", "completed"] | None = Field(
        description="null in anonymous measurements: nobody sees who has answered, as on the pages."
    )
    invitations_sent: int | None = Field(description="null in anonymous measurements.")
    reminders_sent: int | None = Field(description="null in anonymous measurements.")


class RespondentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RespondentOut]


class RespondentIn(Schema):
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    unit_id: Id | None = Field(
        default=None, description="Required for unit admins: a unit of their subtree."
    )
    role: RoleName
    language: LanguageCode = "sv"

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        value = value.strip().lower()
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Enter a valid email address, e.g. name@example.se.")) from None
        return value


def json_schema(model: type[Schema]) -> dict[str, Any]:
    """The model's JSON schema inlined (no references), for a hand-declared request body."""
    schema: dict[str, Any] = model.model_json_schema()
    assert "$defs" not in schema, "inline request bodies must not need definitions"
    return schema
