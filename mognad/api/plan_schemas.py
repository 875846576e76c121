"""What the API accepts and returns for action plans (also their OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from mognad.api.schemas import Id

Status = Literal["planned", "ongoing", "done", "dropped"]
Origin = Literal["suggestion", "dialogue", "own"]
CapabilityId = Annotated[str, Field(min_length=1, max_length=100)]
LongText = Annotated[str, Field(max_length=5000)]


class ActionOut(Schema):
    id: int
    year: int = Field(description="The year of the plan the action belongs to.")
    title: str
    capabilities: list[str] = Field(description="The instrument's capability ids.")
    description: str
    expected_effect: str
    owner: str = Field(description="Free text: a name or a role.")
    owner_user_id: int | None = Field(description="The owner among the members, if any.")
    unit_id: int | None
    start: date | None
    due: date | None
    status: Status
    origin: Origin
    done_at: datetime | None = Field(description="When it was marked done (a completed action).")
    created_at: datetime
    updated_at: datetime


class PlanOut(Schema):
    year: int
    measurement_id: int = Field(description="The measurement whose results the plan builds on.")
    created_at: datetime
    actions: list[ActionOut] = Field(description="The actions you can see (unit admins: theirs).")


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    capabilities: list[CapabilityId] = Field(min_length=1, max_length=50)
    description: LongText = ""
    expected_effect: LongText = ""
    owner: str = Field(default="", max_length=200)
    owner_user_id: Id | None = None
    unit_id: Id | None = Field(
        default=None, description="Required for unit admins: a unit of their subtree."
    )
    start: date | None = None
    due: date | None = None
    status: Status = "planned"
    origin: Origin = "own"


class ActionChange(Schema):
    """Only the fields given change; `null` clears an optional one."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    capabilities: list[CapabilityId] | None = Field(default=None, min_length=1, max_length=50)
    description: LongText | None = None
    expected_effect: LongText | None = None
    owner: str | None = Field(default=None, max_length=200)
    owner_user_id: Id | None = None
    unit_id: Id | None = None
    start: date | None = None
    due: date | None = None
    status: Status | None = None
