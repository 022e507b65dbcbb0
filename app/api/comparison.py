"""/api/v1/comparison: what two to four kommuner use, side by side."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.responses import documents_errors
from app.schemas.comparison import ComparisonQueryArgsSchema, ComparisonSchema
from app.services import comparison as service

blp = Blueprint(
    "comparison",
    __name__,
    description=(
        "Compare kommuner: the solutions each uses, grouped by theme, and which only one of "
        "them uses. The page /sammenlign shows the same."
    ),
)


@blp.route("/comparison")
class Comparison(MethodView):
    """A comparison of organisations."""

    @blp.arguments(ComparisonQueryArgsSchema, location="query")
    @blp.response(200, ComparisonSchema)
    @documents_errors(blp, 422)
    def get(self, args: dict[str, Any]) -> service.Comparison:
        """Compare 2 to 4 organisations: what each uses (pilot or in use), by theme"""
        return service.compare(service.parse_refs(args["kommuner"]), theme=args["theme"])
