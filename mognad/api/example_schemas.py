"""What the API returns for published examples (also their OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

Effort = Literal["small", "medium", "large"]
Kind = Literal["municipality", "region", "agency", "company"]


class ExampleFigure(Schema):
    capability: str = Field(description="The instrument's capability id.")
    before: float = Field(description="The released score before, percent.")
    after: float = Field(description="The released score after, percent.")
    before_year: int
    after_year: int
    change: float | None = Field(description="after − before, percentage points.")
    change_low: float | None = Field(description="The change's 95 % interval, low end.")
    change_high: float | None
    beyond_noise: bool = Field(description="The interval of the change excludes zero.")


class ExampleOrganization(Schema):
    name: str | None = Field(description="Only when the organization agreed to be named.")
    kind: Kind
    size_class: str = Field(description="XS, S, M, L, XL, or empty when unknown.")


class ExampleOut(Schema):
    id: int
    title: str
    what_was_done: str
    effort: Effort
    contact_role: str = Field(description="A role, not a person; unnamed: ask the coordinator.")
    capabilities: list[str] = Field(description="The instrument's capability ids.")
    year: int = Field(description="The year of the results the action answered.")
    maturity_type: str = Field(description="The maturity type's id then, or empty.")
    named: bool
    organization: ExampleOrganization
    figures: list[ExampleFigure] = Field(description="Released figures; empty when unnamed.")
    published_at: datetime | None
