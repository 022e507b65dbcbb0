"""/api/v1/solutions/{slug}/history: every recorded change of a solution, newest first."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import OPTIONAL_BEARER_SECURITY, optional_actor
from app.api.responses import documents_errors
from app.schemas.history import HistoryEntrySchema
from app.services import history as service

blp = Blueprint(
    "history",
    __name__,
    description="History: who changed a solution (and its adoptions and benefits), when, and "
    "which fields, with the values before and after. Kept after a solution is deleted.",
)


@blp.route("/solutions/<slug>/history")
class SolutionHistory(MethodView):
    """The history of one solution."""

    @blp.response(200, HistoryEntrySchema(many=True))
    @blp.paginate()
    @blp.doc(security=OPTIONAL_BEARER_SECURITY)
    @documents_errors(blp, 401, 404)
    def get(self, slug: str, pagination_parameters: Any) -> list[Any]:
        """List the changes of a solution, newest first (a draft's with its token only)"""
        record = service.solution_history(slug, viewer=optional_actor())
        pagination_parameters.item_count = len(record.entries)
        start = pagination_parameters.first_item
        return record.entries[start : start + pagination_parameters.page_size]
