"""Benefits (gevinster) and the figures added up from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import ADOPTION_STATUSES, BENEFIT_CATEGORIES
from app.schemas.adoption import SolutionRefSchema
from app.schemas.common import (
    AMOUNT_RANGE_ERROR,
    MAX_AMOUNT,
    OrganisationRefSchema,
    Text,
    UtcDateTime,
)


def amount_field() -> fields.Float:
    """Return a field for a non-negative amount in the benefit's unit."""
    return fields.Float(
        allow_none=True,
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=0, max=MAX_AMOUNT, error=AMOUNT_RANGE_ERROR),
    )


class BenefitSchema(Schema):
    """A benefit as written (POST and PUT bodies)."""

    category = fields.String(required=True, validate=validate.OneOf(BENEFIT_CATEGORIES))
    unit = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "hours_per_year for time_saved and nok_per_year for cost_saved "
            "(may be left out); required with a value for the other categories"
        },
    )
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    baseline = amount_field()
    expected_value = amount_field()
    realised_value = amount_field()
    measured_on = fields.Date(
        allow_none=True, load_default=None, metadata={"description": "required with realised_value"}
    )
    method = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"description": "how the realised value was measured, or its source"},
    )
    is_measured = fields.Boolean(
        load_default=False, metadata={"description": "measured (true) or estimated (false)"}
    )
    owner = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "benefit owner (gevinsteier): a person or role in the adopter"},
    )
    indicator = Text(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"description": "what is measured, e.g. 'behandlingstid per byggesak (dager)'"},
    )
    baseline_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "date of the baseline (nullpunktsmåling)"},
    )
    target_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "when expected_value (the target) should be reached"},
    )
    freed_time_use = Text(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"description": "what freed time is used for"},
    )
    review_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "next review of the benefit; past it, the benefit is overdue"},
    )


class MeasurementSchema(Schema):
    """A dated realised value of a benefit (POST and PUT bodies)."""

    measured_on = fields.Date(required=True)
    value = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=MAX_AMOUNT, error=AMOUNT_RANGE_ERROR),
        metadata={"description": "the realised value in the benefit's unit"},
    )
    is_measured = fields.Boolean(
        load_default=True, metadata={"description": "measured (true) or estimated (false)"}
    )
    note = Text(load_default="", validate=validate.Length(max=2000))


class MeasurementPatchSchema(MeasurementSchema):
    """A partial change of a measurement (PATCH body)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class MeasurementOutSchema(MeasurementSchema):
    """A measurement as the API returns it."""

    id = fields.Integer(dump_only=True)
    benefit = fields.Integer(dump_only=True, attribute="benefit_id")
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class BenefitPatchSchema(BenefitSchema):
    """A partial change of a benefit (PATCH body)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(partial=True, **kwargs)  # type: ignore[arg-type]


class BenefitOutSchema(BenefitSchema):
    """A benefit as the API returns it."""

    id = fields.Integer(dump_only=True)
    organisation = fields.Nested(
        OrganisationRefSchema, dump_only=True, attribute="adoption.organisation"
    )
    solution = fields.Nested(SolutionRefSchema, dump_only=True, attribute="adoption.solution")
    measurements = fields.List(
        fields.Nested(MeasurementOutSchema),
        dump_only=True,
        metadata={"description": "dated realised values; the latest is realised_value"},
    )
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class BenefitTotalSchema(Schema):
    """The sum of the benefits of one category (and unit)."""

    category = fields.String()
    unit = fields.String()
    expected = fields.Float(metadata={"description": "sum of expected values"})
    realised = fields.Float(metadata={"description": "sum of realised values"})
    benefits = fields.Integer(metadata={"description": "how many benefits were added up"})
    measured = fields.Integer(metadata={"description": "how many of them are measured"})


class BenefitSummarySchema(Schema):
    """Benefits of a solution or an organisation, with their totals."""

    totals = fields.List(fields.Nested(BenefitTotalSchema))
    adopters = fields.Integer(metadata={"description": "adoptions with at least one benefit"})
    adopters_measured = fields.Integer(
        metadata={"description": "adoptions with at least one measured, realised benefit"}
    )
    benefits = fields.List(
        fields.Nested(BenefitOutSchema),
        metadata={
            "description": "the benefits; an organisation's come in pages (X-Pagination), "
            "while the totals and count cover all of them"
        },
    )
    count = fields.Integer(metadata={"description": "how many benefits the totals add up"})


class CountSchema(Schema):
    """How many of something have one value."""

    value = fields.String()
    count = fields.Integer()


class StatsSchema(Schema):
    """Catalogue-wide figures (GET /stats)."""

    solutions = fields.Integer()
    solutions_by_kind = fields.List(fields.Nested(CountSchema))
    solutions_by_status = fields.List(fields.Nested(CountSchema))
    solutions_by_theme = fields.List(fields.Nested(CountSchema))
    adoptions = fields.Integer()
    adoptions_by_status = fields.List(
        fields.Nested(CountSchema),
        metadata={"description": f"statuses: {', '.join(ADOPTION_STATUSES)}"},
    )
    organisations_taking_part = fields.Integer(
        metadata={"description": "organisations that share or use at least one solution"}
    )
    kommuner_taking_part = fields.Integer()
    kommuner = fields.Integer(metadata={"description": "kommuner in the catalogue"})
    benefits = fields.List(fields.Nested(BenefitTotalSchema))
    reuse_ratio = fields.Float(
        metadata={
            "description": "adoptions in pilot or use by organisations other than the owner, "
            "per solution"
        }
    )
