"""The search page through the Flask test client: hits, facets, sorting, pages, errors."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.web.test_pages import get_page


def hit_slugs(html: str) -> list[str]:
    """Return the slugs of the hits, in order."""
    results = html.split('class="card-list results__list"')
    if len(results) < 2:
        return []
    return re.findall(r'<h3 class="card__title">\s*<a href="/losninger/([^"]+)"', results[1])


def count_of(html: str) -> int:
    """Return the number of hits the page reports."""
    match = re.search(r'results__count">\s*<strong>(\d+)', html)
    assert match, "no hit count"
    return int(match.group(1))


def facet_link(html: str, name: str, value: str, selected: tuple[str, ...] = ()) -> str:
    """Return the href of a facet value's link: it toggles ``value`` in the ``selected`` ones."""
    section = html.split(f'id="facet-{name}"')[1].split("</section>")[0]
    wanted = set(selected) ^ {value}
    for href in re.findall(r'href="([^"]+)"', section):
        href = href.replace("&amp;", "&")
        if set(parse_qs(urlsplit(href).query).get(name, [])) == wanted:
            return href
    raise AssertionError(f"no link for {name}={value}")


def test_empty_search_browses_everything(site: FlaskClient) -> None:
    html, page = get_page(site, "/sok")
    assert page.h1() == "Søk i katalogen"
    assert page.title == "Alle løsninger (69 treff) – Gjenbrukskatalogen"
    assert count_of(html) == 69
    assert len(hit_slugs(html)) == 20
    assert page.has("nav", **{"aria-label": "Sider med treff"})
    assert page.has("a", href="/sok?page=2", rel="next")


def test_text_search_highlights_and_counts(site: FlaskClient) -> None:
    html, page = get_page(site, "/sok?q=byggesak")
    assert page.h1() == "Søk etter «byggesak»"
    assert page.title.startswith("Søk etter «byggesak» (")
    slugs = hit_slugs(html)
    assert slugs[0] == "digital-byggesaksbehandling"
    assert count_of(html) == len(slugs)
    assert "<mark>" in html
    # The box keeps the query so it can be changed.
    assert 'value="byggesak"' in html


def test_did_you_mean_on_a_misspelling(site: FlaskClient) -> None:
    html, _ = get_page(site, "/sok?q=bygesak")
    assert 'Mente du <a href="/sok?q=byggesak">«byggesak»</a>?' in html


def test_facets_combine_and_remove(site: FlaskClient) -> None:
    html, page = get_page(site, "/sok")
    for name in ("theme", "kind", "status", "owner", "standard", "adopted_by"):
        assert f'id="facet-{name}"' in html
    # Narrow by a theme: the URL holds it, the count drops, the value shows as selected.
    theme_url = facet_link(html, "theme", "bygg-og-eiendom")
    html, page = get_page(site, theme_url)
    assert count_of(html) == 8
    assert "Fjern filteret: </span>Bygg og eiendom" in html
    assert "Valgte filtre" in html
    # Combine with a kind: both filters in the URL, fewer hits.
    both_url = facet_link(html, "kind", "system")
    assert parse_qs(urlsplit(both_url).query) == {
        "theme": ["bygg-og-eiendom"],
        "kind": ["system"],
    }
    html, _ = get_page(site, both_url)
    both = count_of(html)
    assert 0 < both < 8
    # Remove the theme again (its link toggles it off): only the kind remains.
    without_theme = facet_link(html, "theme", "bygg-og-eiendom", selected=("bygg-og-eiendom",))
    assert parse_qs(urlsplit(without_theme).query) == {"kind": ["system"]}
    # "Fjern alle filtre" drops every filter.
    assert 'href="/sok">Fjern alle filtre</a>' in html


def test_facet_counts_match_the_results(site: FlaskClient) -> None:
    html, _ = get_page(site, "/sok?q=digital")
    section = html.split('id="facet-kind"')[1].split("</section>")[0]
    counts = [int(n) for n in re.findall(r'facet__count">(\d+)<', section)]
    assert sum(counts) == count_of(html)


@pytest.mark.parametrize("sort", ["newest", "most_adopted"])
def test_sorting_is_in_the_url(site: FlaskClient, sort: str) -> None:
    html, _ = get_page(site, f"/sok?sort={sort}")
    assert f'href="/sok?sort={sort}" aria-current="true"' in html
    assert len(hit_slugs(html)) == 20


def test_most_adopted_first(site: FlaskClient) -> None:
    html, _ = get_page(site, "/sok?sort=most_adopted")
    assert hit_slugs(html)[0] == "innforing-av-digital-soknad-om-sosialhjelp"


def test_second_page_continues_the_first(site: FlaskClient) -> None:
    first, _ = get_page(site, "/sok")
    second, page = get_page(site, "/sok?page=2")
    assert page.title == "Alle løsninger (69 treff), side 2 – Gjenbrukskatalogen"
    assert not set(hit_slugs(first)) & set(hit_slugs(second))
    assert '<ol class="card-list results__list" start="21">' in second
    assert page.has("a", href="/sok?page=4", **{"aria-current": "page"}) is False
    assert page.has("a", href="/sok?page=2", **{"aria-current": "page"})


def test_page_past_the_end_offers_the_first(site: FlaskClient) -> None:
    html, _ = get_page(site, "/sok?page=50")
    assert "Gå til første side" in html


def test_no_hits_says_so(site: FlaskClient) -> None:
    html, _ = get_page(site, "/sok?q=zzzyyyxxx")
    assert "Ingen løsninger passer søket" in html


def test_post_from_embedded_form_redirects_to_shareable_url(site: FlaskClient) -> None:
    response = site.post("/sok", data={"q": "barnehage", "theme": "familie-og-barn"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/sok?q=barnehage&theme=familie-og-barn"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/sok?page=abc", 400),
        ("/sok?page=0", 400),
        ("/sok?sort=tilfeldig", 400),
        ("/sok?q=" + "x" * 201, 400),
        ("/sok?theme=finnes-ikke", 422),
        ("/sok?kind=romskip", 422),
        ("/sok?adopted_by=9999", 422),
    ],
)
def test_bad_search_parameters_are_4xx_pages(site: FlaskClient, url: str, status: int) -> None:
    _, page = get_page(site, url, status=status)
    assert page.h1() in {"Ugyldig forespørsel", "Ugyldig søk"}


def test_filter_by_kommunenummer_works_like_slug(site: FlaskClient) -> None:
    by_number, _ = get_page(site, "/sok?adopted_by=5007")
    by_slug, _ = get_page(site, "/sok?adopted_by=namsos")
    assert count_of(by_number) == count_of(by_slug) > 0
