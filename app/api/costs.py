"""Costs of adoptions: one-off and yearly costs, who paid, and a samarbeid's split."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.etag import IF_MATCH_PARAMETER, etag_header, expected_version
from app.api.responses import documents_errors
from app.api.writes import protect_writes
from app.models import AdoptionCost
from app.schemas.cost import CostOutSchema, CostPatchSchema, CostSchema
from app.services import costs as service

blp = Blueprint(
    "costs",
    __name__,
    description=(
        "Costs (kostnader) of adoptions: one-off investments and yearly running costs in NOK, "
        "internal effort in hours, who paid (the adopter, a samarbeid, national co-financing), "
        "and how a samarbeid splits a cost between its members."
    ),
)

protect_writes(blp)

ADOPTION = "/solutions/<slug>/adoptions/<ref>"


@blp.route(f"{ADOPTION}/costs")
class AdoptionCosts(MethodView):
    """The costs of one adoption."""

    @blp.response(200, CostOutSchema(many=True))
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str) -> list[AdoptionCost]:
        """List the costs of an adoption"""
        return service.list_costs(slug, ref)

    @blp.arguments(CostSchema)
    @blp.response(201, CostOutSchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def post(self, data: dict[str, Any], slug: str, ref: str) -> Any:
        """Record a cost of an adoption"""
        cost = service.record_cost(slug, ref, data, actor=current_actor())
        return cost, 201, etag_header(cost.version)


@blp.route(f"{ADOPTION}/costs/<int:cost_id>")
class CostById(MethodView):
    """One cost."""

    @blp.response(200, CostOutSchema)
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str, cost_id: int) -> Any:
        """Get a cost"""
        cost = service.get_cost(slug, ref, cost_id)
        return cost, 200, etag_header(cost.version)

    @blp.arguments(CostSchema)
    @blp.response(200, CostOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def put(self, data: dict[str, Any], slug: str, ref: str, cost_id: int) -> Any:
        """Replace a cost"""
        cost = service.update_cost(
            slug, ref, cost_id, data, actor=current_actor(), expected_version=expected_version()
        )
        return cost, 200, etag_header(cost.version)

    @blp.arguments(CostPatchSchema)
    @blp.response(200, CostOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def patch(self, data: dict[str, Any], slug: str, ref: str, cost_id: int) -> Any:
        """Change some fields of a cost"""
        cost = service.update_cost(
            slug, ref, cost_id, data, actor=current_actor(), expected_version=expected_version()
        )
        return cost, 200, etag_header(cost.version)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def delete(self, slug: str, ref: str, cost_id: int) -> None:
        """Remove a cost"""
        service.delete_cost(
            slug, ref, cost_id, actor=current_actor(), expected_version=expected_version()
        )
