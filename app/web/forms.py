"""Query-string schemas of the pages: what a URL may hold, checked before any service runs.

A malformed value (``?page=abc``, an unknown sort) answers 400 with the Norwegian error page,
never 500. Parameters a page does not know are ignored, so links with tracking parameters from
intranet portals still work.
"""

from __future__ import annotations

from typing import Any

from flask import Request
from marshmallow import Schema, fields, post_load, validate
from webargs.flaskparser import parser

from app.limits import MAX_MIN_ADOPTERS
from app.models import ADOPTION_STATUSES

MAX_PAGE = 1000
"""Highest page number a listing accepts."""

FILTER_VALUE = fields.String(validate=validate.Length(max=100))
"""One value of a filter (a slug or kommunenummer); empty values are dropped."""


def _filter_list() -> fields.List:
    return fields.List(FILTER_VALUE, load_default=list, validate=validate.Length(max=50))


class PageArgsSchema(Schema):
    """A page number."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))


class SearchArgsSchema(PageArgsSchema):
    """The search page: text, filters (each repeatable), sort order and page."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    kind = _filter_list()
    status = _filter_list()
    theme = _filter_list()
    standard = _filter_list()
    owner = _filter_list()
    adopted_by = _filter_list()
    vendor = _filter_list()
    not_adopted_by = _filter_list()
    freshness = _filter_list()
    min_adopters = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=MAX_MIN_ADOPTERS)
    )
    family = fields.String(load_default="", validate=validate.Length(max=200))
    collapse_families = fields.Boolean(load_default=False)
    sort = fields.String(
        load_default="relevance", validate=validate.OneOf(("relevance", "newest", "most_adopted"))
    )

    @post_load
    def _tidy(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["q"] = " ".join(data["q"].split())
        data["family"] = data["family"].strip()
        for name in (*FILTER_NAMES, "not_adopted_by"):
            data[name] = list(dict.fromkeys(v.strip() for v in data[name] if v.strip()))
        return data


FILTER_NAMES = (
    "theme",
    "kind",
    "status",
    "owner",
    "vendor",
    "standard",
    "adopted_by",
    "freshness",
)
"""The filters of the search page, in the order the page shows their facets."""


class SuggestArgsSchema(Schema):
    """The prefix the browser's search bar sends for suggestions."""

    q = fields.String(load_default="", validate=validate.Length(max=200))


class CompareArgsSchema(Schema):
    """The comparison page: the organisations chosen (a list, or one comma-separated value)."""

    kommuner = fields.List(fields.String(validate=validate.Length(max=500)), load_default=list)
    theme = fields.String(load_default="", validate=validate.Length(max=100))


class MatrixArgsSchema(PageArgsSchema):
    """The reuse matrix: optional theme, owner, kommune group and status; order; a page."""

    theme = fields.String(load_default="", validate=validate.Length(max=100))
    owner = fields.String(load_default="", validate=validate.Length(max=100))
    group = fields.String(load_default="", validate=validate.Length(max=100))
    status = fields.String(load_default="", validate=validate.OneOf(("", *ADOPTION_STATUSES)))
    sort = fields.String(
        load_default="users",
        validate=validate.Regexp(r"^(users|name|\d{4})$", error="Ukjent sortering."),
    )


def parse_args(schema: Schema, request: Request, location: str = "query") -> dict[str, Any]:
    """Return the request's parameters loaded by ``schema``; abort with 400 if any is invalid."""
    args: dict[str, Any] = parser.parse(schema, request, location=location, error_status_code=400)
    return args
