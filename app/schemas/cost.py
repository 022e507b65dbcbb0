"""Costs of adoptions: what adopting a solution cost, who paid, and how a samarbeid splits it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import COST_CATEGORIES, COST_KINDS, COST_PAYERS, COST_UNITS, SPLIT_RULES
from app.schemas.adoption import SolutionRefSchema
from app.schemas.common import (
    MAX_AMOUNT,
    MAX_EFFORT_HOURS,
    OrganisationRefSchema,
    Text,
    UtcDateTime,
    reference_field,
)


def money_field(description: str, maximum: float = MAX_AMOUNT) -> fields.Float:
    """Return a field for a non-negative amount."""
    return fields.Float(
        allow_none=True,
        load_default=None,
        allow_nan=False,
        validate=validate.Range(
            min=0, max=maximum, error=f"Must be a number from 0 to {maximum:.0f}."
        ),
        metadata={"description": description},
    )


class CostShareSchema(Schema):
    """One member's part of a samarbeid's cost."""

    organisation = reference_field(required=True)
    fraction = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=1, error="Must be a fraction from 0 to 1."),
        metadata={"description": "the member's part of the whole, e.g. 0.25"},
    )


class CostSchema(Schema):
    """A cost as written (POST and PUT bodies)."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(COST_KINDS),
        metadata={"description": "one_off (an investment) or yearly (a running cost)"},
    )
    category = fields.String(load_default="other", validate=validate.OneOf(COST_CATEGORIES))
    unit = fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": ", ".join(f"{unit} for {kind}" for kind, unit in COST_UNITS.items())
            + " (may be left out; any other unit is refused)"
        },
    )
    amount = money_field("NOK (once for one_off, a year for yearly)")
    effort_hours = money_field(
        "internal effort in hours (valued at the catalogue's hour rate)", MAX_EFFORT_HOURS
    )
    payer = fields.String(
        load_default="self",
        validate=validate.OneOf(COST_PAYERS),
        metadata={"description": "who paid: the adopter, a samarbeid, national co-financing"},
    )
    payer_organisation = reference_field(
        allow_none=True,
        load_default=None,
        metadata={"description": "the samarbeid that paid (payer samarbeid)"},
    )
    funding_source = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "e.g. DigiFin 2024, Digdirs medfinansieringsordning"},
    )
    incurred_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "when a one-off cost fell, or a yearly cost started"},
    )
    ends_on = fields.Date(
        allow_none=True, load_default=None, metadata={"description": "when a yearly cost ends"}
    )
    split_rule = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(SPLIT_RULES),
        metadata={
            "description": "a samarbeid's cost only: split equally (default), by population, "
            "or by explicit shares (custom)"
        },
    )
    shares = fields.List(
        fields.Nested(CostShareSchema),
        load_default=list,
        validate=validate.Length(max=400),
        metadata={"description": "with split_rule custom: each member's fraction, adding up to 1"},
    )
    description = Text(load_default="", validate=validate.Length(max=2000))


class CostPatchSchema(CostSchema):
    """A partial change of a cost (PATCH body)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class CostShareOutSchema(Schema):
    """One member's part of a cost, as the API returns it."""

    organisation = fields.String(attribute="organisation.slug")
    fraction = fields.Float()


class CostOutSchema(CostSchema):
    """A cost as the API returns it."""

    id = fields.Integer(dump_only=True)
    organisation = fields.Nested(
        OrganisationRefSchema, dump_only=True, attribute="adoption.organisation"
    )
    solution = fields.Nested(SolutionRefSchema, dump_only=True, attribute="adoption.solution")
    payer_organisation = fields.String(
        dump_only=True, attribute="payer_organisation.slug", allow_none=True
    )
    shares = fields.List(fields.Nested(CostShareOutSchema), dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)
