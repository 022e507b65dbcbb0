"""The leader's portfolio: what an organisation's solutions cost, gained and pay back."""

from __future__ import annotations

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
        "Figures are computed only from registered data; the totals say how many rows lack it."
    ),
)


@blp.route("/organisations/<ref>/portfolio")
class OrganisationPortfolio(MethodView):
    """An organisation's portfolio."""

    @blp.response(200, PortfolioSchema)
    @documents_errors(blp, 404)
    def get(self, ref: str) -> Portfolio:
        """Get the portfolio of a kommune or samarbeid, with its sums"""
        return service.portfolio(ref)
