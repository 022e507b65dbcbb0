"""publiccode.yml in and out, and the catalogue as RDF (DCAT-AP-NO / CPSV-AP-NO)."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.responses import documents_errors
from app.schemas.common import reference_field
from app.schemas.solution import SolutionDetailSchema
from app.schemas.validators import validate_slug
from app.services import publiccode as service
from app.services import rdf_catalogue
from app.services.errors import DomainError

blp = Blueprint(
    "interop",
    __name__,
    description=(
        "Interoperability: import and export publiccode.yml, and read the catalogue as linked "
        "data (DCAT-AP-NO / CPSV-AP-NO) for the national data catalogue."
    ),
)

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
"""Content types a publiccode.yml body may be sent with."""


class UnsupportedMediaType(DomainError):
    """The body is not in a format this operation reads (415)."""

    status = 415


class PubliccodeImportArgsSchema(Schema):
    """Query parameters of a publiccode.yml import."""

    owner = reference_field(
        metadata={
            "description": "owning organisation (kommunenummer or slug); default: the token's"
        }
    )
    theme = fields.List(
        fields.String(validate=validate_slug),
        metadata={"description": "LOS theme slugs; default: derived from intendedAudience.scope"},
    )


class ProblemSchema(Schema):
    """One warning about the imported file."""

    key = fields.String(metadata={"description": "key path in the file"})
    message = fields.String()
    line = fields.Integer(allow_none=True)


class PubliccodeImportSchema(Schema):
    """What an import did."""

    created = fields.Boolean(metadata={"description": "a new solution was registered"})
    changed = fields.Boolean(metadata={"description": "anything in the catalogue changed"})
    solution = fields.Nested(SolutionDetailSchema)
    warnings = fields.List(fields.Nested(ProblemSchema))
    adoptions_recorded = fields.List(
        fields.String(), metadata={"description": "usedBy organisations recorded as in use"}
    )
    used_by_unmatched = fields.List(
        fields.String(), metadata={"description": "usedBy names no organisation matched"}
    )
    used_by_not_recorded = fields.List(
        fields.String(),
        metadata={"description": "matched organisations the token may not record use for"},
    )


YAML_BODY = {
    "required": True,
    "description": "A publiccode.yml file (standard v0.x).",
    "content": {mime: {"schema": {"type": "string"}} for mime in YAML_TYPES[:2]},
}


@blp.route("/import/publiccode")
class PubliccodeImport(MethodView):
    """Import a publiccode.yml."""

    @blp.arguments(PubliccodeImportArgsSchema, location="query")
    @blp.response(200, PubliccodeImportSchema, description="An existing solution was updated.")
    @blp.alt_response(201, schema=PubliccodeImportSchema, description="A solution was created.")
    @blp.alt_response(415, schema="Error", description="The body is not sent as YAML.")
    @blp.doc(security=BEARER_SECURITY, requestBody=YAML_BODY)
    @documents_errors(blp, 401, 403, 409, 422)
    def post(self, args: dict[str, Any]) -> Any:
        """Create or update a solution from a publiccode.yml (the file's url identifies it)"""
        actor = current_actor()
        if request.mimetype not in YAML_TYPES:
            raise UnsupportedMediaType(
                f"Send the publiccode.yml with Content-Type: application/yaml "
                f"(not '{request.mimetype or 'none'}')."
            )
        result = service.import_publiccode(
            request.get_data(cache=False),
            actor=actor,
            owner_ref=args.get("owner"),
            theme_slugs=args.get("theme", ()),
        )
        return result, 201 if result.created else 200


@blp.route("/solutions/<slug>/publiccode.yml")
class SolutionPubliccode(MethodView):
    """A solution as publiccode.yml."""

    @blp.response(
        200,
        {"type": "string"},
        content_type="application/yaml",
        description="The solution as a publiccode.yml (standard v0).",
    )
    @documents_errors(blp, 404, 409)
    def get(self, slug: str) -> Response:
        """Export a software solution as publiccode.yml"""
        text = service.export_publiccode(slug)
        return Response(text, mimetype="application/yaml", headers={"Cache-Control": "no-cache"})


RDF_FORMATS = {"ttl": "text/turtle", "jsonld": "application/ld+json"}


def _rdf(fmt: str) -> Response:
    body = rdf_catalogue.catalogue_rdf(request.url_root.rstrip("/"), fmt)
    return Response(body, mimetype=RDF_FORMATS[fmt])


@blp.route("/catalog.ttl")
class CatalogTurtle(MethodView):
    """The catalogue as Turtle."""

    @blp.response(200, {"type": "string"}, content_type="text/turtle", description="Turtle")
    def get(self) -> Response:
        """Get the catalogue as DCAT-AP-NO / CPSV-AP-NO (Turtle)"""
        return _rdf("ttl")


@blp.route("/catalog.jsonld")
class CatalogJsonLd(MethodView):
    """The catalogue as JSON-LD."""

    @blp.response(
        200, {"type": "object"}, content_type="application/ld+json", description="JSON-LD"
    )
    def get(self) -> Response:
        """Get the catalogue as DCAT-AP-NO / CPSV-AP-NO (JSON-LD)"""
        return _rdf("jsonld")
