"""The leader's portfolio page: what an organisation's solutions cost, gained and pay back.

Every figure comes from ``app/services/portfolio.py``; the view only picks the sort order.
"""

from __future__ import annotations

from decimal import Decimal

from flask import render_template, request

from app.services import portfolio as service
from app.services.portfolio import PortfolioRow
from app.web.blueprint import web

SORTS = {
    "navn": None,
    "investering": "investment_nok",
    "drift": "running_nok",
    "gevinst": "realised_gain_nok",
    "netto": "net_realised_nok",
    "netto_forventet": "net_expected_nok",
    "tilbakebetaling": "payback_realised_years",
}
"""``?sortering=`` value → the figure rows are sorted by (largest first; payback smallest)."""


def _sorted(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    name = SORTS.get(sort)
    if name is None:
        return rows
    known = [r for r in rows if getattr(r.figures, name) is not None]
    missing = [r for r in rows if getattr(r.figures, name) is None]
    smallest_first = name.startswith("payback")
    known.sort(key=lambda r: Decimal(getattr(r.figures, name)), reverse=not smallest_first)
    return known + missing


@web.get("/kommuner/<ref>/portefolje")
def portfolio(ref: str) -> str:
    """Show an organisation's portfolio with its sums (kommunenummer or slug)."""
    sort = request.args.get("sortering", "navn")
    if sort not in SORTS:
        sort = "navn"
    report = service.portfolio(ref)
    return render_template(
        "web/portfolio.html", report=report, rows=_sorted(report.rows, sort), sort=sort
    )
