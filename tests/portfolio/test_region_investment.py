"""The region's investment (added up by the database) against the portfolio rule row by row.

``region_investment`` sums groups of rows in SQL; ``portfolio`` puts a kommune's rows together
one by one in Python. On a catalogue where samarbeid carry costs split equally and by explicit
shares, and their members also adopt the same solutions themselves, every kommune's figures on
the region page must equal its own portfolio's, and the region's and each theme's must equal
the sums of every adoption's own figures.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Organisation, Solution, Theme
from app.models.solution import solution_themes
from app.services import portfolio
from app.services.portfolio_facts import adoption_facts
from app.services.portfolio_figures import Totals, hour_rate, totals_of
from app.services.region_investment import _region_investment
from bench.synthetic import generate
from tests.conftest import auth

COSTS = "/api/v1/solutions/{slug}/adoptions/{org}/costs"
BENEFITS = "/api/v1/solutions/{slug}/adoptions/{org}/benefits"
ADOPTIONS = "/api/v1/solutions/{slug}/adoptions"


def _plain(totals: Totals) -> dict[str, Any]:
    """Return the totals as plain values, to the øre (the two sides divide in another order)."""
    values = asdict(totals)
    figures = values.pop("figures")
    figures.pop("rate")
    values.update({f"figures.{name}": value for name, value in figures.items()})
    return {
        name: value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value
        for name, value in values.items()
    }


@pytest.fixture
def shared_catalogue(app, client, make_token):
    """Synthetic solutions and adoptions, plus a samarbeid cost split by explicit shares on a
    solution that a member also uses itself, with benefits on both adoptions."""
    with app.app_context():
        generate(60, seed=7)
        collaboration = db.session.scalar(
            select(Organisation).where(Organisation.kind == "samarbeid").order_by(Organisation.id)
        )
        ref = collaboration.slug
        members = sorted(m.kommunenummer for m in collaboration.members if m.kommunenummer)
        slug = db.session.scalar(select(Solution.slug).order_by(Solution.id))
        adopted = {
            o.kommunenummer or o.slug
            for o in db.session.scalars(
                select(Organisation)
                .join(Adoption, Adoption.organisation_id == Organisation.id)
                .join(Solution, Solution.id == Adoption.solution_id)
                .where(Solution.slug == slug)
            )
        }
    admin = make_token("5001", role="admin")
    for org in (ref, members[0]):
        if org not in adopted:
            response = client.post(
                ADOPTIONS.format(slug=slug),
                json={"organisation": org, "status": "in_use"},
                headers=auth(admin),
            )
            assert response.status_code == 201, response.json
    shares = [{"organisation": members[0], "fraction": 0.5}] + [
        {"organisation": m, "fraction": 0.5 / (len(members) - 1)} for m in members[1:]
    ]
    for url, body in [
        (
            COSTS.format(slug=slug, org=ref),
            {"kind": "yearly", "amount": 38000, "split_rule": "custom", "shares": shares},
        ),
        (
            COSTS.format(slug=slug, org=ref),
            {"kind": "one_off", "amount": 76000, "effort_hours": 10},
        ),
        (
            BENEFITS.format(slug=slug, org=ref),
            {
                "category": "time_saved",
                "expected_value": 900,
                "realised_value": 500,
                "measured_on": "2025-06-30",
            },
        ),
        (
            BENEFITS.format(slug=slug, org=members[0]),
            {"category": "cost_saved", "realised_value": 120000, "measured_on": "2025-06-30"},
        ),
    ]:
        response = client.post(url, json=body, headers=auth(admin))
        assert response.status_code == 201, response.json
    return members[0]


def test_every_kommune_on_the_region_page_equals_its_own_portfolio(app, shared_catalogue):
    with app.app_context():
        region = _region_investment(date.today())
        compared = 0
        for kommune, totals in region.by_kommune:
            own = portfolio.portfolio(kommune.kommunenummer).totals
            assert _plain(totals) == _plain(own), kommune.name
            compared += own.rows > 0
        assert compared > 20
        member = next(t for k, t in region.by_kommune if k.kommunenummer == shared_catalogue)
        assert member.net_realised_rows > 0


def test_the_region_and_each_theme_equal_the_sums_of_every_adoption(app, shared_catalogue):
    with app.app_context():
        today = date.today()
        region = _region_investment(today)
        adoptions = dict(
            db.session.execute(
                select(Adoption.id, Adoption.solution_id).where(
                    Adoption.status.in_(portfolio.PORTFOLIO_STATUSES)
                )
            ).all()
        )
        facts = adoption_facts(adoptions, today)
        rate = hour_rate()
        whole = totals_of((f.figures for f in facts.values()), rate)
        assert _plain(region.totals) == _plain(whole)
        assert whole.with_costs > 0
        assert whole.net_realised_rows > 0
        themes: dict[int, set[int]] = {}
        for solution_id, theme_id in db.session.execute(select(solution_themes)):
            themes.setdefault(theme_id, set()).add(solution_id)
        by_slug = {t.slug: t.id for t in db.session.scalars(select(Theme))}
        for slug, _name, totals in region.by_theme:
            solutions = themes.get(by_slug[slug], set())
            expected = totals_of(
                (f.figures for a, f in facts.items() if adoptions[a] in solutions), rate
            )
            assert _plain(totals) == _plain(expected), slug
