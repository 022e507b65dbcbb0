"""Themes and standards."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.schemas.validators import validate_slug


class ThemeSchema(Schema):
    """A LOS main theme."""

    slug = fields.String(required=True, validate=validate_slug)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    uri = fields.Url(required=True)


class StandardSchema(Schema):
    """A national standard or common component."""

    slug = fields.String(required=True, validate=validate_slug)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    url = fields.Url(allow_none=True, load_default=None)
    category = fields.String(
        load_default="standard",
        validate=validate.OneOf(["standard", "felleskomponent", "register", "api"]),
    )
