"""/sammenlign and the search page's "not used by" / "used by at least" links, without
JavaScript (the Flask test client), against sets computed from the adoption rows."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from tests.web.test_pages import assert_layout, get_page
from tests.web.test_search_page import count_of, facet_link


@pytest.fixture(scope="module")
def used(site_app) -> dict[str, set[str]]:
    """Return organisation slug → the slugs of the solutions it uses (pilot or in use)."""
    with site_app.app_context():
        rows = db.session.execute(
            select(Organisation.slug, Solution.slug)
            .join(Adoption.organisation)
            .join(Adoption.solution)
            .where(Adoption.status.in_(ACTIVE_ADOPTION_STATUSES))
        ).all()
    found: dict[str, set[str]] = defaultdict(set)
    for org, solution in rows:
        found[org].add(solution)
    return found


def _table_rows(html: str) -> dict[str, str]:
    """Return solution slug → the HTML of its row in the comparison table."""
    table = html.split('class="table compare__table"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>.*?</tr>", table, flags=re.S):
        match = re.search(r'<th scope="row"[^>]*><a href="/losninger/([^"]+)"', row)
        if match:
            rows[match.group(1)] = row
    return rows


def test_comparison_page_lists_the_union_and_marks_what_only_one_uses(site: FlaskClient, used):
    html, page = get_page(site, "/sammenlign?kommuner=5001,5006")
    assert_layout(page)
    assert page.h1() == "Sammenlign kommuner"
    assert (
        page.title
        == "Sammenlign kommuner: Trondheim kommune, Steinkjer kommune – Gjenbrukskatalogen"
    )
    rows = _table_rows(html)
    trondheim, steinkjer = used["trondheim"], used["steinkjer"]
    assert set(rows) == trondheim | steinkjer
    marked = {slug for slug, row in rows.items() if "bare her" in row}
    assert marked == trondheim ^ steinkjer
    for slug in trondheim - steinkjer:
        cells = re.findall(r"<td class=\"compare__cell[^\"]*\">(.*?)</td>", rows[slug], re.S)
        assert "bare her" in cells[0]
        assert "bare her" not in cells[1]
    # Themes head their groups; every row offers the adoption form.
    assert html.count('scope="rowgroup"') >= 2
    for slug, row in rows.items():
        assert f'href="/losninger/{slug}/bruk"' in row
    only_trondheim = len(trondheim - steinkjer)
    assert f"av dem {only_trondheim} bare her" in html


def test_the_form_works_without_javascript(site: FlaskClient):
    html, page = get_page(site, "/sammenlign")
    assert page.has("form", action="/sammenlign", method="get")
    for n in range(1, 5):
        assert page.has("label", **{"for": f"compare-{n}"})
        assert page.has("select", id=f"compare-{n}", name="kommuner")
    assert "compare__table" not in html
    # What the four selects send, two chosen and two left empty, compares the two.
    response = site.get("/sammenlign?kommuner=5001&kommuner=&kommuner=5006&kommuner=")
    assert response.status_code == 200
    assert "compare__table" in response.get_data(as_text=True)


def test_one_kommune_from_its_page_is_preselected(site: FlaskClient):
    _, kommune = get_page(site, "/kommuner/5001")
    assert "/sammenlign?kommuner=5001" in kommune.links
    html, _ = get_page(site, "/sammenlign?kommuner=5001")
    first = html.split('id="compare-1"')[1].split("</select>")[0]
    assert '<option value="5001" selected>' in first
    assert "compare__table" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kommuner=5001,9999", "Finner ingen kommune eller organisasjon «9999» i katalogen."),
        ("kommuner=5001,5006,5007,5014,5025", "Du kan sammenligne høyst 4 om gangen; du valgte 5."),
        ("kommuner=5001,trondheim", "Du valgte den samme kommunen flere ganger."),
        ("kommuner=%3Cb%3Ex%3C%2Fb%3E,5001", "«&lt;b&gt;x&lt;/b&gt;»"),
    ],
)
def test_bad_choices_answer_400_saying_why(site: FlaskClient, query, message):
    html, page = get_page(site, f"/sammenlign?{query}", status=400)
    assert page.title.startswith("Feil: Sammenlign kommuner")
    assert message in html
    assert 'role="alert"' in html
    assert "<b>x</b>" not in html


def test_search_page_not_used_by_and_at_least(site: FlaskClient, used):
    html, _ = get_page(site, "/sok?adopted_by=5001")
    assert count_of(html) == len(used["trondheim"])
    href = facet_link(html, "not_adopted_by", "steinkjer")
    assert parse_qs(urlsplit(href).query)["adopted_by"] == ["5001"]
    narrowed, page = get_page(site, href)
    assert count_of(narrowed) == len(used["trondheim"] - used["steinkjer"])
    assert "Brukes ikke av:</span> Steinkjer kommune" in narrowed

    counts: dict[str, int] = defaultdict(int)
    for solutions in used.values():
        for slug in solutions:
            counts[slug] += 1
    at_least = facet_link(narrowed, "min_adopters", "3")
    both, _ = get_page(site, at_least)
    expected = {s for s in used["trondheim"] - used["steinkjer"] if counts[s] >= 3}
    assert count_of(both) == len(expected)
    # Choosing another threshold replaces the chosen one; choosing it again removes it.
    section = both.split('id="facet-min_adopters"')[1].split("</section>")[0]
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', section)]
    thresholds = [parse_qs(urlsplit(h).query).get("min_adopters") for h in hrefs]
    assert None in thresholds  # the chosen one, to remove
    assert all(t is None or len(t) == 1 for t in thresholds)


def test_vendor_facet_filters_the_page(site: FlaskClient):
    html, _ = get_page(site, "/sok")
    href = facet_link(html, "vendor", "Norkart")
    narrowed, _ = get_page(site, href)
    assert count_of(narrowed) < count_of(html)
    assert "Leverandør:</span> Norkart" in narrowed


def test_a_big_theme_shows_its_first_rows_and_links_to_all_of_them(
    site: FlaskClient, used, monkeypatch
):
    """At national size four kommuner use thousands of solutions: a theme shows a few rows on
    the comparison of every theme, and a link to the theme alone, which shows them all."""
    from app.web import organisation_views

    monkeypatch.setattr(organisation_views, "ROWS_PER_THEME", 2)
    html, page = get_page(site, "/sammenlign?kommuner=5001,5006")
    shown = _table_rows(html)
    links = re.findall(r'<a href="([^"]+)">Vis alle (\d+) under ([^<]+)</a>', html)
    assert links
    everything = used["trondheim"] | used["steinkjer"]
    assert len(shown) < len(everything)
    seen: set[str] = set(shown)
    for href, count, _name in links:
        alone, page = get_page(site, href.replace("&amp;", "&"))
        rows = _table_rows(alone)
        assert len(rows) == int(count)
        assert alone.count('scope="rowgroup"') == 1
        assert "Vis alle tema" in alone
        seen |= set(rows)
    assert seen == everything


def test_an_unknown_theme_is_a_400_saying_so(site: FlaskClient):
    response = site.get("/sammenlign?kommuner=5001,5006&theme=finnes-ikke")
    assert response.status_code == 400
    assert "Ukjent tema: finnes-ikke." in response.get_data(as_text=True)
