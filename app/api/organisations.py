"""/api/v1/organisations: kommuner, the fylkeskommune and collaborations."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.api import Blueprint
from app.api.responses import documents_errors
from app.limits import ORGANISATION_EMBED_LIMIT
from app.models import ORGANISATION_KINDS, Organisation, Solution
from app.schemas.organisation import OrganisationDetailSchema, OrganisationOutSchema
from app.schemas.solution import SolutionOutSchema
from app.services import organisations as service
from app.services import solutions as solution_service
from app.services.references import get_organisation

blp = Blueprint(
    "organisations",
    __name__,
    description=(
        "Organisations: publishers and users of solutions. Address one by kommunenummer or slug."
    ),
)


class OrganisationQueryArgsSchema(Schema):
    """Filters of the organisation list."""

    kind = fields.String(validate=validate.OneOf(ORGANISATION_KINDS))


@blp.route("/organisations")
class Organisations(MethodView):
    """The organisation collection."""

    @blp.arguments(OrganisationQueryArgsSchema, location="query")
    @blp.response(200, OrganisationOutSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Organisation]:
        """List organisations (filter by kind)"""
        rows, total = service.list_organisations(
            args.get("kind"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows


EMBED_LIMITS: dict[str, int | None] = {"first": ORGANISATION_EMBED_LIMIT, "all": None, "none": 0}
"""How many rows of each list the detail embeds, by the value of ``embed``."""


class OrganisationDetailArgsSchema(Schema):
    """How much of its lists an organisation's detail embeds."""

    embed = fields.String(
        load_default="first",
        validate=validate.OneOf(list(EMBED_LIMITS)),
        metadata={
            "description": f"first (the default): the first {ORGANISATION_EMBED_LIMIT} "
            "solutions and adoptions, by name, with their totals; none: only the totals; "
            "all: every row, as v1 answered before the lists were capped (deprecated: a "
            "national owner has tens of thousands; page through "
            "/api/v1/organisations/{ref}/solutions instead)"
        },
    )


@blp.route("/organisations/<ref>")
class OrganisationByRef(MethodView):
    """One organisation."""

    @blp.arguments(OrganisationDetailArgsSchema, location="query")
    @blp.response(200, OrganisationDetailSchema)
    @documents_errors(blp, 404)
    def get(self, args: dict[str, Any], ref: str) -> service.OrganisationDetail:
        """Get an organisation by kommunenummer or slug, with its first solutions and adoptions"""
        return service.get_organisation_detail(ref, limit=EMBED_LIMITS[args["embed"]])


@blp.route("/organisations/<ref>/solutions")
class OrganisationSolutions(MethodView):
    """The solutions an organisation owns."""

    @blp.response(200, SolutionOutSchema(many=True))
    @blp.paginate()
    @documents_errors(blp, 404)
    def get(self, ref: str, pagination_parameters: Any) -> list[Solution]:
        """List the solutions an organisation shares, by name and in pages"""
        organisation = get_organisation(ref)
        rows, total = solution_service.list_solutions(
            solution_service.SolutionFilters(owner=(organisation.slug,)),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows
