"""Solutions."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.limits import MAX_FILTER_VALUES
from app.models import SOLUTION_KINDS, SOLUTION_STATUSES
from app.models.quality import FRESHNESS_STATES, RECOMMENDED
from app.models.solution import LINEAGE_KINDS
from app.schemas.common import (
    MAX_AMOUNT,
    MAX_EFFORT_HOURS,
    ContactSchema,
    LinksSchema,
    OrganisationRefSchema,
    Text,
    UtcDateTime,
    reference_field,
)
from app.schemas.validators import validate_slug

SOLUTION_SORTS = ("name", "-name", "created_at", "-created_at", "updated_at", "-updated_at")
"""Sort keys of the solution list; a leading dash sorts descending."""


class TagField(Text):
    """A tag: trimmed and lowercased before its length is checked, as it is stored."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()


def tag_field() -> TagField:
    """Return the field of one tag (no commas: clients and the web form split on them)."""
    return TagField(
        validate=[validate.Length(min=1, max=60), validate.Regexp(r"^[^,]*$", error="No commas.")],
        # Documented: no commas and (as every Text) no control characters.
        metadata={"pattern": r"^[^,\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"},
    )


def _estimate(description: str, maximum: float = MAX_AMOUNT) -> fields.Float:
    return fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(
            min=0, max=maximum, error=f"Must be a number from 0 to {maximum:.0f}."
        ),
        metadata={"description": description},
    )


class AdoptionCostEstimateSchema(Schema):
    """What adopting a solution typically costs a newcomer, as its owner reports it."""

    one_off_nok = _estimate("typical one-off cost in NOK (licence, implementation, training)")
    yearly_nok = _estimate("typical yearly running cost in NOK")
    effort_hours = _estimate("typical internal effort in hours", MAX_EFFORT_HOURS)
    lead_time_weeks = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=0, max=520, error="Must be a number of weeks from 0 to 520."),
        metadata={"description": "typical time from decision to use, in weeks"},
    )


class SolutionSchema(Schema):
    """A solution as written by a publisher (POST and PUT bodies)."""

    name = Text(required=True, validate=validate.Length(min=3, max=200))
    summary = Text(required=True, validate=validate.Length(min=10, max=500))
    description = Text(
        load_default="",
        validate=validate.Length(max=50000),
        metadata={"description": "Markdown"},
    )
    kind = fields.String(required=True, validate=validate.OneOf(SOLUTION_KINDS))
    status = fields.String(required=True, validate=validate.OneOf(SOLUTION_STATUSES))
    owner = reference_field(required=True)
    themes = fields.List(
        fields.String(validate=validate_slug),
        required=True,
        validate=validate.Length(min=1, max=14),
        metadata={"description": "LOS main theme slugs (last segment of the LOS URI)"},
    )
    standards = fields.List(
        fields.String(validate=validate_slug), load_default=list, validate=validate.Length(max=30)
    )
    tags = fields.List(tag_field(), load_default=list, validate=validate.Length(max=20))
    vendor = Text(allow_none=True, load_default=None, validate=validate.Length(max=200))
    vendor_organisation = reference_field(allow_none=True, load_default=None)
    licence = Text(allow_none=True, load_default=None, validate=validate.Length(max=100))
    links = fields.Nested(LinksSchema, load_default=dict)
    contact = fields.Nested(ContactSchema, load_default=dict)
    adoption_cost = fields.Nested(
        AdoptionCostEstimateSchema,
        load_default=dict,
        metadata={"description": "what the owner reports it typically costs a newcomer to adopt"},
    )
    # No defaults: left out, the reason and the lineage stay as they are.
    retired_reason = Text(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={
            "description": "why the solution is retired; required when the status becomes "
            "retired, so the kommuner using it know what to do"
        },
    )
    based_on = fields.String(
        allow_none=True,
        validate=validate_slug,
        metadata={
            "description": "slug of the solution this one is based on or a variant of "
            "(publiccode.yml isBasedOn); null removes the link"
        },
    )
    based_on_kind = fields.String(
        allow_none=True,
        validate=validate.OneOf(LINEAGE_KINDS),
        metadata={"description": "based_on (built on it, the default) or variant_of"},
    )
    # No default: left out, a new solution is published and a draft stays a draft.
    is_draft = fields.Boolean(
        metadata={
            "description": "a draft is visible only to its organisation (and admins) until it "
            "is published with is_draft: false; a published solution cannot become a draft"
        }
    )


