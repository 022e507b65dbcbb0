"""The portfolio prints whole on A4 landscape: Chromium prints it to PDF and the test reads it back.

The live server serves the example catalogue, where Trondheim has costs and gains for some of
its solutions and none for others: the printed table must hold every column and every row.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from tests.printing import A4_POINTS, squeezed

PRINT_PAGE = "/kommuner/5001/portefolje/utskrift"


def _headers_and_rows(page: Any) -> tuple[list[str], list[str]]:
    headers = page.locator(".table--portfolio thead th").all_inner_texts()
    rows = page.locator(".table--portfolio tbody th a").all_inner_texts()
    return headers, rows


def test_the_printed_pdf_is_a4_landscape_with_every_column_and_row(page: Any) -> None:
    page.goto(PRINT_PAGE)
    headers, rows = _headers_and_rows(page)
    assert len(headers) >= 10
    assert len(rows) >= 10
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0].mediabox
    assert (round(float(first.height)), round(float(first.width))) == A4_POINTS
    text = squeezed("".join(p.extract_text() for p in pdf.pages))
    for label in headers + rows:
        assert squeezed(label) in text, f"{label!r} is not in the printed PDF"


def test_no_column_is_cut_off_when_printed(page: Any) -> None:
    """In print media at the printable width of A4 landscape the table fits without scrolling."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 740})  # 297 mm − 2 × 10 mm at 96 dpi
    page.goto(PRINT_PAGE)
    overflow = page.evaluate(
        "() => { const t = document.querySelector('.table--portfolio');"
        " return t.scrollWidth - t.parentElement.clientWidth; }"
    )
    assert overflow <= 0
    assert page.locator(".site-nav").is_hidden()


def test_the_print_page_is_axe_clean(page: Any, axe_check: Any) -> None:
    page.goto(PRINT_PAGE)
    assert axe_check() == []
