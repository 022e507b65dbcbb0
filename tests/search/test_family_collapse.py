"""Search collapses a family: one result per original and its variants, in the API and on /sok.

The families are computed here from the rows' ``based_on_id`` (walked up to the original),
not by the service; which member stands for a family is the one the uncollapsed result lists
first, so collapsing never changes the order, only leaves relatives out.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Solution
from tests.conftest import auth

OWNER = "5007"


@pytest.fixture
def family(app: Flask, make_solution: Callable[..., str]) -> dict[str, str]:
    """Make a family of four (an original, two variants, a variant of a variant) and two
    unrelated solutions, all with the word «startlån»; return name → slug."""
    slugs: dict[str, str] = {}
    slugs["original"] = make_solution(name="Startlån original")
    slugs["variant"] = make_solution(
        name="Startlån variant", based_on=slugs["original"], based_on_kind="variant_of"
    )
    slugs["grandchild"] = make_solution(name="Startlån barnebarn", based_on=slugs["variant"])
    slugs["sibling"] = make_solution(
        name="Startlån søsken", based_on=slugs["original"], based_on_kind="variant_of"
    )
    slugs["alone"] = make_solution(name="Startlån alene")
    slugs["other"] = make_solution(name="Startlån annen", kind="system")
    return slugs


def _families(app: Flask) -> dict[str, str]:
    """Return slug → slug of its original, from the rows."""
    with app.app_context():
        rows = db.session.execute(select(Solution.id, Solution.slug, Solution.based_on_id)).all()
    parent = {row.id: row.based_on_id for row in rows}
    slug_of = {row.id: row.slug for row in rows}
    roots = {}
    for row in rows:
        node = row.id
        while parent[node] is not None:
            node = parent[node]
        roots[row.slug] = slug_of[node]
    return roots


def _search(client: FlaskClient, query: str) -> dict:
    response = client.get(f"/api/v1/search?page_size=100&{query}")
    assert response.status_code == 200, response.json
    return response.json


def _expected_collapse(results: list[dict], roots: dict[str, str]) -> list[tuple[str, int]]:
    """Return (slug, relatives left out) per family, in the order of the uncollapsed results."""
    first: dict[str, str] = {}
    members: dict[str, int] = {}
    for hit in results:
        root = roots[hit["slug"]]
        first.setdefault(root, hit["slug"])
        members[root] = members.get(root, 0) + 1
    return [(slug, members[root] - 1) for root, slug in first.items()]


@pytest.mark.parametrize(
    "query",
    ["q=startlån", "q=", "q=startlån&sort=newest", "q=variant startlån", "q=startlån&kind=system"],
)
def test_collapsing_keeps_the_first_of_each_family_and_counts_the_rest(
    app: Flask, client: FlaskClient, family: dict[str, str], query: str
) -> None:
    roots = _families(app)
    plain = _search(client, query)
    collapsed = _search(client, f"{query}&collapse_families=true")
    expected = _expected_collapse(plain["results"], roots)
    assert [(h["slug"], h["family_others"]) for h in collapsed["results"]] == expected
    assert collapsed["total"] == len(expected) == plain["grouped_total"]
    assert collapsed["grouped_total"] == collapsed["total"]
    assert plain["total"] == len(plain["results"])
    # Facets count solutions either way: a filter still gives what it says.
    assert collapsed["facets"] == plain["facets"]
    assert all(h["family_others"] == 0 for h in plain["results"])


def test_the_whole_family_is_one_collapsed_hit(
    app: Flask, client: FlaskClient, family: dict[str, str]
) -> None:
    body = _search(client, "q=startlån&collapse_families=true")
    by_slug = {h["slug"]: h["family_others"] for h in body["results"]}
    in_family = {family[n] for n in ("original", "variant", "grandchild", "sibling")}
    shown = in_family & by_slug.keys()
    assert len(shown) == 1
    assert by_slug[shown.pop()] == 3
    assert by_slug[family["alone"]] == 0
    assert by_slug[family["other"]] == 0
    assert body["total"] == 3


def test_family_lists_every_member_from_any_of_them(
    app: Flask, client: FlaskClient, family: dict[str, str]
) -> None:
    members = {family[n] for n in ("original", "variant", "grandchild", "sibling")}
    for name in ("original", "grandchild", "sibling"):
        body = _search(client, f"family={family[name]}")
        assert {h["slug"] for h in body["results"]} == members
        assert body["family"] == family["original"]
    alone = _search(client, f"family={family['alone']}")
    assert [h["slug"] for h in alone["results"]] == [family["alone"]]
    # With words: the members that have them.
    narrowed = _search(client, f"q=variant&family={family['sibling']}")
    assert {h["slug"] for h in narrowed["results"]} == {family["variant"]}


@pytest.mark.parametrize("value", ["finnes-ikke", "ikke en slug!", "x" * 300])
def test_an_unknown_family_is_a_422_naming_it(
    client: FlaskClient, family: dict[str, str], value: str
) -> None:
    response = client.get(f"/api/v1/search?family={value}")
    assert response.status_code == 422
    assert "family" in response.json["errors"]["query"]


def test_a_changed_lineage_moves_the_descendants_too(
    app: Flask, client: FlaskClient, family: dict[str, str], make_token: Callable[..., str]
) -> None:
    """Only the variant is written; its variant (the grandchild) must follow it in the index."""
    token = make_token(OWNER)
    detached = client.patch(
        f"/api/v1/solutions/{family['variant']}",
        json={"based_on": None},
        headers=auth(token, 1),
    )
    assert detached.status_code == 200, detached.json
    roots = _families(app)
    assert roots[family["grandchild"]] == family["variant"]
    for slug in family.values():
        members = {s for s, root in roots.items() if root == roots[slug]}
        body = _search(client, f"family={slug}")
        assert {h["slug"] for h in body["results"]} == members, slug
    collapsed = _search(client, "q=startlån&collapse_families=true")
    assert collapsed["total"] == len(set(roots.values()))


def test_deleting_the_original_splits_its_family(
    app: Flask, client: FlaskClient, family: dict[str, str], make_token: Callable[..., str]
) -> None:
    token = make_token(OWNER)
    deleted = client.delete(f"/api/v1/solutions/{family['original']}", headers=auth(token, 1))
    assert deleted.status_code == 204, deleted.json
    roots = _families(app)
    assert roots[family["grandchild"]] == family["variant"]
    assert roots[family["sibling"]] == family["sibling"]
    body = _search(client, "q=startlån&collapse_families=true")
    assert body["total"] == len(set(roots.values())) == 4
    by_slug = {h["slug"]: h["family_others"] for h in body["results"]}
    assert by_slug.get(family["variant"], by_slug.get(family["grandchild"])) == 1


def test_the_index_check_compares_the_family(app: Flask, family: dict[str, str]) -> None:
    from app import search
    from app.search import indexer

    with app.app_context():
        search.catch_up()
        assert indexer.check(search.store()) == []


def _hit_slugs(page: str) -> list[str]:
    import re

    results = page.split('class="card-list results__list"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'class="card__title">\s*<a href="/losninger/([^"]+)"', results)


def test_the_search_page_collapses_and_expands_a_family_without_javascript(
    app: Flask, client: FlaskClient, family: dict[str, str]
) -> None:
    import html
    import re

    page = client.get("/sok?q=startlån").get_data(as_text=True)
    assert len(_hit_slugs(page)) == 6
    toggle = re.search(
        r'<a class="facet__link" href="([^"]+)">\s*<span[^>]*></span>\s*'
        r'<span class="facet__label">Vis én per familie</span>\s*'
        r'<span class="facet__count">(\d+)',
        page,
    )
    assert toggle is not None
    assert toggle.group(2) == "3"
    collapsed = client.get(html.unescape(toggle.group(1))).get_data(as_text=True)
    assert "3 treff</strong> på «startlån», én per familie" in collapsed
    shown = _hit_slugs(collapsed)
    assert len(shown) == 3
    expand = re.search(r'<a href="([^"]+)">Vis alle 4 i familien', collapsed)
    assert expand is not None
    expanded = client.get(html.unescape(expand.group(1))).get_data(as_text=True)
    members = {family[n] for n in ("original", "variant", "grandchild", "sibling")}
    assert set(_hit_slugs(expanded)) == members
    assert "Familie:</span> Startlån original" in expanded
    # Turning it off again lists every member.
    off = re.search(r'facet__link--selected" href="([^"]+)">', collapsed)
    assert off is not None
    assert len(_hit_slugs(client.get(html.unescape(off.group(1))).get_data(as_text=True))) == 6


def test_the_search_page_answers_an_unknown_family_with_a_clear_error(
    client: FlaskClient, family: dict[str, str]
) -> None:
    response = client.get("/sok?family=finnes-ikke")
    assert 400 <= response.status_code < 500


def test_the_solution_page_links_its_family_in_search(
    client: FlaskClient, family: dict[str, str]
) -> None:
    page = client.get(f"/losninger/{family['grandchild']}").get_data(as_text=True)
    assert f'href="/sok?family={family["grandchild"]}">Vis hele familien i søket</a>' in page