class SolutionPatchSchema(SolutionSchema):
    """A partial change of a solution (PATCH body): every field optional."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class AdoptionSummarySchema(Schema):
    """An adoption as listed under a solution."""

    organisation = fields.Nested(OrganisationRefSchema, dump_only=True)
    status = fields.String(dump_only=True)
    since = fields.Date(dump_only=True, allow_none=True)


class FreshnessSchema(Schema):
    """How current an entry is, from the last time its owner confirmed it."""

    state = fields.String(
        dump_only=True,
        metadata={
            "enum": list(FRESHNESS_STATES),
            "description": "current; needs_review (not confirmed for 12 months); stale (24 months)",
        },
    )
    last_confirmed_on = fields.Date(dump_only=True, allow_none=True)
    review_due_on = fields.Date(dump_only=True, allow_none=True)
    stale_on = fields.Date(dump_only=True, allow_none=True)


class CompletenessSchema(Schema):
    """How much of what is recommended the entry has."""

    score = fields.Integer(dump_only=True, metadata={"description": "0–100 per cent"})
    missing = fields.Function(
        lambda completeness: [r.field for r in completeness.missing],
        dump_only=True,
        metadata={
            "type": "array",
            "items": {"type": "string", "enum": [r.field for r in RECOMMENDED]},
            "description": "recommended fields the entry lacks, in the order to add them",
        },
    )


class ConfirmationSchema(Schema):
    """The body of a confirmation: an empty JSON object (``{}``); the date is today's."""


class RelatedSolutionSchema(Schema):
    """Another solution of the same family, as a link."""

    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    owner = fields.String(dump_only=True, attribute="owner.slug")


class SolutionOutSchema(SolutionSchema):
    """A solution as the API returns it."""

    slug = fields.String(dump_only=True)
    owner = fields.String(dump_only=True, attribute="owner.slug")
    owner_detail = fields.Nested(OrganisationRefSchema, dump_only=True, attribute="owner")
    themes = fields.List(fields.String(), dump_only=True, attribute="theme_slugs")
    standards = fields.List(fields.String(), dump_only=True, attribute="standard_slugs")
    # A Function, not attribute="vendor_organisation.slug": that would leave the key out, not
    # null, when there is no vendor organisation.
    vendor_organisation = fields.Function(
        lambda solution: (
            solution.vendor_organisation.slug if solution.vendor_organisation else None
        ),
        dump_only=True,
        allow_none=True,
        metadata={"type": "string", "nullable": True},
    )
    links = fields.Nested(LinksSchema, dump_only=True)
    contact = fields.Nested(ContactSchema, dump_only=True)
    adoption_cost = fields.Nested(AdoptionCostEstimateSchema, dump_only=True)
    adoption_count = fields.Integer(dump_only=True)
    is_example = fields.Boolean(
        dump_only=True, metadata={"description": "part of the example data, not a real entry"}
    )
    retired_reason = fields.String(dump_only=True, allow_none=True)
    based_on = fields.Function(
        lambda solution: solution.based_on.slug if solution.based_on else None,
        dump_only=True,
        allow_none=True,
        metadata={"type": "string", "nullable": True},
    )
    based_on_kind = fields.String(dump_only=True, allow_none=True)
    freshness = fields.Nested(FreshnessSchema, dump_only=True)
    completeness = fields.Nested(CompletenessSchema, dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class SolutionDetailSchema(SolutionOutSchema):
    """One solution with its adoptions and the solutions based on it."""

    adoptions = fields.List(fields.Nested(AdoptionSummarySchema), dump_only=True)
    derived = fields.List(
        fields.Nested(RelatedSolutionSchema),
        dump_only=True,
        metadata={"description": "the solutions based on this one or variants of it"},
    )


def _filter(value: fields.Field) -> fields.List:
    """Return a repeatable filter, capped as the search's are (a list of thousands of values
    would only make a long query, and SQLite refuses more than 32766 parameters)."""
    return fields.List(value, validate=validate.Length(max=MAX_FILTER_VALUES))


class SolutionQueryArgsSchema(Schema):
    """Filters, sorting and paging of the solution list."""

    kind = _filter(fields.String(validate=validate.OneOf(SOLUTION_KINDS)))
    status = _filter(fields.String(validate=validate.OneOf(SOLUTION_STATUSES)))
    theme = _filter(fields.String(validate=validate_slug))
    standard = _filter(fields.String(validate=validate_slug))
    owner = _filter(reference_field())
    tag = _filter(tag_field())
    sort = fields.String(load_default="name", validate=validate.OneOf(SOLUTION_SORTS))
