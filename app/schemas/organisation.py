"""Organisations."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models import ORGANISATION_KINDS
from app.schemas.validators import validate_kommunenummer, validate_orgnr, validate_slug


class OrganisationSchema(Schema):
    """An organisation as loaded from data and returned by the API."""

    slug = fields.String(required=True, validate=validate_slug)
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    kommunenummer = fields.String(
        allow_none=True, load_default=None, validate=validate_kommunenummer
    )
    orgnr = fields.String(allow_none=True, load_default=None, validate=validate_orgnr)
    website = fields.Url(allow_none=True, load_default=None)
    email = fields.Email(allow_none=True, load_default=None)
    members = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        load_default=list,
        metadata={"description": "member organisations of a collaboration (kommunenummer or slug)"},
    )

    @validates_schema
    def _kommune_has_number(self, data: dict[str, object], **kwargs: object) -> None:
        if data.get("kind") == "kommune" and not data.get("kommunenummer"):
            raise ValidationError("A kommune needs its kommunenummer.", "kommunenummer")
        if data.get("kind") != "kommune" and data.get("kommunenummer"):
            raise ValidationError("Only a kommune has a kommunenummer.", "kommunenummer")
        if data.get("members") and data.get("kind") != "samarbeid":
            raise ValidationError("Only a collaboration (samarbeid) has members.", "members")


class OrganisationOutSchema(OrganisationSchema):
    """An organisation with what it shares and uses (responses only)."""

    members = fields.List(fields.String(), dump_only=True, attribute="member_refs")
    solution_count = fields.Integer(dump_only=True)
    adoption_count = fields.Integer(dump_only=True)
