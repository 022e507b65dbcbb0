"""The gains on the pages: /gevinster, a solution, a kommune; each figure equals the rows' sums."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median

from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Benefit, Organisation, Solution, Theme
from app.models.solution import solution_themes
from tests.gains.helpers import (
    FIXED,
    benefit_rows,
    figure,
    number,
    status_at_year_end,
    sums,
    tables,
    theme_slugs,
)
from tests.web.test_pages import get_page

CHARTS = (
    "chart-total-hours",
    "chart-total-kroner",
    "chart-themes-hours",
    "chart-themes-kroner",
    "chart-top-hours",
    "chart-top-kroner",
    "chart-timeline",
    "chart-investment-themes",
)
"""The charts of /gevinster."""


def _amount(cell: str) -> Decimal | None:
    return None if cell in {"–", ""} else number(cell)


def test_gevinster_figures_equal_the_sums_of_the_rows(site, site_app):
    html, page = get_page(site, "/gevinster")
    # (assert_layout reads the charts' SVG <title>s as the page title: check the head's here.)
    assert re.search(r"<title>([^<]*)</title>", html).group(1) == (
        "Gevinster av gjenbruk – Gjenbrukskatalogen"
    )
    assert page.has("nav", **{"aria-label": "Hovedmeny"})
    assert page.h1() == "Gevinster av gjenbruk"
    assert page.has("a", href="/gevinster", **{"aria-current": "page"})  # in the main menu
    found = tables(html)
    with site_app.app_context():
        rows = benefit_rows()
        themes = theme_slugs()
        names = dict(db.session.execute(select(Theme.name, Theme.slug)).all())
        solution_names = dict(db.session.execute(select(Solution.name, Solution.id)).all())
    by_category = sums(rows)

    # The headline figures: hours and kroner realised and expected, adoptions reporting.
    for category, unit in FIXED.items():
        total = by_category[(category, unit)]
        assert figure(html, f"{category}-realised") == round(total["realised"])
        assert figure(html, f"{category}-expected") == round(total["expected"])
    assert figure(html, "adopters") == len({r.adoption_id for r in rows})
    stats = site.get("/api/v1/stats").json  # the API says the same
    api = {t["category"]: t for t in stats["benefits"]}
    assert figure(html, "time_saved-realised") == round(Decimal(str(api["time_saved"]["realised"])))

    # Time and money, then the other categories by unit (counts only: units differ).
    fixed = found["Tid og penger spart per år"][1:]
    assert len(fixed) == 2
    for row, (category, unit) in zip(fixed, FIXED.items(), strict=True):
        total = by_category[(category, unit)]
        assert [number(c) for c in row[2:]] == [
            total["expected"],
            total["realised"],
            total["benefits"],
            total["measured"],
        ]
    others = found["Andre gevinster etter kategori og enhet"][1:]
    assert sum(int(number(r[2])) for r in others) == sum(
        t["benefits"] for (c, _), t in by_category.items() if c not in FIXED
    )
    assert len(others) == sum(1 for c, _ in by_category if c not in FIXED)

    # By theme: a benefit counts under each theme of its solution.
    by_theme: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    for r in rows:
        if r.category in FIXED:
            offset = 0 if r.category == "time_saved" else 2
            for slug in themes[r.solution_id]:
                by_theme[slug][offset] += r.expected_value or 0
                by_theme[slug][offset + 1] += r.realised_value or 0
    theme_rows = found["Timer og kroner spart per år etter tema"][1:]
    assert len(theme_rows) == len(names) == 14
    for row in theme_rows:
        assert [number(c) for c in row[1:]] == by_theme[names[row[0]]], row

    # The solutions with most realised hours: the largest sums, in order.
    realised: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.category == "time_saved" and r.realised_value is not None:
            realised[r.solution_id] += r.realised_value
    top = found["Mest oppnådd spart tid, timer per år"][1:]
    assert len(top) == 10
    assert [number(r[1]) for r in top] == sorted(realised.values(), reverse=True)[:10]
    for row in top:
        assert number(row[1]) == realised[solution_names[row[0]]]

    # Use over time: pilot and in use at each year end, worked out from the dated statuses.
    with site_app.app_context():
        by_hand = status_at_year_end(date.today())
    timeline = found["Tilfeller av bruk ved utgangen av hvert år"][1:]
    assert [int(r[0]) for r in timeline] == list(by_hand)
    for row in timeline:
        counts = by_hand[int(row[0])]
        in_use, pilot = counts.get("in_use", 0), counts.get("pilot", 0)
        assert [int(number(c)) for c in row[1:]] == [in_use, pilot, in_use + pilot]


def test_gevinster_charts_render_with_their_tables(site):
    html, _ = get_page(site, "/gevinster")
    assert html.count('<svg class="chart__svg"') == len(CHARTS)
    for chart_id in CHARTS:
        svg = re.search(rf'<svg [^>]*aria-labelledby="{chart_id}-title {chart_id}-desc"', html)
        assert svg, chart_id
        assert 'role="img"' in svg.group(0)
        assert f'<title id="{chart_id}-title">' in html
        assert f'<desc id="{chart_id}-desc">' in html
    # Each section that has charts has a data table with a caption and header cells.
    sections = html.split("<section")[1:]
    for section in sections:
        if "chart__svg" in section:
            assert "<table" in section
            assert "<caption" in section
            assert 'scope="col"' in section
            assert section.count('<th scope="row"') >= 1
    # The values are written in the charts, not only drawn.
    assert "(oppnådd)</text>" in html
    assert "I bruk: " in html
    # Nothing a strict Content-Security-Policy would block.
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def _download(site, fmt):
    response = site.get(f"/gevinster.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="gevinster.{fmt}"'
    return response


def _csv_rows(site):
    import csv
    import io

    text = _download(site, "csv").get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(site):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_download(site, "xlsx").get_data()))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def _value(text):
    return "" if text in ("", None) else Decimal(str(text))


def test_downloads_hold_the_same_figures_as_the_rows(site, site_app):
    csv_rows, xlsx_rows = _csv_rows(site), _xlsx_rows(site)
    header = ["Tabell", "Kode", "Navn", "Enhet", "Tall", "Verdi"]
    assert csv_rows[0] == header
    assert xlsx_rows[0] == header
    # Same rows in both; numbers are numbers in the workbook.
    assert len(csv_rows) == len(xlsx_rows)
    for text_row, cell_row in zip(csv_rows[1:], xlsx_rows[1:], strict=True):
        assert text_row[:5] == [c or "" for c in cell_row[:5]]
        assert _value(text_row[5]) == _value(cell_row[5])
        assert cell_row[5] is None or isinstance(cell_row[5], int | float)
    with site_app.app_context():
        by_category = sums(benefit_rows())
        theme_names = dict(db.session.execute(select(Theme.slug, Theme.name)).all())
    figures = {(r[0], r[1], r[4]): _value(r[5]) for r in csv_rows[1:]}
    for (category, _unit), total in by_category.items():
        table = "Gevinst etter kategori"
        assert figures[(table, category, "Registrerte gevinster")] >= 0
        if category in FIXED:
            assert figures[(table, category, "Forventet")] == total["expected"]
            assert figures[(table, category, "Oppnådd")] == total["realised"]
            assert figures[(table, category, "Registrerte gevinster")] == total["benefits"]
            assert figures[(table, category, "Målte gevinster")] == total["measured"]
    # What the page shows is in the download: every theme, the top lists, the timeline.
    html, _ = get_page(site, "/gevinster")
    page = tables(html)
    for row in page["Timer og kroner spart per år etter tema"][1:]:
        slug = next(s for s, n in theme_names.items() if n == row[0])
        assert figures[("Spart tid etter tema", slug, "Oppnådd")] == number(row[2])
        assert figures[("Spart penger etter tema", slug, "Oppnådd")] == number(row[4])
    top = [r for r in csv_rows if r[0] == "Mest oppnådd spart penger" and r[4] == "Oppnådd"]
    assert [Decimal(r[5]) for r in top] == [
        number(r[1]) for r in page["Mest oppnådd spart penger, kroner per år"][1:]
    ]
    years = [r for r in csv_rows if r[0] == "Bruk over tid" and r[4] == "I bruk"]
    assert [(r[1], Decimal(r[5])) for r in years] == [
        (r[0], number(r[1])) for r in page["Tilfeller av bruk ved utgangen av hvert år"][1:]
    ]


def test_solution_page_adds_up_what_all_adopters_gained(site, site_app):
    slug = "digital-byggesaksbehandling"
    html, _ = get_page(site, f"/losninger/{slug}")
    with site_app.app_context():
        solution_id = db.session.scalar(select(Solution.id).where(Solution.slug == slug))
        rows = benefit_rows(Adoption.solution_id == solution_id)
        organisations = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    totals = sums(rows)
    assert totals
    for category, unit in FIXED.items():
        if (category, unit) in totals:
            assert figure(html, f"{category}-realised") == round(
                totals[(category, unit)]["realised"]
            )
            if totals[(category, unit)]["expected"]:
                expected = round(totals[(category, unit)]["expected"])
                assert figure(html, f"{category}-expected") == expected
    adopters = {r.adoption_id for r in rows}
    measured = {r.adoption_id for r in rows if r.is_measured and r.realised_value is not None}
    assert f"{len(adopters)} organisasjoner har registrert gevinster" in html
    assert f"og {len(measured)} har målt dem" in html
    # The list per kommune: one row per benefit, named by its organisation.
    listed = tables(html)["Gevinstene hver organisasjon har registrert"][1:]
    assert sorted(r[0] for r in listed) == sorted(organisations[r.organisation_id] for r in rows)


def _cards(html):
    """Return (slug, card html) of each reuse suggestion on a kommune page."""
    section = html.split('id="suggest-title"')[1]
    cards = section.split('<article class="card">')[1:]
    return [(re.search(r'href="/losninger/([^"]+)"', c).group(1), c) for c in cards]


def test_kommune_page_shows_its_gains_and_estimates_for_its_neighbours_solutions(site, site_app):
    html, page = get_page(site, "/kommuner/5001")
    assert ("h2", "Hva Trondheim kommune får ut av løsningene") in page.headings
    assert ("h3", "Slik anslår vi gevinsten") in page.headings
    assert "medianen" in html  # said plainly how the estimate is made
    with site_app.app_context():
        org_id = db.session.scalar(
            select(Organisation.id).where(Organisation.kommunenummer == "5001")
        )
        own = benefit_rows(Adoption.organisation_id == org_id)
        slugs = dict(db.session.execute(select(Solution.slug, Solution.id)).all())
        realised = benefit_rows(Benefit.category.in_(FIXED), Benefit.realised_value.is_not(None))
    totals = sums(own)
    for category, unit in FIXED.items():
        assert figure(html, f"{category}-realised") == round(totals[(category, unit)]["realised"])
    listed = tables(html)["Gevinstene Trondheim kommune har registrert, per løsning"][1:]
    assert len(listed) == len(own)

    # Each suggestion's estimate is the median of what each of its adopters realised.
    per_adopter: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(dict)
    for r in realised:
        values = per_adopter[(r.solution_id, r.category)]
        values[r.adoption_id] = values.get(r.adoption_id, 0) + r.realised_value
    cards = _cards(html)
    assert cards
    estimated = defaultdict(Decimal)
    for slug, card in cards:
        for category, word in (("time_saved", "timer"), ("cost_saved", "kroner")):
            values = list(per_adopter.get((slugs[slug], category), {}).values())
            shown = re.search(
                rf"<strong>([\d\s\u00a0]+) {word} per år</strong> \(median av (\d+)", card
            )
            if not values:
                assert shown is None, (slug, category)
                continue
            assert shown, (slug, category)
            assert number(shown.group(1)) == round(median(values))
            assert int(shown.group(2)) == len(values)
            estimated[category] += median(values)
    for category, value in estimated.items():
        assert figure(html, f"estimate-{category}") == round(value)


def test_theme_page_shows_who_uses_the_theme_and_what_they_gained(site, site_app):
    slug = "bygg-og-eiendom"
    html, _ = get_page(site, f"/tema/{slug}")
    with site_app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        in_theme = set(
            db.session.scalars(
                select(solution_themes.c.solution_id).where(solution_themes.c.theme_id == theme.id)
            )
        )
        adoptions = db.session.scalars(
            select(Adoption).where(Adoption.solution_id.in_(in_theme))
        ).all()
        using: dict[str, set[int]] = defaultdict(set)
        for a in adoptions:
            if a.status in ("in_use", "pilot"):
                using[a.organisation.name].add(a.solution_id)
        rows = benefit_rows(Adoption.solution_id.in_(in_theme))
    assert using
    assert rows
    assert f"{len(using)} organisasjoner bruker eller prøver ut løsninger i temaet" in html
    for name, solutions in using.items():
        word = "løsning" if len(solutions) == 1 else "løsninger"
        assert f'{name}</a> <span class="muted">({len(solutions)} {word})' in html
    totals = sums(rows)
    for category, unit in FIXED.items():
        if (category, unit) in totals:
            realised = round(totals[(category, unit)]["realised"])
            assert figure(html, f"{category}-realised") == realised
