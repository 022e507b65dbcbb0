"""Organisations."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.limits import ORGANISATION_EMBED_LIMIT
from app.models import ORGANISATION_KINDS
from app.schemas.adoption import SolutionRefSchema
from app.schemas.common import Text
from app.schemas.validators import validate_kommunenummer, validate_orgnr, validate_slug


class OrganisationSchema(Schema):
    """An organisation as loaded from data and returned by the API."""

    slug = fields.String(required=True, validate=validate_slug)
    name = Text(required=True, validate=validate.Length(min=2, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    kommunenummer = fields.String(
        allow_none=True, load_default=None, validate=validate_kommunenummer
    )
    orgnr = fields.String(allow_none=True, load_default=None, validate=validate_orgnr)
    website = fields.Url(allow_none=True, load_default=None, validate=validate.Length(max=500))
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
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


class OwnedSolutionSchema(Schema):
    """A solution as its owner's page lists it."""

    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    status = fields.String()
    adoption_count = fields.Integer()


class UsedSolutionSchema(Schema):
    """An adoption as the adopting organisation's page lists it."""

    solution = fields.Nested(SolutionRefSchema)
    status = fields.String()
    since = fields.Date(allow_none=True)


def _embedded(schema: type[Schema], what: str, collection: str) -> fields.List:
    """Return a list the detail embeds, its first rows unless ``embed=all``."""
    return fields.List(
        fields.Nested(schema),
        dump_only=True,
        metadata={
            "description": f"{what}: the first {ORGANISATION_EMBED_LIMIT} unless embed=all; "
            f"every one is at /api/v1/organisations/{{ref}}/{collection}"
        },
    )


class OrganisationDetailSchema(OrganisationOutSchema):
    """One organisation with the solutions it owns and the adoptions it has recorded.

    Dumps an ``OrganisationDetail`` of the services: the lists are its own, every other field
    is its organisation's.
    """

    solutions = _embedded(
        OwnedSolutionSchema, "the published solutions it owns, by name", "solutions"
    )
    solutions_total = fields.Integer(
        dump_only=True, metadata={"description": "how many solutions it owns in all"}
    )
    adoptions = _embedded(
        UsedSolutionSchema, "what it uses, pilots or considers, by solution name", "adoptions"
    )
    adoptions_total = fields.Integer(
        dump_only=True, metadata={"description": "how many adoptions it has recorded in all"}
    )

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """Read the lists from the detail and the rest from its organisation."""
        if attr in ("solutions", "adoptions", "solutions_total", "adoptions_total"):
            return getattr(obj, attr)
        return super().get_attribute(obj.organisation, attr, default)
