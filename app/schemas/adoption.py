"""Adoptions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import ADOPTION_STATUSES
from app.schemas.common import (
    ContactSchema,
    OrganisationRefSchema,
    Text,
    UtcDateTime,
    reference_field,
)
from app.schemas.validators import validate_slug


class AdoptionSchema(Schema):
    """An adoption as written (PUT body; POST adds the organisation or solution)."""

    status = fields.String(required=True, validate=validate.OneOf(ADOPTION_STATUSES))
    since = fields.Date(allow_none=True, load_default=None)
    wanted_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "considering or planning it: when the organisation wants it in "
            "place (partners plan by it; see /api/v1/shared-plans)"
        },
    )
    contact = fields.Nested(ContactSchema, load_default=dict)
    notes = Text(load_default="", validate=validate.Length(max=5000))
    status_reason = Text(
        load_only=True,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={
            "description": "why the status changes; required when it becomes retired. Kept "
            "in the adoption's status history"
        },
    )


class SolutionAdoptionCreateSchema(AdoptionSchema):
    """POST /solutions/{slug}/adoptions: which organisation uses the solution."""

    organisation = reference_field(required=True)


class OrganisationAdoptionCreateSchema(AdoptionSchema):
    """POST /organisations/{ref}/adoptions: which solution the organisation uses."""

    solution = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=120), validate_slug],
        metadata={"description": "slug of the solution"},
    )


class AdoptionPatchSchema(AdoptionSchema):
    """A partial change of an adoption (PATCH body)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class SolutionRefSchema(Schema):
    """A solution as an adoption shows it."""

    slug = fields.String()
    name = fields.String()
    kind = fields.String()


class StatusChangeSchema(Schema):
    """One dated status of an adoption, with the reason given."""

    status = fields.String(dump_only=True)
    changed_on = fields.Date(dump_only=True)
    reason = fields.String(dump_only=True, allow_none=True)


class AdoptionOutSchema(AdoptionSchema):
    """An adoption as the API returns it."""

    organisation = fields.Nested(OrganisationRefSchema, dump_only=True)
    solution = fields.Nested(SolutionRefSchema, dump_only=True)
    contact = fields.Nested(ContactSchema, dump_only=True)
    status_history = fields.List(
        fields.Nested(StatusChangeSchema),
        dump_only=True,
        attribute="status_changes",
        metadata={"description": "every status the adoption has had, oldest first"},
    )
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)
