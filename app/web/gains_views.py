"""The Gevinster page: what reuse gains the region, as charts, tables and CSV/XLSX downloads.

The page and the downloads show the same figures, from one call to ``gains_dashboard.region_gains``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, render_template
from markupsafe import Markup

from app.labels import BENEFIT_CATEGORY_LABELS, adoption_status_label, benefit_unit_label
from app.models.benefit import FIXED_UNITS
from app.services import gains_dashboard, region_investment
from app.services.gains_dashboard import RegionGains
from app.services.portfolio_figures import Totals
from app.services.region_investment import RegionInvestment
from app.web.blueprint import web
from app.web.charts import Series, bar_chart, line_chart
from app.web.downloads import table_download

TOP_COUNT = 10
"""How many solutions the "most realised benefit" charts show."""

UNITS = {"time_saved": "hours", "cost_saved": "kroner"}
"""The two categories that add up across adopters → the attribute of a ThemeGains."""

DOWNLOAD_COLUMNS = ("Tabell", "Kode", "Navn", "Enhet", "Tall", "Verdi")
"""Columns of /gevinster.csv and .xlsx: one figure a row, ready for a pivot table."""


def _charts(report: RegionGains) -> dict[str, Markup]:
    """Return the page's charts by name; the template puts each beside its table."""
    charts: dict[str, Markup] = {}
    totals = {t.category: t for t in report.benefits if t.category in UNITS}
    for category, key in UNITS.items():
        name = BENEFIT_CATEGORY_LABELS[category].lower()
        unit = benefit_unit_label(FIXED_UNITS[category])
        total = totals.get(category)
        charts[f"total_{key}"] = bar_chart(
            f"chart-total-{key}",
            f"{BENEFIT_CATEGORY_LABELS[category]}: oppnådd og forventet, {unit}",
            [unit.capitalize()],
            [
                Series("Oppnådd", [total.realised if total else 0]),
                Series("Forventet", [total.expected if total else 0]),
            ],
            description="Tallene står også i tabellen «Tid og penger spart per år».",
            width=480,
        )
        themes = [t for t in report.themes if getattr(t, key).benefits]
        charts[f"themes_{key}"] = bar_chart(
            f"chart-themes-{key}",
            f"{BENEFIT_CATEGORY_LABELS[category]} etter tema, {unit}",
            [t.name for t in themes],
            [
                Series("Oppnådd", [getattr(t, key).realised for t in themes]),
                Series("Forventet", [getattr(t, key).expected for t in themes]),
            ],
            description=f"Temaer med registrert {name}. Tallene står i tabellen under.",
            width=480,
        )
        top = report.top[category]
        charts[f"top_{key}"] = bar_chart(
            f"chart-top-{key}",
            f"Løsningene med mest oppnådd {name}, {unit}",
            [s.name for s in top],
            [Series("Oppnådd", [s.realised for s in top])],
            description="Summen for alle som bruker løsningen. Tallene står i tabellen under.",
            width=480,
        )
    charts["timeline"] = line_chart(
        "chart-timeline",
        "Bruk over tid: antall tilfeller av bruk ved utgangen av hvert år",
        [str(year.year) for year in report.timeline],
        [
            Series(adoption_status_label(status), [y.counts[status] for y in report.timeline])
            for status in reversed(gains_dashboard.TIMELINE_STATUSES)
        ],
        description="I bruk og pilot, år for år. Tallene står i tabellen under.",
        width=560,
    )
    return charts


@web.get("/gevinster")
def gains_page() -> str:
    """Show what reuse gains the region: by category, by theme, investment against gain, the
    best solutions and use over time."""
    report = gains_dashboard.region_gains(TOP_COUNT)
    investment = region_investment.region_investment()
    charts = _charts(report)
    charts["investment_themes"] = _investment_chart(investment)
    return render_template(
        "web/gains.html",
        report=report,
        investment=investment,
        charts=charts,
        units=UNITS,
        top=TOP_COUNT,
    )


def _investment_chart(investment: RegionInvestment) -> Markup:
    themes = [(name, t) for _, name, t in investment.by_theme if t.with_costs]
    return bar_chart(
        "chart-investment-themes",
        "Investering og oppnådd gevinst per år etter tema, kroner",
        [name for name, _ in themes],
        [
            Series("Investering", [t.figures.investment_nok or 0 for _, t in themes]),
            Series("Oppnådd gevinst per år", [t.figures.realised_gain_nok or 0 for _, t in themes]),
        ],
        description="Temaer der noen har registrert kostnader. Tallene står i tabellen under.",
        width=480,
    )


