"""The leader's portfolio: what an organisation's solutions cost, gained and pay back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.responses import documents_errors
from app.schemas.portfolio import PortfolioSchema
from app.services import portfolio as service
from app.services.portfolio import Portfolio

blp = Blueprint(
    "portfolio",
    __name__,
    description=(
        "The portfolio (porteføljen) of a kommune or samarbeid: every solution it uses, pilots "
        "or plans, with costs, expected and realised gains, net gain a year and payback time. "
        "Figures are computed only from registered data; the totals say how many rows lack it. "
        "The rows come in pages (by status, then name); the totals cover every row."
    ),
)


@blp.route("/organisations/<ref>/portfolio")
class OrganisationPortfolio(MethodView):
    """An organisation's portfolio."""

    @blp.response(200, PortfolioSchema)
    @blp.paginate()
    @documents_errors(blp, 404)
    def get(self, ref: str, pagination_parameters: Any) -> Portfolio:
        """Get the portfolio of a kommune or samarbeid: its rows in pages, its sums over all"""
        whole = service.portfolio(ref)
        pagination_parameters.item_count = len(whole.rows)
        first = pagination_parameters.first_item
        return replace(whole, rows=whole.rows[first : first + pagination_parameters.page_size])
