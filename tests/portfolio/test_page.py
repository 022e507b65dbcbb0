"""The portfolio page shows the service's figures, sorted by the chosen column."""

from __future__ import annotations

from decimal import Decimal

from app.web.filters import number_nb
from tests.conftest import auth


def _write(client, make_token, make_solution, name: str, amount: int, saved: int) -> str:
    slug = make_solution(name=name)
    token = make_token("5006")
    for url, body in (
        (f"/api/v1/solutions/{slug}/adoptions", {"organisation": "5006", "status": "in_use"}),
        (
            f"/api/v1/solutions/{slug}/adoptions/5006/costs",
            {"kind": "one_off", "amount": amount},
        ),
        (
            f"/api/v1/solutions/{slug}/adoptions/5006/benefits",
            {"category": "cost_saved", "realised_value": saved, "measured_on": "2024-05-01"},
        ),
    ):
        response = client.post(url, json=body, headers=auth(token))
        assert response.status_code == 201, response.json
    return slug


def test_the_page_shows_sums_and_rows_and_sorts(client, make_token, make_solution):
    _write(client, make_token, make_solution, "Aaa digital postkasse", 100000, 20000)
    _write(client, make_token, make_solution, "Bbb timebestilling", 50000, 60000)
    page = client.get("/kommuner/5006/portefolje")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    total_investment = Decimal(150000)
    net = Decimal(80000)  # no running costs: gain − 0
    assert f"{number_nb(total_investment)}&nbsp;kr" in html
    assert f"{number_nb(net)}&nbsp;kr" in html
    assert "bygger på 2 av 2 løsninger" in html
    by_name = html.index("Aaa digital postkasse") < html.index("Bbb timebestilling")
    assert by_name
    by_net = client.get("/kommuner/5006/portefolje?sortering=netto").get_data(as_text=True)
    assert by_net.index("Bbb timebestilling") < by_net.index("Aaa digital postkasse")
    assert 'aria-sort="descending"' in by_net


def test_unknown_kommune_and_unknown_sort(client):
    assert client.get("/kommuner/9999/portefolje").status_code == 404
    assert client.get("/kommuner/5006/portefolje?sortering=%3Cx%3E").status_code == 200


def test_rows_come_in_pages_and_the_sums_cover_them_all(
    client, make_token, make_solution, monkeypatch
):
    from app.web import portfolio_views

    monkeypatch.setattr(portfolio_views, "PAGE_SIZE", 1)
    _write(client, make_token, make_solution, "Aaa digital postkasse", 100000, 20000)
    _write(client, make_token, make_solution, "Bbb timebestilling", 50000, 60000)
    first = client.get("/kommuner/5006/portefolje").get_data(as_text=True)
    second = client.get("/kommuner/5006/portefolje?side=2").get_data(as_text=True)
    assert "Aaa digital postkasse" in first
    assert "Bbb timebestilling" not in first
    assert "Bbb timebestilling" in second
    assert "Viser 2–2 av 2 løsninger" in second
    for html in (first, second):
        assert f"{number_nb(Decimal(150000))}&nbsp;kr" in html  # the sums are of every row
    beyond = client.get("/kommuner/5006/portefolje?side=9").get_data(as_text=True)
    assert "Det finnes ikke så mange sider" in beyond
    printed = client.get("/kommuner/5006/portefolje/utskrift").get_data(as_text=True)
    assert "Aaa digital postkasse" in printed
    assert "Bbb timebestilling" in printed
