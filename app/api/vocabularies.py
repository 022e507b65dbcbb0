"""/api/v1/themes and /api/v1/standards: the vocabularies."""

from __future__ import annotations

from flask.views import MethodView

from app.api import Blueprint
from app.models import Standard, Theme
from app.schemas.vocabulary import StandardSchema, ThemeSchema
from app.services import vocabularies as service

blp = Blueprint(
    "vocabularies",
    __name__,
    description="Vocabularies: LOS main themes and national standards/common components.",
)


@blp.route("/themes")
class Themes(MethodView):
    """The LOS main themes."""

    @blp.response(200, ThemeSchema(many=True))
    def get(self) -> list[Theme]:
        """List the themes"""
        return service.list_themes()


@blp.route("/standards")
class Standards(MethodView):
    """National standards and common components."""

    @blp.response(200, StandardSchema(many=True))
    def get(self) -> list[Standard]:
        """List the standards"""
        return service.list_standards()
