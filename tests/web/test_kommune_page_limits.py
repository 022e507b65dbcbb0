"""The kommune page at scale: a dozen cards and fifty rows, the totals, and links to the rest.

An organisation can share and use thousands of solutions; the page shows the most reused of
what it shares and the first of what it uses, and links to the search page filtered on it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.schemas.solution import SolutionSchema
from app.services.adoptions import build_adoption
from app.services.organisation_profiles import get_organisation_profile, list_kommuner
from app.services.permissions import SYSTEM
from app.services.solutions import build_solution
from app.services.transaction import commit
from app.web.organisation_views import SHARED_CARD_COUNT, USED_ROW_COUNT
from tests.conftest import solution_payload

SHARED = 14
"""Solutions Namsos shares: two more than the page shows as cards."""

USED_ACTIVE = 51
"""Solutions (owned by Trondheim) Namsos uses or pilots: one more than the table shows."""

USED_OTHER = ("planned", "considering")
"""Statuses of two more adoptions by Namsos, which the table counts but search does not."""


@pytest.fixture
def scaled(app: Flask) -> dict[str, Any]:
    """Register Namsos's shared and used solutions through the services, committed at once.

    Shared solution ``i`` (1-based) is used by ``i // 2`` other kommuner, so the most reused
    are the last by name, and pairs tie (the name decides).
    """
    with app.app_context():
        others = [k.kommunenummer for k in list_kommuner() if k.kommunenummer != "5007"]
        reuse: dict[str, int] = {}
        names: dict[str, str] = {}
        for i in range(1, SHARED + 1):
            name = f"Delt løsning {i:02}"
            solution = build_solution(
                SolutionSchema().load(solution_payload(name=name, owner="5007")), actor=SYSTEM
            )
            for ref in others[: i // 2]:
                build_adoption(solution, ref, {"status": "in_use"}, actor=SYSTEM)
            if i == 1:
                # Considering is no use: it must not lift this one above the others.
                build_adoption(solution, others[-1], {"status": "considering"}, actor=SYSTEM)
            reuse[solution.slug] = i // 2
            names[solution.slug] = name
        used: dict[str, str] = {}
        statuses = ["pilot" if i % 5 == 0 else "in_use" for i in range(USED_ACTIVE)]
        for i, status in enumerate([*statuses, *USED_OTHER], start=1):
            solution = build_solution(
                SolutionSchema().load(solution_payload(name=f"Brukt løsning {i:02}", owner="5001")),
                actor=SYSTEM,
            )
            build_adoption(solution, "5007", {"status": status}, actor=SYSTEM)
            used[solution.slug] = solution.name
        commit(actor=SYSTEM)  # indexes the new solutions too
    return {"reuse": reuse, "names": names, "used": used}


def _html(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, title_id: str) -> str:
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


def test_page_shows_the_most_reused_cards_and_links_to_all(
    scaled: dict[str, Any], client: FlaskClient
) -> None:
    html = _html(client, "/kommuner/5007")
    assert f"Deler {SHARED} løsninger og bruker {USED_ACTIVE} løsninger" in html
    assert f"; {len(USED_OTHER)} til er planlagt, vurderes eller er avsluttet." in html

    shared = _section(html, "shared-title")
    cards = re.findall(r'<h3 class="card__title">\s*<a href="/losninger/([^"]+)">', shared)
    reuse, names = scaled["reuse"], scaled["names"]
    expected = sorted(reuse, key=lambda slug: (-reuse[slug], names[slug]))[:SHARED_CARD_COUNT]
    assert cards == expected
    assert len(cards) == SHARED_CARD_COUNT
    assert f"Brukes av {reuse[cards[0]]} organisasjoner" in shared
    assert f"Namsos kommune deler {SHARED} løsninger." in shared
    link = f'<a class="more-link" href="/sok?owner=namsos">Se alle {SHARED} '
    assert f"{link}løsninger Namsos kommune deler</a>" in shared


def test_table_shows_the_first_rows_by_name_and_links_to_all(
    scaled: dict[str, Any], client: FlaskClient
) -> None:
    html = _html(client, "/kommuner/namsos")
    uses = _section(html, "uses-title")
    rows = re.findall(r'<th scope="row"><a href="/losninger/([^"]+)">', uses)
    used = scaled["used"]
    assert rows == sorted(used, key=lambda slug: used[slug])[:USED_ROW_COUNT]
    total = USED_ACTIVE + len(USED_OTHER)
    assert f"Tabellen viser de {USED_ROW_COUNT} første av {total} løsninger" in uses
    link = f'<a class="more-link" href="/sok?adopted_by=namsos">Se alle {USED_ACTIVE} '
    assert f"{link}løsninger Namsos kommune bruker</a>" in uses


@pytest.mark.parametrize(
    ("url", "total"), [("/sok?owner=namsos", SHARED), ("/sok?adopted_by=namsos", USED_ACTIVE)]
)
def test_the_links_search_lists_them_all(
    scaled: dict[str, Any], client: FlaskClient, url: str, total: int
) -> None:
    html = _html(client, url)
    assert f"<strong>{total} løsninger</strong> med valgte filtre" in html


def test_service_reads_only_the_rows_asked_for(scaled: dict[str, Any], app: Flask) -> None:
    with app.app_context():
        profile = get_organisation_profile(
            "5007", shared_limit=SHARED_CARD_COUNT, adoption_limit=USED_ROW_COUNT
        )
        assert len(profile.shared) == SHARED_CARD_COUNT
        assert len(profile.adoptions) == USED_ROW_COUNT
        assert (profile.shared_total, profile.active_total, profile.planned_total) == (
            SHARED,
            USED_ACTIVE,
            len(USED_OTHER),
        )
        assert profile.more_shared
        assert profile.more_adoptions
        everything = get_organisation_profile("5007")
        assert len(everything.shared) == SHARED
        assert len(everything.adoptions) == USED_ACTIVE + len(USED_OTHER)
        assert not everything.more_shared
        assert not everything.more_adoptions


def test_the_gains_table_lists_the_first_benefits_and_sums_them_all(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The totals count every benefit; the table lists the first few, the portfolio all."""
    from decimal import Decimal

    from app.schemas.benefit import BenefitSchema
    from app.services.benefits import build_benefit
    from app.web import organisation_views

    expected_hours = Decimal(0)
    with app.app_context():
        for i in range(1, 8):
            solution = build_solution(
                SolutionSchema().load(solution_payload(name=f"Gevinst {i:02}", owner="5001")),
                actor=SYSTEM,
            )
            adoption = build_adoption(solution, "5007", {"status": "in_use"}, actor=SYSTEM)
            data = {"category": "time_saved", "expected_value": 10.0 * i}
            build_benefit(adoption, BenefitSchema().load(data))
            expected_hours += Decimal(10 * i)
        commit(actor=SYSTEM)
    monkeypatch.setattr(organisation_views, "BENEFIT_ROW_COUNT", 3)
    gains = _section(_html(client, "/kommuner/5007"), "gains-title")
    assert len(re.findall(r'<th scope="row">', gains)) == 3
    assert "Tabellen viser de første 3 av 7 gevinstene" in gains
    assert 'href="/kommuner/5007/portefolje"' in gains
    assert f"{int(expected_hours)}" in gains.replace("\xa0", "").replace(" ", "")
    with app.app_context():
        summary = organisation_views.gains.organisation_benefits("5007", limit=3)
        assert summary.count == 7
        assert len(summary.benefits) == 3
        assert [t.expected for t in summary.totals if t.category == "time_saved"] == [
            expected_hours
        ]
