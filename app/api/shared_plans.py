"""/api/v1/shared-plans: solutions two or more organisations consider or plan."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.responses import documents_errors
from app.schemas.shared_plan import SharedPlanQueryArgsSchema, SharedPlanSchema
from app.services import shared_plans as service

blp = Blueprint(
    "shared-plans",
    __name__,
    description=(
        "Plans kommuner share: solutions that two or more organisations consider or plan, "
        "with when each wants it and whom to ask; partners to buy or build together. An "
        "organisation records a plan as an adoption with status considering or planned."
    ),
)


@blp.route("/shared-plans")
class SharedPlans(MethodView):
    """The shared plans."""

    @blp.arguments(SharedPlanQueryArgsSchema, location="query")
    @blp.response(200, SharedPlanSchema(many=True))
    @blp.paginate()
    @documents_errors(blp, 404)
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[service.SharedPlan]:
        """List shared plans, most partners first, in pages (optionally one organisation's)"""
        rows, total = service.shared_plans_page(
            args.get("organisation"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows
