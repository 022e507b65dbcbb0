"""API tokens as their organisation's editors name them."""

from __future__ import annotations

from marshmallow import Schema, validate

from app.schemas.common import Text


class TokenNameSchema(Schema):
    """What a token is for ("Fagsystemet", "Leverandøren X")."""

    name = Text(load_default="", validate=validate.Length(max=200))
