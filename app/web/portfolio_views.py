"""The leader's portfolio page: what an organisation's solutions cost, gained and pay back.

Every figure comes from ``app/services/portfolio.py``; the view only picks the sort order, and
the downloads write the same figures as the page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, render_template, request

from app.labels import adoption_status_label
from app.services import portfolio as service
from app.services.portfolio import PortfolioRow
from app.services.portfolio_figures import Figures
from app.web.auth import current_actor
from app.web.blueprint import web
from app.web.downloads import table_download

SORTS = {
    "navn": None,
    "investering": "investment_nok",
    "drift": "running_nok",
    "gevinst": "realised_gain_nok",
    "forventet": "expected_gain_nok",
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


PAGE_SIZE = 100
"""Rows per page on screen; the sums, the downloads and the print page hold every row."""


def _page_number() -> int:
    value = request.args.get("side", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


def _page(ref: str, *, printable: bool) -> str:
    sort = request.args.get("sortering", "navn")
    if sort not in SORTS:
        sort = "navn"
    report = service.portfolio(ref)
    actor = current_actor()
    rows = _sorted(report.rows, sort)
    page = 1 if printable else _page_number()
    shown = rows if printable else rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template(
        "web/portfolio.html",
        report=report,
        rows=shown,
        total=len(rows),
        page=page,
        page_size=len(rows) if printable else PAGE_SIZE,
        sort=sort,
        printable=printable,
        may_import=bool(actor and actor.may_act_for(report.organisation.id)),
    )


@web.get("/kommuner/<ref>/portefolje")
def portfolio(ref: str) -> str:
    """Show an organisation's portfolio with its sums (kommunenummer or slug)."""
    return _page(ref, printable=False)


@web.get("/kommuner/<ref>/portefolje/utskrift")
def portfolio_print(ref: str) -> str:
    """Show the portfolio ready to print on A4 landscape: every column, no links to sort."""
    return _page(ref, printable=True)


DOWNLOAD_COLUMNS = (
    "Løsning",
    "Lenke-ID",
    "Status",
    "Tatt i bruk",
    "Kostnad delt via",
    "Engangskostnad (kr)",
    "Intern innsats (timer)",
    "Investering (kr)",
    "Drift per år (kr)",
    "Medfinansiert (kr)",
    "Oppnådd timer spart per år",
    "Oppnådd kroner spart per år",
    "Oppnådd gevinst per år (kr)",
    "Forventet gevinst per år (kr)",
    "Netto per år, oppnådd (kr)",
    "Netto per år, forventet (kr)",
    "Tilbakebetaling, oppnådd (år)",
    "Tilbakebetaling, forventet (år)",
    "Gevinsteiere",
    "Neste oppfølging",
    "Forfalte oppfølginger",
)
"""Columns of the portfolio's CSV/XLSX: one solution a row, the sums last; empty = no data."""


CENT = Decimal("0.01")


def _rounded(value: Decimal | None) -> int | Decimal | None:
    """Return whole kroner and hours as integers, the rest to the øre (spreadsheets show both)."""
    if value is None:
        return None
    value = value.quantize(CENT)
    return int(value) if value == value.to_integral_value() else value


def _figure_cells(f: Figures) -> list[Any]:
    return [
        f.one_off_nok,
        f.effort_hours,
        f.investment_nok,
        f.running_nok,
        f.co_financed_nok,
        f.realised_hours,
        f.realised_nok,
        f.realised_gain_nok,
        f.expected_gain_nok,
        f.net_realised_nok,
        f.net_expected_nok,
        f.payback_realised_years,
        f.payback_expected_years,
    ]


def _cells(f: Figures) -> list[Any]:
    return [_rounded(v) for v in _figure_cells(f)]


def download_rows(report: service.Portfolio) -> list[list[Any]]:
    """Return the portfolio as table rows: the page's figures, every one of them, and the sums."""
    rows: list[list[Any]] = []
    for row in report.rows:
        rows.append(
            [
                row.name,
                row.slug,
                adoption_status_label(row.status),
                row.since.isoformat() if row.since else None,
                ", ".join(row.via),
                *_cells(row.figures),
                ", ".join(row.benefit_owners),
                row.next_review.isoformat() if row.next_review else None,
                row.figures.overdue_reviews,
            ]
        )
    t = report.totals
    sums = _cells(t.figures)
    net_and_payback = (t.net_realised_nok, t.net_expected_nok)
    paybacks = (t.payback_realised_years, t.payback_expected_years)
    sums[9:13] = [_rounded(v) for v in (*net_and_payback, *paybacks)]
    rows.append(["Sum", "", "", None, "", *sums, "", None, t.overdue_reviews])
    return rows


def _download(ref: str, fmt: str) -> Response:
    report = service.portfolio(ref)
    org = report.organisation
    rows = download_rows(report)
    return table_download(
        fmt,
        title="Portefølje",
        filename=f"portefolje-{org.kommunenummer or org.slug}",
        columns=DOWNLOAD_COLUMNS,
        rows=rows,
    )


@web.get("/kommuner/<ref>/portefolje.csv")
def portfolio_csv(ref: str) -> Response:
    """Download an organisation's portfolio as CSV (the page's rows and sums)."""
    return _download(ref, "csv")


@web.get("/kommuner/<ref>/portefolje.xlsx")
def portfolio_xlsx(ref: str) -> Response:
    """Download an organisation's portfolio as XLSX (the page's rows and sums)."""
    return _download(ref, "xlsx")
