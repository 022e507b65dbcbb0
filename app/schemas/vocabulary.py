"""Themes and standards."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.schemas.common import Text
from app.schemas.validators import validate_slug


class ThemeSchema(Schema):
    """A LOS main theme."""

    slug = fields.String(required=True, validate=validate_slug)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    uri = fields.Url(required=True, validate=validate.Length(max=300))


class StandardSchema(Schema):
    """A national standard or common component."""

    slug = fields.String(required=True, validate=validate_slug)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    description = Text(load_default="", validate=validate.Length(max=2000))
    url = fields.Url(allow_none=True, load_default=None, validate=validate.Length(max=500))
    category = fields.String(
        load_default="standard",
        validate=validate.OneOf(["standard", "felleskomponent", "register", "api"]),
    )
