"""The site in headless Chromium against a real gunicorn: search, facets, keyboard, suggestions."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]


def hit_count(page: Any) -> int:
    """Return the number of hits the search page reports."""
    text = page.locator(".results__count strong").inner_text()
    return int(re.sub(r"\D", "", text))


def query_of(page: Any) -> dict[str, list[str]]:
    """Return the parameters of the page's URL."""
    return parse_qs(urlsplit(page.url).query)


def test_search_and_narrow_with_facets(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Søk etter løsninger").fill("digital")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.wait_for_url(re.compile(r"/sok\?q=digital$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Søk etter «digital»"
    everything = hit_count(page)
    assert everything > 5
    assert page.locator("mark").count() > 0

    themes = page.locator("#facet-theme").locator("xpath=..")
    themes.get_by_role("link", name=re.compile(r"^Bygg og eiendom")).click()
    page.wait_for_url(re.compile(r"theme=bygg-og-eiendom"))
    narrowed = hit_count(page)
    assert 0 < narrowed < everything
    assert query_of(page) == {"q": ["digital"], "theme": ["bygg-og-eiendom"]}

    kinds = page.locator("#facet-kind").locator("xpath=..")
    kinds.locator(".facet__link").first.click()
    page.wait_for_url(re.compile(r"kind="))
    assert set(query_of(page)) == {"q", "theme", "kind"}
    assert hit_count(page) <= narrowed

    # Remove the theme with its chip; the kind stays.
    page.locator(".active-filters").get_by_role("link", name=re.compile("Bygg og eiendom")).click()
    page.wait_for_url(lambda url: "theme=" not in url)
    assert set(query_of(page)) == {"q", "kind"}

    # The URL holds the whole search: opening it again gives the same page.
    shared = page.url
    count = hit_count(page)
    page.goto(shared)
    assert hit_count(page) == count


def test_open_a_solution_from_the_results(page: Any) -> None:
    page.goto("/sok?q=byggesak")
    first = page.locator(".results__list .card__title a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/losninger/"))
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.title() == f"{name} – Løsning – Gjenbrukskatalogen"
    assert page.locator(".strip__cell").count() == 38
    usage = page.get_by_role("table", name=re.compile("^Organisasjoner som bruker"))
    assert usage.get_by_role("row").count() > 1
    assert page.get_by_role(
        "table", name="Gevinstene hver organisasjon har registrert"
    ).is_visible()
    assert page.get_by_role("heading", name="Lignende løsninger").is_visible()


def focused(page: Any) -> dict[str, str]:
    """Return what has keyboard focus and how its focus ring looks."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {tag: el.tagName, id: el.id, text: (el.innerText || '').trim(),
                  href: el.getAttribute('href') || '', outline: style.outlineStyle,
                  outlineWidth: style.outlineWidth};
        }"""
    )


