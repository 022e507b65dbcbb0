"""Comparing kommuner: the query of ``/api/v1/comparison`` and its result."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import ADOPTION_STATUSES


class ComparisonQueryArgsSchema(Schema):
    """Which organisations to compare."""

    kommuner = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={
            "description": (
                "2 to 4 organisations, by kommunenummer or slug: comma-separated "
                "(kommuner=5001,5006) or repeated"
            )
        },
    )
    theme = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": (
                "only the solutions under this theme (slug; uten-tema: those without one); "
                "the organisations' totals stay those of the whole comparison"
            )
        },
    )


class ComparedOrganisationSchema(Schema):
    """One compared organisation with its totals."""

    slug = fields.String(attribute="organisation.slug")
    name = fields.String(attribute="organisation.name")
    kommunenummer = fields.String(attribute="organisation.kommunenummer", allow_none=True)
    uses = fields.Integer(metadata={"description": "solutions it uses (pilot or in use)"})
    only_here = fields.Integer(
        metadata={"description": "of those, the ones none of the other compared organisations uses"}
    )


class ComparedSolutionSchema(Schema):
    """One solution that at least one compared organisation uses."""

    slug = fields.String(attribute="solution.slug")
    name = fields.String(attribute="solution.name")
    owner = fields.String(attribute="solution.owner.slug")
    statuses = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        attribute="status_by_slug",
        metadata={
            "description": (
                "organisation slug → its adoption status (one of "
                f"{', '.join(ADOPTION_STATUSES)}) or null when it has none"
            )
        },
    )
    only = fields.Function(
        lambda row: row.only.slug if row.only else None,
        allow_none=True,
        metadata={"description": "the one compared organisation that uses it, if only one does"},
    )


class ThemeGroupSchema(Schema):
    """The solutions under one theme (its first theme by name)."""

    theme = fields.Function(
        lambda group: group.theme.slug if group.theme else None,
        allow_none=True,
        metadata={"description": "its slug; null: solutions without a theme"},
    )
    theme_name = fields.Function(
        lambda group: group.theme.name if group.theme else None, allow_none=True
    )
    solutions = fields.List(fields.Nested(ComparedSolutionSchema), attribute="rows")


class ComparisonSchema(Schema):
    """What each compared organisation uses, side by side."""

    organisations = fields.List(fields.Nested(ComparedOrganisationSchema), attribute="totals")
    shared_by_all = fields.Integer(
        metadata={"description": "solutions every compared organisation uses"}
    )
    groups = fields.List(
        fields.Nested(ThemeGroupSchema),
        metadata={"description": "by theme name; solutions without a theme last (theme null)"},
    )
