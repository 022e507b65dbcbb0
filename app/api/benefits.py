"""Benefits (gevinster) of adoptions, their totals, and the catalogue's figures."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.etag import IF_MATCH_PARAMETER, etag_header, expected_version
from app.api.responses import documents_errors
from app.api.writes import protect_writes
from app.models import Benefit, BenefitMeasurement
from app.schemas.benefit import (
    BenefitOutSchema,
    BenefitPatchSchema,
    BenefitSchema,
    BenefitSummarySchema,
    MeasurementOutSchema,
    MeasurementPatchSchema,
    MeasurementSchema,
    StatsSchema,
)
from app.services import benefits as service
from app.services import gain_stats, gains
from app.services.gain_stats import CatalogueStats
from app.services.gains import BenefitSummary

blp = Blueprint(
    "benefits",
    __name__,
    description=(
        "Benefits (gevinster): expected and realised gains of each adoption, added up per "
        "solution, per organisation and for the catalogue."
    ),
)

protect_writes(blp)

ADOPTION = "/solutions/<slug>/adoptions/<ref>"


@blp.route(f"{ADOPTION}/benefits")
class AdoptionBenefits(MethodView):
    """The benefits of one adoption."""

    @blp.response(200, BenefitOutSchema(many=True))
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str) -> list[Benefit]:
        """List the benefits of an adoption"""
        return service.list_benefits(slug, ref)

    @blp.arguments(BenefitSchema)
    @blp.response(201, BenefitOutSchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def post(self, data: dict[str, Any], slug: str, ref: str) -> Any:
        """Record a benefit of an adoption"""
        benefit = service.record_benefit(slug, ref, data, actor=current_actor())
        return benefit, 201, etag_header(benefit.version)


@blp.route(f"{ADOPTION}/benefits/<int:benefit_id>")
class BenefitById(MethodView):
    """One benefit."""

    @blp.response(200, BenefitOutSchema)
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str, benefit_id: int) -> Any:
        """Get a benefit"""
        benefit = service.get_benefit(slug, ref, benefit_id)
        return benefit, 200, etag_header(benefit.version)

    @blp.arguments(BenefitSchema)
    @blp.response(200, BenefitOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def put(self, data: dict[str, Any], slug: str, ref: str, benefit_id: int) -> Any:
        """Replace a benefit"""
        actor = current_actor()
        benefit = service.update_benefit(
            slug, ref, benefit_id, data, actor=actor, expected_version=expected_version()
        )
        return benefit, 200, etag_header(benefit.version)

    @blp.arguments(BenefitPatchSchema)
    @blp.response(200, BenefitOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def patch(self, data: dict[str, Any], slug: str, ref: str, benefit_id: int) -> Any:
        """Change some fields of a benefit"""
        actor = current_actor()
        benefit = service.update_benefit(
            slug, ref, benefit_id, data, actor=actor, expected_version=expected_version()
        )
        return benefit, 200, etag_header(benefit.version)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def delete(self, slug: str, ref: str, benefit_id: int) -> None:
        """Remove a benefit"""
        actor = current_actor()
        service.delete_benefit(
            slug, ref, benefit_id, actor=actor, expected_version=expected_version()
        )


@blp.route(f"{ADOPTION}/benefits/<int:benefit_id>/measurements")
class BenefitMeasurements(MethodView):
    """The dated realised values of one benefit; the latest is its realised value."""

    @blp.response(200, MeasurementOutSchema(many=True))
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str, benefit_id: int) -> list[BenefitMeasurement]:
        """List the measurements of a benefit, oldest first"""
        return list(service.get_benefit(slug, ref, benefit_id).measurements)

    @blp.arguments(MeasurementSchema)
    @blp.response(201, MeasurementOutSchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def post(self, data: dict[str, Any], slug: str, ref: str, benefit_id: int) -> Any:
        """Record a measurement of a benefit (not before its baseline date)"""
        measurement = service.record_measurement(slug, ref, benefit_id, data, actor=current_actor())
        return measurement, 201, etag_header(measurement.version)


@blp.route(f"{ADOPTION}/benefits/<int:benefit_id>/measurements/<int:measurement_id>")
class MeasurementById(MethodView):
    """One measurement."""

    @blp.response(200, MeasurementOutSchema)
    @documents_errors(blp, 404)
    def get(self, slug: str, ref: str, benefit_id: int, measurement_id: int) -> Any:
        """Get a measurement"""
        measurement = service.get_measurement(slug, ref, benefit_id, measurement_id)
        return measurement, 200, etag_header(measurement.version)

    @blp.arguments(MeasurementSchema)
    @blp.response(200, MeasurementOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def put(
        self, data: dict[str, Any], slug: str, ref: str, benefit_id: int, measurement_id: int
    ) -> Any:
        """Replace a measurement"""
        return self._update(data, slug, ref, benefit_id, measurement_id)

    @blp.arguments(MeasurementPatchSchema)
    @blp.response(200, MeasurementOutSchema)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def patch(
        self, data: dict[str, Any], slug: str, ref: str, benefit_id: int, measurement_id: int
    ) -> Any:
        """Change some fields of a measurement"""
        return self._update(data, slug, ref, benefit_id, measurement_id)

    @staticmethod
    def _update(
        data: dict[str, Any], slug: str, ref: str, benefit_id: int, measurement_id: int
    ) -> Any:
        measurement = service.update_measurement(
            slug,
            ref,
            benefit_id,
            measurement_id,
            data,
            actor=current_actor(),
            expected_version=expected_version(),
        )
        return measurement, 200, etag_header(measurement.version)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY, parameters=[IF_MATCH_PARAMETER])
    @documents_errors(blp, 401, 403, 404, 412, 428)
    def delete(self, slug: str, ref: str, benefit_id: int, measurement_id: int) -> None:
        """Remove a measurement"""
        service.delete_measurement(
            slug,
            ref,
            benefit_id,
            measurement_id,
            actor=current_actor(),
            expected_version=expected_version(),
        )


@blp.route("/solutions/<slug>/benefits")
class SolutionBenefits(MethodView):
    """What all adopters of a solution gain."""

    @blp.response(200, BenefitSummarySchema)
    @documents_errors(blp, 404)
    def get(self, slug: str) -> BenefitSummary:
        """List a solution's benefits across its adopters, with sums by category"""
        return gains.solution_benefits(slug)


@blp.route("/organisations/<ref>/benefits")
class OrganisationBenefits(MethodView):
    """What an organisation gains from the solutions it uses."""

    @blp.response(200, BenefitSummarySchema)
    @blp.paginate()
    @documents_errors(blp, 404)
    def get(self, ref: str, pagination_parameters: Any) -> BenefitSummary:
        """List an organisation's benefits in pages, with sums by category over all of them"""
        summary = gains.organisation_benefits(
            ref, limit=pagination_parameters.page_size, offset=pagination_parameters.first_item
        )
        pagination_parameters.item_count = summary.count
        return summary


@blp.route("/stats")
class Stats(MethodView):
    """The catalogue in figures."""

    @blp.response(200, StatsSchema)
    def get(self) -> CatalogueStats:
        """Get catalogue-wide figures: solutions, adoptions, taking part, benefits, reuse"""
        return gain_stats.catalogue_stats()
