"""/api/v1/solutions: list, read, publish, change and delete solutions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import (
    BEARER_SECURITY,
    OPTIONAL_BEARER_SECURITY,
    current_actor,
    optional_actor,
)
from app.api.etag import ETAG_HEADER, IF_MATCH_PARAMETER, etag_header, expected_version
from app.api.responses import documents_errors
from app.api.writes import protect_writes
from app.models import Solution
from app.schemas.solution import (
    ConfirmationSchema,
    SolutionDetailSchema,
    SolutionOutSchema,
    SolutionPatchSchema,
    SolutionQueryArgsSchema,
    SolutionSchema,
)
from app.services import solutions as service

blp = Blueprint(
    "solutions",
    __name__,
    description="Solutions: the systems, processes and services that organisations share.",
)
protect_writes(blp)


@blp.route("/solutions")
class Solutions(MethodView):
    """The solution collection."""

    @blp.arguments(SolutionQueryArgsSchema, location="query")
    @blp.response(200, SolutionOutSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Solution]:
        """List solutions, with filters, sorting and pages"""
        filters = service.SolutionFilters(
            kind=args.get("kind", ()),
            status=args.get("status", ()),
            theme=args.get("theme", ()),
            standard=args.get("standard", ()),
            owner=args.get("owner", ()),
            tag=args.get("tag", ()),
            sort=args["sort"],
        )
        rows, total = service.list_solutions(
            filters, page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = total
        return rows

    @blp.arguments(SolutionSchema)
    @blp.response(201, SolutionDetailSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 409, 413)
    def post(self, data: dict[str, Any]) -> Any:
        """Publish a solution"""
        solution = service.create_solution(data, actor=current_actor())
        return solution, 201, etag_header(solution.version)


@blp.route("/solutions/<slug>")
class SolutionBySlug(MethodView):
    """One solution."""

    @blp.response(200, SolutionDetailSchema, headers=ETAG_HEADER)
    @blp.doc(security=OPTIONAL_BEARER_SECURITY)
    @documents_errors(blp, 401, 404)
    def get(self, slug: str) -> Any:
        """Get a solution with its adoptions (a draft only with its organisation's token)"""
        solution = service.get_solution(slug, viewer=optional_actor())
        return solution, 200, etag_header(solution.version)

    @blp.arguments(SolutionSchema)
    @blp.response(200, SolutionDetailSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 409, 412, 413, 428)
    def put(self, data: dict[str, Any], slug: str) -> Any:
        """Replace a solution (every field; the slug stays)"""
        actor = current_actor()
        solution = service.update_solution(
            slug, data, actor=actor, expected_version=expected_version(), partial=False
        )
        return solution, 200, etag_header(solution.version)

    @blp.arguments(SolutionPatchSchema)
    @blp.response(200, SolutionDetailSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 409, 412, 413, 428)
    def patch(self, data: dict[str, Any], slug: str) -> Any:
        """Change some fields of a solution"""
        actor = current_actor()
        solution = service.update_solution(
            slug, data, actor=actor, expected_version=expected_version(), partial=True
        )
        return solution, 200, etag_header(solution.version)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def delete(self, slug: str) -> None:
        """Delete a solution and its adoptions (owner or admin)"""
        actor = current_actor()
        service.delete_solution(slug, actor=actor, expected_version=expected_version())


@blp.route("/solutions/<slug>/confirmation")
class SolutionConfirmation(MethodView):
    """The owner's word that the entry is still true."""

    @blp.arguments(ConfirmationSchema)
    @blp.response(200, SolutionDetailSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 413, 428)
    def post(self, data: dict[str, Any], slug: str) -> Any:
        """Confirm that a solution's entry is still true (renews its last confirmed date)

        An entry not confirmed for 12 months needs review, for 24 months it is stale; any
        change by its owner confirms it too.
        """
        actor = current_actor()
        solution = service.confirm_solution(slug, actor=actor, expected_version=expected_version())
        return solution, 200, etag_header(solution.version)
