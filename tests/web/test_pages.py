"""The pages through the Flask test client: status, title, headings, key content, no-JS forms."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient


class PageOutline(HTMLParser):
    """Collect what the tests look at: title, headings, links, landmarks, form controls."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.headings: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"] or "")
        if tag in {"title", "h1", "h2", "h3"}:
            self._open.append(tag)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[-1]:
            self._open.pop()
            text = " ".join("".join(self._text).split())
            if tag == "title":
                self.title = text
            else:
                self.headings.append((tag, text))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def h1(self) -> str:
        """Return the text of the one h1."""
        ones = [text for tag, text in self.headings if tag == "h1"]
        assert len(ones) == 1, ones
        return ones[0]

    def has(self, tag: str, **attrs: str) -> bool:
        """Return whether an element with these attribute values exists."""
        return any(
            t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
            for t, a in self.tags
        )


def outline(html: str) -> PageOutline:
    """Parse a page."""
    parsed = PageOutline()
    parsed.feed(html)
    return parsed


def get_page(client: FlaskClient, url: str, status: int = 200) -> tuple[str, PageOutline]:
    """Return the HTML of ``url`` (asserting its status and that it is a Norwegian page)."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="nb">' in html
    return html, outline(html)


def assert_layout(page: PageOutline) -> None:
    """Assert the landmarks every page has: skip link, banner, navigation, main, footer."""
    assert page.has("a", href="#main", class_="skip-link")
    assert page.has("main", id="main")
    assert page.has("nav", **{"aria-label": "Hovedmeny"})
    assert any(tag == "header" for tag, _ in page.tags)
    assert any(tag == "footer" for tag, _ in page.tags)
    assert page.title.endswith("– Gjenbrukskatalogen")


def test_front_page(site: FlaskClient) -> None:
    html, page = get_page(site, "/")
    assert_layout(page)
    assert page.title == "Forside – Gjenbrukskatalogen"
    assert page.h1() == "Finn løsninger andre kommuner allerede bruker"
    headings = [text for tag, text in page.headings if tag == "h2"]
    for expected in ("Nyeste løsninger", "Mest gjenbrukt", "Utforsk etter tema"):
        assert expected in headings
    # The search box is a plain GET form to /sok with a label.
    assert page.has("form", action="/sok", method="get", role="search")
    assert page.has("label", **{"for": "forside-sok"})
    assert page.has("input", id="forside-sok", name="q", type="search")
    # Figures: 69 solutions, all 38 kommuner take part.
    assert re.search(r'figure__value">69<', html)
    assert '38<span class="figure__of"> av 38</span>' in html
    assert "timer spart per år" in html
    # Browse by theme and by kind.
    assert "/tema/bygg-og-eiendom" in page.links
    assert "/sok?kind=system" in page.links
    assert "/opensearch.xml" in html


def test_front_page_most_reused_comes_first(site: FlaskClient) -> None:
    html, _ = get_page(site, "/")
    reused = html.split('id="reused-title"')[1]
    first = re.search(r'href="/losninger/([^"]+)"', reused)
    assert first is not None
    # The most adopted example solution (22 organisations use it).
    assert first.group(1) == "innforing-av-digital-soknad-om-sosialhjelp"


def test_solution_page(site: FlaskClient) -> None:
    html, page = get_page(site, "/losninger/digital-byggesaksbehandling")
    assert_layout(page)
    assert page.h1() == "Digital byggesaksbehandling"
    assert page.title == "Digital byggesaksbehandling – Løsning – Gjenbrukskatalogen"
    h2s = [text for tag, text in page.headings if tag == "h2"]
    assert h2s[:1] == ["Fakta"] or "Fakta" in h2s
    for expected in ("Om løsningen", "Hvem bruker løsningen", "Lignende løsninger"):
        assert expected in h2s
    # Markdown rendered: "## Hva er det?" is an h3 under "Om løsningen".
    assert ("h3", "Hva er det?") in page.headings
    assert "<li>Søknaden valideres" in html
    # Owner, contact, themes, standards, licence.
    assert '<a href="/kommuner/5001">Trondheim kommune</a>' in html
    assert "mailto:ingrid.solberg@trondheim.kommune.example" in html
    assert "/tema/bygg-og-eiendom" in page.links
    assert "/sok?standard=noark-5" in page.links
    assert "Proprietær" in html
    # Who uses it: a table with headers, and the strip of all 38 kommuner with a text summary.
    assert page.has("th", scope="col")
    assert html.count('class="strip__cell"') == 38
    assert "<strong>8 av 38 kommuner</strong> bruker løsningen" in html
    assert 'role="img"' in html
    # The owner is marked in the strip, and statuses carry words, not only colour.
    assert "Trondheim kommune: I bruk (eier)" in html
    assert '<span class="mark-label">Pilot</span>' in html
    assert "Sist endret <time datetime=" in html
    # What it gained them: the benefits table with units and how each was found.
    assert ("h2", "Gevinster") in page.headings
    assert "Gevinstene hver organisasjon har registrert" in html
    assert "timer per år" in html
    assert "Målt <time" in html


def test_unknown_solution_is_a_norwegian_404(site: FlaskClient) -> None:
    html, page = get_page(site, "/losninger/finnes-ikke", status=404)
    assert page.h1() == "Siden finnes ikke"
    assert page.title == "Siden finnes ikke – Gjenbrukskatalogen"
    assert_layout(page)


def test_organisations_page(site: FlaskClient) -> None:
    html, page = get_page(site, "/kommuner")
    assert_layout(page)
    assert page.h1() == "Kommuner og organisasjoner"
    h2s = [text for tag, text in page.headings if tag == "h2"]
    assert h2s == ["Kommuner", "Fylkeskommunen", "Interkommunale samarbeid"]
    assert html.count('href="/kommuner/50') == 38
    assert '<a href="/kommuner/digi-trondelag">DIGI Trøndelag</a>' in html
    assert page.has("th", scope="row")


def test_kommune_page_with_reuse_suggestions(site: FlaskClient) -> None:
    html, page = get_page(site, "/kommuner/5007")
    assert_layout(page)
    assert page.h1() == "Namsos kommune"
    h2s = [text for tag, text in page.headings if tag == "h2"]
    for expected in (
        "Løsninger Namsos kommune deler",
        "Løsninger Namsos kommune bruker",
        "Forslag til gjenbruk",
    ):
        assert expected in h2s
    suggestions = html.split('id="suggest-title"')[1]
    assert "Brukes av" in suggestions
    assert "Namdal regionråd" in suggestions
    # A suggestion is never something Namsos already uses or owns.
    used = set(re.findall(r'href="/losninger/([^"]+)"', html.split('id="suggest-title"')[0]))
    suggested = set(re.findall(r'href="/losninger/([^"]+)"', suggestions))
    assert suggested
    assert not suggested & used


def test_kommune_page_by_slug_is_the_same_kommune(site: FlaskClient) -> None:
    _, page = get_page(site, "/kommuner/namsos")
    assert page.h1() == "Namsos kommune"


def test_collaboration_page_lists_members(site: FlaskClient) -> None:
    html, page = get_page(site, "/kommuner/namdal-regionrad")
    assert page.h1() == "Namdal regionråd"
    assert ("h2", "Medlemmer (10)") in page.headings
    assert "Forslag til gjenbruk" not in html


def test_unknown_kommune_is_404(site: FlaskClient) -> None:
    get_page(site, "/kommuner/9999", status=404)


def test_theme_page(site: FlaskClient) -> None:
    html, page = get_page(site, "/tema/bygg-og-eiendom")
    assert_layout(page)
    assert page.h1() == "Bygg og eiendom"
    assert "8 løsninger i temaet" in html
    assert html.count('class="card"') == 8
    assert "/sok?theme=bygg-og-eiendom" in page.links
    get_page(site, "/tema/finnes-ikke", status=404)


def test_matrix_page(site: FlaskClient) -> None:
    html, page = get_page(site, "/gjenbruksmatrise")
    assert_layout(page)
    assert page.h1() == "Gjenbruksmatrise"
    assert html.count('class="matrix__kommune"') == 38
    assert html.count('<th scope="row" class="matrix__solution">') == 69
    assert "står alene" in html
    # The theme filter is a labelled select in a GET form with a submit button (no JS).
    assert page.has("label", **{"for": "matrix-theme"})
    assert page.has("form", action="/gjenbruksmatrise", method="get")


def test_matrix_filtered_by_theme(site: FlaskClient) -> None:
    html, page = get_page(site, "/gjenbruksmatrise?theme=bygg-og-eiendom")
    assert page.h1() == "Gjenbruksmatrise: Bygg og eiendom"
    assert html.count('<th scope="row" class="matrix__solution">') == 8
    assert '<option value="bygg-og-eiendom" selected>' in html


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/gjenbruksmatrise?theme=finnes-ikke", 404),
        ("/gjenbruksmatrise?page=0", 400),
        ("/gjenbruksmatrise?page=abc", 400),
        ("/tema/bygg-og-eiendom?page=-1", 400),
    ],
)
def test_bad_listing_parameters_are_4xx_pages(site: FlaskClient, url: str, status: int) -> None:
    _, page = get_page(site, url, status=status)
    assert_layout(page)


def test_about_page_explains_publishing(site: FlaskClient) -> None:
    html, page = get_page(site, "/om")
    assert_layout(page)
    assert page.h1() == "Om Gjenbrukskatalogen"
    assert "/api/docs" in page.links
    assert "flask --app wsgi tokens create --org 5007" in html
    assert "Authorization: Bearer" in html
    # The embeddable search form, shown as code and as a working form.
    assert '&lt;form action="http://localhost/sok" method="get" role="search"&gt;' in html
    assert page.has("label", **{"for": "gjenbruk-sok"})
    assert page.has("input", id="gjenbruk-sok", name="q")


def test_opensearch_description(site: FlaskClient) -> None:
    response = site.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    body = response.get_data(as_text=True)
    assert 'template="http://localhost/sok?q={searchTerms}"' in body
    assert "<ShortName>Gjenbrukskatalogen</ShortName>" in body


def test_opensearch_suggestions(site: FlaskClient) -> None:
    response = site.get("/sok/forslag?q=barne")
    assert response.status_code == 200
    assert response.mimetype == "application/x-suggestions+json"
    prefix, words, descriptions, urls = response.json
    assert prefix == "barne"
    assert words
    assert all("barne" in word.lower() for word in words)
    # A solution's name leads to the solution, a word to its search.
    named = words.index("Barnehageopptak med digital søknad")
    assert descriptions[named] == "Løsning"
    assert urls[named] == "http://localhost/losninger/barnehageopptak-med-digital-soknad"
    assert all(
        url.startswith("http://localhost/sok?q=")
        for url, kind in zip(urls, descriptions, strict=True)
        if kind == "Søk"
    )


def test_static_assets_are_served_locally(site: FlaskClient) -> None:
    html, _ = get_page(site, "/")
    for asset in re.findall(r'(?:href|src)="(/static/web/[^"]+)"', html):
        response = site.get(asset)
        assert response.status_code == 200, asset
        response.close()
    # No asset from another host: everything the page loads is relative to the app.
    assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?://', html)


def test_solutions_index_redirects_to_search(site: FlaskClient) -> None:
    response = site.get("/losninger/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sok"


def test_unknown_path_is_a_norwegian_404(site: FlaskClient) -> None:
    html, page = get_page(site, "/finnes/ikke", status=404)
    assert page.h1() == "Siden finnes ikke"
    assert "Gå til forsiden" in html


def test_api_paths_keep_json_errors(site: FlaskClient) -> None:
    response = site.get("/api/v1/solutions/finnes-ikke")
    assert response.status_code == 404
    assert response.is_json
