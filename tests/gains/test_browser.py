"""The gains pages in headless Chromium against a real gunicorn: axe-core finds no violation."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAGES = {
    "gevinster": "/gevinster",
    "løsning med gevinster": "/losninger/digital-byggesaksbehandling",
    "kommune med anslag": "/kommuner/5001",
}
"""The pages with gains: the region, a solution, a kommune with estimated suggestions."""


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(page: Any, axe_check: Any, path: str) -> None:
    page.goto(path)
    assert axe_check() == []


def test_no_axe_violations_at_phone_width(page: Any, axe_check: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/gevinster")
    assert axe_check() == []


def test_charts_are_images_named_by_their_titles_beside_their_tables(page: Any) -> None:
    page.goto("/gevinster")
    chart = page.get_by_role("img", name="Bruk over tid: antall tilfeller av bruk", exact=False)
    assert chart.count() == 1
    assert chart.bounding_box()["width"] > 300  # drawn, at a readable size
    table = page.get_by_role("table", name="Tilfeller av bruk ved utgangen av hvert år")
    assert table.get_by_role("row").count() > 2
    assert page.get_by_role("img", name=re.compile(r"^(?!Investering).*etter tema")).count() == 2
    investment = page.get_by_role("img", name="Investering og oppnådd gevinst per år etter tema")
    assert investment.count() == 1
    # The stylesheet fills the bars (nothing comes from a style attribute).
    fill = page.locator(".chart__bar--solid").first.evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(0, 86, 158)"
    # The main menu leads here.
    page.goto("/")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Gevinster").click()
    page.wait_for_url("**/gevinster")
