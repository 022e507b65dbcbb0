"""Adoptions under a solution (/solutions/{slug}/adoptions) and under an organisation."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.etag import ETAG_HEADER, IF_MATCH_PARAMETER, etag_header, expected_version
from app.api.responses import documents_errors
from app.api.writes import protect_writes
from app.models import Adoption
from app.schemas.adoption import (
    AdoptionOutSchema,
    AdoptionPatchSchema,
    AdoptionSchema,
    OrganisationAdoptionCreateSchema,
    SolutionAdoptionCreateSchema,
)
from app.services import adoptions as service

blp = Blueprint(
    "adoptions",
    __name__,
    description="Adoptions: which organisations use a solution, and how far they have come.",
)
protect_writes(blp)


@blp.route("/solutions/<slug>/adoptions")
class SolutionAdoptions(MethodView):
    """The adoptions of one solution."""

    @blp.response(200, AdoptionOutSchema(many=True))
    @documents_errors(blp, 404)
    def get(self, slug: str) -> list[Adoption]:
        """List who uses a solution"""
        return service.list_adoptions_of_solution(slug)

    @blp.arguments(SolutionAdoptionCreateSchema)
    @blp.response(201, AdoptionOutSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404, 409, 413)
    def post(self, data: dict[str, Any], slug: str) -> Any:
        """Record an organisation's adoption of a solution"""
        actor = current_actor()
        organisation = data.pop("organisation")
        adoption = service.record_adoption(slug, organisation, data, actor=actor)
        return adoption, 201, etag_header(adoption.version)


@blp.route("/organisations/<ref>/adoptions")
class OrganisationAdoptions(MethodView):
    """The adoptions of one organisation."""

    @blp.response(200, AdoptionOutSchema(many=True))
    @blp.paginate()
    @documents_errors(blp, 404)
    def get(self, ref: str, pagination_parameters: Any) -> list[Adoption]:
        """List what an organisation uses, by solution name and in pages"""
        rows, total = service.organisation_adoptions_page(
            ref, page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = total
        return rows

    @blp.arguments(OrganisationAdoptionCreateSchema)
    @blp.response(201, AdoptionOutSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404, 409, 413)
    def post(self, data: dict[str, Any], ref: str) -> Any:
        """Record that an organisation uses a solution"""
        actor = current_actor()
        solution = data.pop("solution")
        adoption = service.record_adoption_by_organisation(ref, solution, data, actor=actor)
        return adoption, 201, etag_header(adoption.version)


@blp.route("/solutions/<slug>/adoptions/<ref>")
class AdoptionByOrganisation(MethodView):
    """One organisation's adoption of one solution."""

    @blp.response(200, AdoptionOutSchema, headers=ETAG_HEADER)
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str) -> Any:
        """Get an adoption"""
        adoption = service.get_adoption(slug, ref)
        return adoption, 200, etag_header(adoption.version)

    @blp.arguments(AdoptionSchema)
    @blp.response(200, AdoptionOutSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 413, 428)
    def put(self, data: dict[str, Any], slug: str, ref: str) -> Any:
        """Replace an adoption"""
        actor = current_actor()
        adoption = service.update_adoption(
            slug, ref, data, actor=actor, expected_version=expected_version(), partial=False
        )
        return adoption, 200, etag_header(adoption.version)

    @blp.arguments(AdoptionPatchSchema)
    @blp.response(200, AdoptionOutSchema, headers=ETAG_HEADER)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 413, 428)
    def patch(self, data: dict[str, Any], slug: str, ref: str) -> Any:
        """Change some fields of an adoption"""
        actor = current_actor()
        adoption = service.update_adoption(
            slug, ref, data, actor=actor, expected_version=expected_version(), partial=True
        )
        return adoption, 200, etag_header(adoption.version)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def delete(self, slug: str, ref: str) -> None:
        """Remove an adoption"""
        actor = current_actor()
        service.delete_adoption(slug, ref, actor=actor, expected_version=expected_version())