def _value(number: Decimal | int) -> int | float:
    """Return a whole number as int (``5400``, not ``5400.0``), any other as float."""
    return int(number) if number == int(number) else float(number)


def download_rows(report: RegionGains) -> list[list[Any]]:
    """Return the page's figures as rows of ``DOWNLOAD_COLUMNS``, in the page's order."""
    rows: list[list[Any]] = []
    for t in report.benefits:
        row = [
            "Gevinst etter kategori",
            t.category,
            BENEFIT_CATEGORY_LABELS.get(t.category, t.category),
        ]
        unit = benefit_unit_label(t.unit)
        if t.category in UNITS:  # only time and money add up across adopters
            rows.append([*row, unit, "Forventet", _value(t.expected)])
            rows.append([*row, unit, "Oppnådd", _value(t.realised)])
        rows.append([*row, unit, "Registrerte gevinster", t.benefits])
        rows.append([*row, unit, "Målte gevinster", t.measured])
    for category, key in UNITS.items():
        table = f"{BENEFIT_CATEGORY_LABELS[category]} etter tema"
        unit = benefit_unit_label(FIXED_UNITS[category])
        for theme in report.themes:
            total = getattr(theme, key)
            rows.append([table, theme.slug, theme.name, unit, "Forventet", _value(total.expected)])
            rows.append([table, theme.slug, theme.name, unit, "Oppnådd", _value(total.realised)])
    for category, top in report.top.items():
        table = f"Mest oppnådd {BENEFIT_CATEGORY_LABELS[category].lower()}"
        unit = benefit_unit_label(FIXED_UNITS[category])
        for s in top:
            expected = None if s.expected is None else _value(s.expected)
            rows.append([table, s.slug, s.name, unit, "Oppnådd", _value(s.realised)])
            rows.append([table, s.slug, s.name, unit, "Forventet", expected])
            rows.append([table, s.slug, s.name, "", "Brukere som har rapportert", s.adopters])
    for year in report.timeline:
        for status in reversed(gains_dashboard.TIMELINE_STATUSES):
            label = adoption_status_label(status)
            rows.append(
                ["Bruk over tid", str(year.year), str(year.year), "", label, year.counts[status]]
            )
    return rows


INVESTMENT_FIGURES = (
    ("Investering", "kroner", lambda t: t.figures.investment_nok),
    ("Drift per år", "kroner", lambda t: t.figures.running_nok),
    ("Oppnådd gevinst per år", "kroner", lambda t: t.figures.realised_gain_nok),
    ("Netto per år, oppnådd", "kroner", lambda t: t.net_realised_nok),
    ("Tilbakebetaling, oppnådd", "år", lambda t: t.payback_realised_years),
    ("Netto bygger på", "", lambda t: t.net_realised_rows),
    ("Tilfeller av bruk", "", lambda t: t.rows),
)
"""The investment figures of /gevinster.csv, per theme and kommune: (name, unit, value)."""


def investment_rows(investment: RegionInvestment) -> list[list[Any]]:
    """Return the page's investment tables as rows of ``DOWNLOAD_COLUMNS``."""
    groups: list[tuple[str, list[tuple[str, str, Totals]]]] = [
        ("Investering i regionen", [("region", "Trøndelag", investment.totals)]),
        ("Investering etter tema", investment.by_theme),
        (
            "Investering etter kommune",
            [(k.kommunenummer or k.slug, k.name, t) for k, t in investment.by_kommune],
        ),
    ]
    rows: list[list[Any]] = []
    for table, items in groups:
        for code, name, totals in items:
            if not totals.rows:
                continue  # nothing used, nothing to say (an empty catalogue has no rows)
            for label, unit, figure in INVESTMENT_FIGURES:
                value = figure(totals)
                rows.append(
                    [table, code, name, unit, label, None if value is None else _value(value)]
                )
    return rows


def _download(fmt: str) -> Response:
    rows = download_rows(gains_dashboard.region_gains(TOP_COUNT)) + investment_rows(
        region_investment.region_investment()
    )
    return table_download(
        fmt, title="Gevinster", filename="gevinster", columns=DOWNLOAD_COLUMNS, rows=rows
    )


@web.get("/gevinster.csv")
def gains_csv() -> Response:
    """Download the Gevinster page's figures as CSV."""
    return _download("csv")


@web.get("/gevinster.xlsx")
def gains_xlsx() -> Response:
    """Download the Gevinster page's figures as XLSX."""
    return _download("xlsx")
