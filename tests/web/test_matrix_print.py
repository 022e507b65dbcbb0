"""The reuse matrix prints whole on A4 landscape: Chromium prints it to PDF, the test reads it back.

The live server serves the example catalogue (69 solutions × 38 kommuner on one page of the
matrix): every kommune column and every solution row must be on paper, no page blank, and the
marks of in use and pilot must differ in shape, not only in colour.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.printing import A4_POINTS, PRINTABLE_A4_LANDSCAPE, squeezed

pytestmark = [pytest.mark.browser, pytest.mark.server]

MATRIX = "/gjenbruksmatrise"


def test_every_kommune_and_solution_is_on_the_printed_a4_landscape_pages(page: Any) -> None:
    page.goto(MATRIX)
    kommuner = page.locator(".matrix__kommune").all_inner_texts()
    solutions = page.locator(".matrix__solution a").all_inner_texts()
    assert len(kommuner) == 38
    assert len(solutions) >= 60
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0].mediabox
    assert (round(float(first.height)), round(float(first.width))) == A4_POINTS  # landscape
    texts = [p.extract_text() for p in pdf.pages]
    assert all(len(squeezed(t)) > 100 for t in texts), "a printed page is (nearly) blank"
    printed = squeezed("".join(texts))
    for label in kommuner + solutions:
        assert squeezed(label) in printed, f"{label!r} is not in the printed PDF"
    # The header row is printed again on every page the table runs over.
    assert sum(squeezed(kommuner[0]) in squeezed(t) for t in texts) >= len(texts) - 1


def test_the_printed_matrix_is_no_wider_than_the_paper(page: Any) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size(PRINTABLE_A4_LANDSCAPE)
    page.goto(MATRIX)
    overflow = page.evaluate(
        "() => { const t = document.querySelector('.matrix__table');"
        " return t.getBoundingClientRect().right - document.documentElement.clientWidth; }"
    )
    assert overflow <= 0
    assert page.locator(".matrix-filters").is_hidden()


def test_in_use_and_pilot_marks_differ_without_colour_when_printed(page: Any) -> None:
    """Grey-scaled, a full mark and a half-filled one still differ: the fill is a shape."""
    page.emulate_media(media="print")
    page.goto(MATRIX)
    styles = page.evaluate(
        """() => ['in_use', 'pilot'].map(s => {
             const m = document.querySelector('.matrix__table .mark--' + s);
             const c = getComputedStyle(m);
             return [c.backgroundImage, c.backgroundColor, c.printColorAdjust];
           })"""
    )
    (in_use_image, _, in_use_adjust), (pilot_image, _, pilot_adjust) = styles
    assert in_use_image == "none"
    assert "linear-gradient" in pilot_image  # half filled
    assert in_use_adjust == pilot_adjust == "exact"  # the printer keeps the fills