def tab_until(page: Any, predicate: Any, limit: int = 80) -> dict[str, str]:
    """Press Tab until the focused element matches ``predicate``; return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError("never reached by Tab")


def test_keyboard_only_search(page: Any) -> None:
    page.goto("/sok")
    # The first Tab reaches the skip link; Enter moves to the main content.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Hopp til hovedinnholdet"
    assert skip["outline"] != "none"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # From there Tab reaches the search box; type and submit with Enter.
    box = tab_until(page, lambda el: el["id"] == "sok")
    assert box["tag"] == "INPUT"
    page.keyboard.type("barnehage")
    page.keyboard.press("Enter")  # no suggestion highlighted: Enter submits what was typed
    page.wait_for_url(re.compile(r"q=barnehage"))
    total = hit_count(page)
    assert total > 0

    # A facet value is a link: reach it with Tab, choose it with Enter; the ring is visible.
    facet = tab_until(page, lambda el: "theme=" in el["href"] and "facet" not in el["text"])
    assert facet["outline"] != "none"
    assert facet["outlineWidth"] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"theme="))
    assert hit_count(page) <= total

    # Sorting is reachable by keyboard too.
    sort = tab_until(page, lambda el: "sort=newest" in el["href"])
    assert sort["text"].endswith("Nyeste")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=newest"))


def test_suggestions_as_you_type(page: Any) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Søk etter løsninger")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("barne", delay=40)
    listbox = page.get_by_role("listbox", name="Forslag")
    listbox.wait_for(state="visible")
    options = listbox.get_by_role("option")
    assert options.count() >= 1
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    words = [option.get_attribute("data-value") for option in options.all()]
    assert all("barne" in word.lower() for word in words)
    # The status region tells screen readers how many there are.
    assert "forslag" in page.locator("[data-suggest-status]").first.inner_text()

    # Arrow down highlights the first option (focus stays in the box) and fills it in.
    box.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert box.input_value() == words[0]
    assert page.evaluate("document.activeElement.id") == "forside-sok"

    # Escape closes the list and gives back what was typed.
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "barne"

    # Choose a word with the keyboard: the search runs for it.
    box.press_sequentially("h", delay=40)
    listbox.wait_for(state="visible")
    options = listbox.get_by_role("option")
    for index in range(options.count()):  # down to the first word (names open solutions)
        box.press("ArrowDown")
        if options.nth(index).get_attribute("data-url") is None:
            break
    chosen = box.input_value()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/sok\?q="))
    assert query_of(page)["q"] == [chosen]


def test_choosing_a_solutions_name_opens_the_solution(page: Any) -> None:
    page.goto("/sok")
    box = page.get_by_role("combobox", name="Søk etter løsninger")
    box.press_sequentially("digital bygg", delay=40)
    option = page.get_by_role("listbox", name="Forslag").get_by_role("option").first
    # The list for a shorter prefix ("digital b") may show while the last keys are typed;
    # expect() waits until the list answers the whole prefix.
    expect(option).to_have_text("Digital byggesaksbehandling – åpne løsningen")
    box.press("ArrowDown")
    assert box.input_value() == "Digital byggesaksbehandling"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/losninger/digital-byggesaksbehandling$"))


def test_a_word_suggestion_can_be_clicked(page: Any) -> None:
    page.goto("/sok")
    box = page.get_by_role("combobox", name="Søk etter løsninger")
    box.press_sequentially("bygg", delay=40)
    listbox = page.get_by_role("listbox", name="Forslag")
    option = listbox.get_by_role("option").filter(has_not_text="åpne løsningen").first
    option.wait_for(state="visible")
    word = option.get_attribute("data-value")
    option.click()
    page.wait_for_url(re.compile(r"/sok\?q="))
    assert query_of(page)["q"] == [word]


def test_everything_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        box = page.get_by_label("Søk etter løsninger")
        # Without the script the box is a plain search field, not a combobox.
        assert box.get_attribute("role") is None
        box.fill("arkiv")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/sok\?q=arkiv"))
        before = hit_count(page)
        page.locator("#facet-status").locator("xpath=..").locator(".facet__link").first.click()
        page.wait_for_url(re.compile(r"status="))
        assert hit_count(page) <= before
        page.goto("/sok")
        page.get_by_role("navigation", name="Sider med treff").get_by_role(
            "link", name=re.compile("Neste")
        ).click()
        page.wait_for_url(re.compile(r"page=2"))
        page.goto("/gjenbruksmatrise")
        page.get_by_label("Tema").select_option("bygg-og-eiendom")
        page.get_by_role("button", name="Vis").click()
        page.wait_for_url(re.compile(r"theme=bygg-og-eiendom"))
        assert page.get_by_role("heading", level=1).inner_text().endswith("Bygg og eiendom")
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sok?q=digital&theme=bygg-og-eiendom",
        "/losninger/digital-byggesaksbehandling",
        "/kommuner",
        "/kommuner/5007",
        "/gjenbruksmatrise",
        "/om",
    ],
)
def test_phone_width_has_no_sideways_scrolling(browser: Any, live_server: str, path: str) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(path)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
    finally:
        context.close()
