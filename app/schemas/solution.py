"""Solutions."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from app.models import SOLUTION_KINDS, SOLUTION_STATUSES
from app.schemas.common import (
    ContactSchema,
    LinksSchema,
    OrganisationRefSchema,
    reference_field,
)
from app.schemas.validators import validate_slug

SOLUTION_SORTS = ("name", "-name", "created_at", "-created_at", "updated_at", "-updated_at")
"""Sort keys of the solution list; a leading dash sorts descending."""

Tag = fields.String(validate=[validate.Length(min=1, max=60), validate.Regexp(r"^[^\s,][^,]*$")])


class SolutionSchema(Schema):
    """A solution as written by a publisher (POST and PUT bodies)."""

    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    summary = fields.String(required=True, validate=validate.Length(min=10, max=500))
    description = fields.String(
        load_default="",
        validate=validate.Length(max=50000),
        metadata={"description": "Markdown"},
    )
    kind = fields.String(required=True, validate=validate.OneOf(SOLUTION_KINDS))
    status = fields.String(required=True, validate=validate.OneOf(SOLUTION_STATUSES))
    owner = reference_field(required=True)
    themes = fields.List(
        fields.String(validate=validate_slug),
        required=True,
        validate=validate.Length(min=1, max=14),
        metadata={"description": "LOS main theme slugs (last segment of the LOS URI)"},
    )
    standards = fields.List(
        fields.String(validate=validate_slug), load_default=list, validate=validate.Length(max=30)
    )
    tags = fields.List(Tag, load_default=list, validate=validate.Length(max=20))
    vendor = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    vendor_organisation = reference_field(allow_none=True, load_default=None)
    licence = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))
    links = fields.Nested(LinksSchema, load_default=dict)
    contact = fields.Nested(ContactSchema, load_default=dict)


class SolutionPatchSchema(SolutionSchema):
    """A partial change of a solution (PATCH body): every field optional."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class AdoptionSummarySchema(Schema):
    """An adoption as listed under a solution."""

    organisation = fields.Nested(OrganisationRefSchema, dump_only=True)
    status = fields.String(dump_only=True)
    since = fields.Date(dump_only=True, allow_none=True)


class SolutionOutSchema(SolutionSchema):
    """A solution as the API returns it."""

    slug = fields.String(dump_only=True)
    owner = fields.String(dump_only=True, attribute="owner.slug")
    owner_detail = fields.Nested(OrganisationRefSchema, dump_only=True, attribute="owner")
    themes = fields.List(fields.String(), dump_only=True, attribute="theme_slugs")
    standards = fields.List(fields.String(), dump_only=True, attribute="standard_slugs")
    vendor_organisation = fields.String(
        dump_only=True, allow_none=True, attribute="vendor_organisation.slug"
    )
    links = fields.Nested(LinksSchema, dump_only=True)
    contact = fields.Nested(ContactSchema, dump_only=True)
    adoption_count = fields.Integer(dump_only=True)
    is_example = fields.Boolean(
        dump_only=True, metadata={"description": "part of the example data, not a real entry"}
    )
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC)
    updated_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC)


class SolutionDetailSchema(SolutionOutSchema):
    """One solution with its adoptions."""

    adoptions = fields.List(fields.Nested(AdoptionSummarySchema), dump_only=True)


class SolutionQueryArgsSchema(Schema):
    """Filters, sorting and paging of the solution list."""

    kind = fields.List(fields.String(validate=validate.OneOf(SOLUTION_KINDS)))
    status = fields.List(fields.String(validate=validate.OneOf(SOLUTION_STATUSES)))
    theme = fields.List(fields.String(validate=validate.Length(max=100)))
    standard = fields.List(fields.String(validate=validate.Length(max=100)))
    owner = fields.List(fields.String(validate=validate.Length(max=100)))
    tag = fields.List(fields.String(validate=validate.Length(max=60)))
    sort = fields.String(load_default="name", validate=validate.OneOf(SOLUTION_SORTS))
