"""Accounts of people (the CLI and the admin pages create them)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.user import USER_ROLES
from app.schemas.common import Text, reference_field


class UserCreateSchema(Schema):
    """A new account: who, for which organisation, with which role."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    organisation = reference_field(required=True)
    role = fields.String(load_default="editor", validate=validate.OneOf(USER_ROLES))
    name = Text(load_default="", validate=validate.Length(max=200))
