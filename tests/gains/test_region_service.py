"""The region's figures (region_gains, estimate_gains) equal sums worked out from the rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median

from sqlalchemy import event, select

from app.extensions import db
from app.models import Benefit, Solution, Theme
from app.services import gain_stats, gains_dashboard
from tests.gains.helpers import FIXED, benefit_rows, status_at_year_end, sums, theme_slugs


def test_theme_totals_equal_sums_over_each_solutions_themes(site_app):
    with site_app.app_context():
        themes = theme_slugs()
        expected: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
        for row in benefit_rows(Benefit.category.in_(FIXED)):
            for slug in themes[row.solution_id]:
                expected[(slug, row.category)][0] += row.expected_value or 0
                expected[(slug, row.category)][1] += row.realised_value or 0
        found = gains_dashboard.theme_benefit_totals()
        all_themes = db.session.scalars(select(Theme.slug)).all()
    assert sorted(t.slug for t in found) == sorted(all_themes)  # every theme, zero or not
    for theme in found:
        for category, total in (("time_saved", theme.hours), ("cost_saved", theme.kroner)):
            assert [total.expected, total.realised] == expected[(theme.slug, category)]
            assert total.unit == FIXED[category]
    assert any(t.hours.realised for t in found)
    assert any(t.kroner.realised for t in found)


def test_top_solutions_are_the_largest_realised_sums(site_app):
    with site_app.app_context():
        names = dict(db.session.execute(select(Solution.id, Solution.slug)).all())
        for category in FIXED:
            realised: dict[str, Decimal] = defaultdict(Decimal)
            expected: dict[str, Decimal] = defaultdict(Decimal)
            reporting: dict[str, set[int]] = defaultdict(set)
            for row in benefit_rows(Benefit.category == category):
                slug = names[row.solution_id]
                expected[slug] += row.expected_value or 0
                if row.realised_value is not None:
                    realised[slug] += row.realised_value
                    reporting[slug].add(row.adoption_id)
            ranked = sorted((s for s in realised if realised[s] > 0), key=lambda s: -realised[s])
            top = gains_dashboard.top_solutions(category, 10)
            assert len(top) == min(10, len(ranked))
            assert [s.realised for s in top] == [realised[s] for s in ranked[: len(top)]]
            for item in top:
                assert item.realised == realised[item.slug]
                assert (item.expected or 0) == expected[item.slug]
                assert item.adopters == len(reporting[item.slug])


def test_the_timeline_counts_pilot_and_in_use_at_each_year_end(site_app):
    today = date.today()
    with site_app.app_context():
        by_hand = status_at_year_end(today)
        timeline = gains_dashboard.adoption_timeline(today)
    assert [y.year for y in timeline] == list(by_hand)
    for year in timeline:
        for status in ("pilot", "in_use"):
            assert year.counts[status] == by_hand[year.year].get(status, 0), (year, status)
    assert timeline[-1].counts["in_use"] > 0
    assert timeline[-1].counts["pilot"] > 0


def test_the_timeline_stops_at_the_given_day(site_app):
    with site_app.app_context():
        by_hand = status_at_year_end(date(2020, 6, 30))
        timeline = gains_dashboard.adoption_timeline(date(2020, 6, 30))
    assert timeline[-1].year == 2020
    assert timeline[-1].counts["in_use"] == by_hand[2020].get("in_use", 0)


def test_region_gains_add_up_in_the_database_without_loading_rows(site_app):
    """A fixed handful of aggregate queries, and not one Benefit object loaded into Python."""
    statements: list[str] = []
    loaded: list[object] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        statements.append(statement)

    def load(target, context):  # noqa: ANN001
        loaded.append(target)

    with site_app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        event.listen(Benefit, "load", load)
        try:
            report = gains_dashboard.region_gains(10)
        finally:
            event.remove(engine, "before_cursor_execute", count)
            event.remove(Benefit, "load", load)
        rows = benefit_rows()
    assert loaded == []
    assert len(statements) <= 8, statements
    assert {(t.category, t.unit) for t in report.benefits} == set(sums(rows))
    measured = {r.adoption_id for r in rows if r.is_measured and r.realised_value is not None}
    assert report.adopters == len({r.adoption_id for r in rows})
    assert report.adopters_measured == len(measured)


def test_estimates_are_medians_of_what_each_adopter_realised(site_app):
    with site_app.app_context():
        ids = db.session.scalars(select(Solution.id).order_by(Solution.id)).all()
        per_adopter: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(dict)
        for row in benefit_rows(Benefit.category.in_(FIXED), Benefit.realised_value.is_not(None)):
            values = per_adopter[(row.solution_id, row.category)]
            values[row.adoption_id] = values.get(row.adoption_id, 0) + row.realised_value
        estimates = gain_stats.estimate_gains(ids)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for solution_id in ids:
        found = {e.category: e for e in estimates.by_solution.get(solution_id, [])}
        for category in FIXED:
            values = list(per_adopter.get((solution_id, category), {}).values())
            if not values:
                assert category not in found
                continue
            assert found[category].median == median(values)
            assert found[category].adopters == len(values)
            totals[category] += median(values)
    assert estimates.totals == dict(totals)
    assert gain_stats.estimate_gains([]).by_solution == {}
