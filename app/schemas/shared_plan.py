"""Shared plans: solutions that two or more organisations consider or plan."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.schemas.common import UtcDateTime


class PlanSchema(Schema):
    """One organisation's plan."""

    organisation = fields.String(attribute="organisation.slug")
    organisation_name = fields.String(attribute="organisation.name")
    kommunenummer = fields.String(attribute="organisation.kommunenummer", allow_none=True)
    status = fields.String(metadata={"description": "considering or planned"})
    wanted_on = fields.Date(
        allow_none=True, metadata={"description": "when it wants the solution in place"}
    )
    notes = fields.String()
    contact = fields.Dict(metadata={"description": "name, role, email of its contact"})
    updated_at = UtcDateTime()


class SharedPlanSchema(Schema):
    """A solution with the plans of two or more organisations, and whom to ask about it."""

    slug = fields.String(attribute="solution.slug")
    name = fields.String(attribute="solution.name")
    owner = fields.String(attribute="solution.owner.slug")
    owner_contact = fields.Dict(
        attribute="solution.contact",
        metadata={"description": "the owner's contact for the solution: name, role, email"},
    )
    earliest_wanted = fields.Date(allow_none=True)
    plans = fields.List(fields.Nested(PlanSchema))


class SharedPlanQueryArgsSchema(Schema):
    """Narrow the shared plans to one organisation's."""

    organisation = fields.String(
        metadata={"description": "only plans this organisation (kommunenummer or slug) shares"}
    )
