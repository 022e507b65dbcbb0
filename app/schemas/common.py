"""Building blocks shared by several schemas."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields, validate

from app.models.base import as_utc
from app.schemas.validators import KOMMUNENUMMER, SLUG, FullMatch

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Characters no text of the catalogue holds: control characters (PostgreSQL refuses NUL
outright; tab and line breaks are fine) and lone surrogates, which JSON can spell (``\\ud800``)
but UTF-8 cannot store."""


MAX_AMOUNT = 99_999_999_999.0
"""The largest amount (NOK, hours, a benefit's value) a field takes: the columns are
``Numeric(14, 2)`` (``Numeric(12, 2)`` for effort), so larger values would overflow on
PostgreSQL instead of being refused with a 422."""

AMOUNT_RANGE_ERROR = "Must be a number from 0 to 99999999999."
"""The message of an amount outside 0..MAX_AMOUNT."""

MAX_EFFORT_HOURS = 9_999_999.0
"""The largest internal effort in hours."""

TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""The OpenAPI ``pattern`` of a ``Text`` (lone surrogates cannot be written in one)."""


class Text(fields.String):
    """A string without control characters.

    Every free-text field uses it, so a stray NUL byte is a 422 naming the field rather than a
    database error (500) on PostgreSQL. The OpenAPI document states the rule as a ``pattern``.
    """

    default_error_messages = {"control": "Must not contain control characters or lone surrogates."}

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": TEXT_PATTERN, **(kwargs.pop("metadata", None) or {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL_CHARACTERS.search(text):
            raise self.make_error("control")
        return text


class UtcDateTime(fields.AwareDateTime):
    """A timestamp, always written in UTC with its offset.

    SQLite hands back naive datetimes (the models store UTC) and PostgreSQL aware ones in the
    session's zone; both leave the API as ``…+00:00``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return super()._serialize(None if value is None else as_utc(value), attr, obj, **kwargs)


class WebUrl(fields.Url):
    """An absolute http(s) or ftp(s) URL, documented as such.

    marshmallow's ``Url`` is documented as ``format: url``, which JSON Schema does not know, so
    the OpenAPI document said "any string"; ``uri`` and a scheme pattern say what is accepted.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"format": "uri", "pattern": "^(https?|ftps?)://[^\\s]+$"}
        super().__init__(metadata={**metadata, **(kwargs.pop("metadata", None) or {})}, **kwargs)


class ContactSchema(Schema):
    """A contact person."""

    name = Text(validate=validate.Length(min=1, max=200), allow_none=True)
    role = Text(validate=validate.Length(max=200), allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)


class LinksSchema(Schema):
    """Links of a solution."""

    homepage = WebUrl(validate=validate.Length(max=500), allow_none=True)
    documentation = WebUrl(validate=validate.Length(max=500), allow_none=True)
    source_code = WebUrl(validate=validate.Length(max=500), allow_none=True)


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


validate_organisation_ref = FullMatch(
    re.compile(f"{KOMMUNENUMMER.pattern}|{SLUG.pattern}"),
    "Give a kommunenummer (4 digits) or an organisation slug (lowercase letters, digits "
    "and dashes).",
)
"""Raise unless the value looks like a kommunenummer or an organisation slug."""


def reference_field(**kwargs: Any) -> fields.String:
    """Return a field for an organisation reference: a kommunenummer or a slug."""
    metadata = {"description": "kommunenummer (4 digits) or organisation slug"}
    metadata.update(kwargs.pop("metadata", None) or {})
    return fields.String(
        validate=[validate.Length(min=1, max=100), validate_organisation_ref],
        metadata=metadata,
        **kwargs,
    )
