"""Shared plans in pages: the service, GET /api/v1/shared-plans, /samarbeid-muligheter and the
kommune page, each checked against an order computed here from the rows."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from app.schemas.solution import SolutionSchema
from app.services import shared_plans
from app.services.adoptions import build_adoptions
from app.services.permissions import SYSTEM
from app.services.solutions import build_solution
from app.web import organisation_views
from tests.conftest import solution_payload

KOMMUNER = ["5001", "5006", "5007", "5014", "5020", "5021", "5022", "5031"]


def _solution(name: str, *, draft: bool = False) -> Solution:
    body = SolutionSchema().load(solution_payload(name=name, owner="5001", is_draft=draft))
    return build_solution(body, actor=SYSTEM)


@pytest.fixture
def planned(app: Flask) -> Flask:
    """Fourteen solutions with plans of 2–5 kommuner (some dated), a draft planned by two, one
    solution planned by one kommune only, and one that two kommuner use (not a plan)."""
    rng = random.Random(7)
    with app.app_context():
        for n in range(14):
            solution = _solution(f"{rng.choice('abcde')}løsning {n:02d}")
            refs = rng.sample(KOMMUNER, rng.randint(2, 5))
            items = []
            for ref in refs:
                wanted = date(2027, rng.randint(1, 12), 1) if rng.random() < 0.4 else None
                status = rng.choice(shared_plans.PLAN_STATUSES)
                items.append((ref, {"status": status, "wanted_on": wanted}))
            build_adoptions(solution, items, actor=SYSTEM)
        draft = _solution("Utkast med planer", draft=True)
        build_adoptions(draft, [(r, {"status": "planned"}) for r in KOMMUNER[:2]], actor=SYSTEM)
        alone = _solution("Bare én planlegger")
        build_adoptions(alone, [("5006", {"status": "planned"})], actor=SYSTEM)
        used = _solution("I bruk hos to")
        build_adoptions(used, [(r, {"status": "in_use"}) for r in KOMMUNER[:2]], actor=SYSTEM)
        db.session.commit()
    return app


def _expected(organisation: str | None = None, *, newest: bool = False) -> list[str]:
    """The slugs in the order the catalogue promises, from the rows."""
    rows = db.session.execute(
        select(Solution.id, Solution.slug, Solution.name, Solution.is_draft, Adoption, Organisation)
        .join(Adoption, Adoption.solution_id == Solution.id)
        .join(Organisation, Adoption.organisation_id == Organisation.id)
        .execution_options(include_drafts=True)
    ).all()
    plans: dict[int, list[Any]] = {}
    info: dict[int, Any] = {}
    for sid, slug, name, draft, adoption, planner in rows:
        if adoption.status in shared_plans.PLAN_STATUSES and not draft:
            plans.setdefault(sid, []).append((adoption, planner))
            info[sid] = (slug, name)
    shared = {sid: p for sid, p in plans.items() if len(p) >= 2}
    if organisation is not None:
        shared = {
            sid: p
            for sid, p in shared.items()
            if any(o.kommunenummer == organisation for _, o in p)
        }

    def rank(sid: int) -> tuple:
        if newest:
            return (-max(a.updated_at for a, _ in shared[sid]).timestamp(), -sid)
        dates = [a.wanted_on for a, _ in shared[sid] if a.wanted_on]
        earliest = min(dates) if dates else None
        return (
            -len(shared[sid]),
            earliest is None,
            earliest or date.max,
            info[sid][1].lower(),
            sid,
        )

    return [info[sid][0] for sid in sorted(shared, key=rank)]


def _pages(organisation: str | None, size: int, *, newest: bool = False) -> tuple[list[str], int]:
    slugs: list[str] = []
    page, total = 1, None
    while True:
        found, total = shared_plans.shared_plans_page(
            organisation, page=page, page_size=size, newest_first=newest
        )
        if not found:
            return slugs, total
        assert all(len(p.plans) >= 2 for p in found)
        slugs += [p.solution.slug for p in found]
        page += 1


@pytest.mark.parametrize("organisation", [None, "5007", "5031"])
@pytest.mark.parametrize("newest", [False, True])
def test_pages_follow_the_promised_order(planned: Flask, organisation: str | None, newest: bool):
    with planned.app_context():
        expected = _expected(organisation, newest=newest)
        assert expected  # the fixture gives each of them shared plans
        slugs, total = _pages(organisation, 4, newest=newest)
        assert slugs == expected
        assert total == len(expected)


def test_the_api_pages_with_the_total_in_x_pagination(planned: Flask) -> None:
    client = planned.test_client()
    with planned.app_context():
        expected = _expected()
    second = client.get("/api/v1/shared-plans?page=2&page_size=5")
    assert second.status_code == 200
    assert [p["slug"] for p in second.json] == expected[5:10]
    assert json.loads(second.headers["X-Pagination"])["total"] == len(expected) == 14
    assert client.get("/api/v1/shared-plans?page_size=101").status_code == 422


def test_the_page_and_the_kommune_page_show_a_page_and_link_to_the_rest(
    planned: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = planned.test_client()
    with planned.app_context():
        names = dict(db.session.execute(select(Solution.slug, Solution.name)).all())
        everything, for_5007 = _expected(), _expected("5007")
    listing = client.get("/samarbeid-muligheter").get_data(as_text=True)
    assert "14 løsninger har felles planer" in listing
    assert all(names[slug] in listing for slug in everything)
    assert "Utkast med planer" not in listing
    assert "Bare én planlegger" not in listing

    own = client.get("/samarbeid-muligheter?kommune=5007").get_data(as_text=True)
    assert f"{len(for_5007)} løsning" in own
    assert "Planer Namsos kommune deler med andre" in own
    assert client.get("/samarbeid-muligheter?kommune=9999").status_code == 404
    assert client.get("/samarbeid-muligheter?page=0").status_code == 400
    beyond = client.get("/samarbeid-muligheter?page=2").get_data(as_text=True)
    assert "Siden finnes ikke" in beyond

    monkeypatch.setattr(organisation_views, "SHARED_PLAN_COUNT", 2)
    kommune = client.get("/kommuner/5007").get_data(as_text=True)
    section = kommune.split('id="shared-plans-title"')[1].split("</section>")[0]
    assert [slug for slug in for_5007 if f'/losninger/{slug}"' in section] == for_5007[:2]
    assert f"Se alle {len(for_5007)} planer" in section
    assert "/samarbeid-muligheter?kommune=5007" in section
