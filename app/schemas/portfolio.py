"""The leader's portfolio: costs, gains, net gain and payback of what an organisation uses."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.schemas.common import OrganisationRefSchema

FIGURES = {
    "one_off_nok": "one-off costs in NOK",
    "yearly_nok": "yearly running costs in NOK (costs that have not ended)",
    "effort_hours": "internal effort in hours",
    "co_financed_nok": "of the costs, what others paid (samarbeid, national co-financing)",
    "investment_nok": "one-off costs + effort × hour rate; null when no cost is registered",
    "running_nok": "yearly running cost; null when no cost is registered",
    "realised_hours": "realised hours saved a year (latest measurements)",
    "realised_nok": "realised kroner saved a year (latest measurements)",
    "realised_gain_nok": "realised kroner + hours × hour rate, a year",
    "expected_hours": "expected hours saved a year (the benefit plans' targets)",
    "expected_nok": "expected kroner saved a year",
    "expected_gain_nok": "expected kroner + hours × hour rate, a year",
    "net_realised_nok": "realised gain − running cost a year; null unless both are known",
    "net_expected_nok": "expected gain − running cost a year; null unless both are known",
    "payback_realised_years": "investment / realised net gain; null unless both are > 0",
    "payback_expected_years": "investment / expected net gain; null unless both are > 0",
}
"""Every figure of a row, with what it means (the OpenAPI descriptions)."""


def _figure_fields(prefix: str) -> dict[str, fields.Field]:
    return {
        name: fields.Float(
            attribute=f"{prefix}{name}", allow_none=True, metadata={"description": text}
        )
        for name, text in FIGURES.items()
    }


PortfolioRowSchema = Schema.from_dict(
    {
        "solution": fields.Function(
            lambda row: {"slug": row.slug, "name": row.name},
            metadata={"description": "the solution (slug and name)"},
        ),
        "kind": fields.String(),
        "status": fields.String(metadata={"description": "in_use, pilot, planned, considering"}),
        "since": fields.Date(allow_none=True),
        "via": fields.List(
            fields.String(),
            metadata={
                "description": "for a kommune: the samarbeid whose costs it shares here; for a "
                "samarbeid: the members whose adoptions are added"
            },
        ),
        "benefit_owners": fields.List(fields.String()),
        "next_review": fields.Date(allow_none=True),
        "overdue_reviews": fields.Integer(attribute="figures.overdue_reviews"),
        "benefits": fields.Integer(attribute="figures.benefits"),
        "has_costs": fields.Boolean(attribute="figures.has_costs"),
        "has_realised": fields.Boolean(attribute="figures.has_realised"),
        "has_expected": fields.Boolean(attribute="figures.has_expected"),
        **_figure_fields("figures."),
    },
    name="PortfolioRow",
)


_TOTAL_ONLY = {
    "net_realised_nok": "sum over the rows where costs and realised gains are both known",
    "net_expected_nok": "sum over the rows where costs and expected gains are both known",
    "payback_realised_years": "investment / net gain of those same rows",
    "payback_expected_years": "investment / net gain of those same rows",
}

PortfolioTotalsSchema = Schema.from_dict(
    {
        **{
            name: field
            for name, field in _figure_fields("figures.").items()
            if name not in _TOTAL_ONLY
        },
        **{
            name: fields.Float(allow_none=True, metadata={"description": text})
            for name, text in _TOTAL_ONLY.items()
        },
        "rows": fields.Integer(metadata={"description": "solutions in the portfolio"}),
        "with_costs": fields.Integer(),
        "missing_costs": fields.Integer(metadata={"description": "rows without any cost"}),
        "with_realised": fields.Integer(),
        "missing_realised": fields.Integer(
            metadata={"description": "rows without a realised gain in hours or kroner"}
        ),
        "with_expected": fields.Integer(),
        "net_realised_rows": fields.Integer(
            metadata={"description": "rows the realised net gain stands on"}
        ),
        "net_expected_rows": fields.Integer(
            metadata={"description": "rows the expected net gain stands on"}
        ),
        "overdue_reviews": fields.Integer(
            metadata={"description": "benefits whose review date has passed"}
        ),
    },
    name="PortfolioTotals",
)


class PortfolioSchema(Schema):
    """An organisation's portfolio (GET /organisations/{ref}/portfolio)."""

    organisation = fields.Nested(OrganisationRefSchema)
    as_of = fields.Date(metadata={"description": "the day running costs and reviews refer to"})
    hour_rate = fields.Float(
        metadata={"description": "NOK per hour used for hours saved and internal effort"}
    )
    totals = fields.Nested(PortfolioTotalsSchema)
    rows = fields.List(fields.Nested(PortfolioRowSchema))
