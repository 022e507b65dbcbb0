"""Building blocks shared by several schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class ContactSchema(Schema):
    """A contact person."""

    name = fields.String(validate=validate.Length(min=1, max=200), allow_none=True)
    role = fields.String(validate=validate.Length(max=200), allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)


class LinksSchema(Schema):
    """Links of a solution."""

    homepage = fields.Url(validate=validate.Length(max=500), allow_none=True)
    documentation = fields.Url(validate=validate.Length(max=500), allow_none=True)
    source_code = fields.Url(validate=validate.Length(max=500), allow_none=True)


class OrganisationRefSchema(Schema):
    """An organisation as other resources show it."""

    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    kommunenummer = fields.String(allow_none=True)


class PaginationQueryArgsSchema(Schema):
    """Page and page size of a listing."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def reference_field(**kwargs: object) -> fields.String:
    """Return a field for an organisation reference: a kommunenummer or a slug."""
    return fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "kommunenummer (4 digits) or organisation slug"},
        **kwargs,  # type: ignore[arg-type]
    )
