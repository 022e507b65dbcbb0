"""A kommune page prints on A4 without losing a column: Chromium prints it to PDF and the test
reads it back (the gains table once hid «Oppnådd» and «Grunnlag» past the paper's edge)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.printing import A4_POINTS, PRINTABLE_A4_PORTRAIT, squeezed

pytestmark = [pytest.mark.browser, pytest.mark.server]

KOMMUNE = "/kommuner/5001"


def test_every_table_column_of_a_kommune_page_is_on_paper(page: Any) -> None:
    page.goto(KOMMUNE)
    headers = page.locator("main table thead th").all_inner_texts()
    assert {"Oppnådd", "Grunnlag"} <= set(headers)
    pdf = PdfReader(
        io.BytesIO(
            page.pdf(format="A4", margin=dict.fromkeys(("top", "right", "bottom", "left"), "10mm"))
        )
    )
    first = pdf.pages[0].mediabox
    size = (float(first.width), float(first.height))
    assert all(abs(got - a4) < 1.5 for got, a4 in zip(size, A4_POINTS, strict=True))  # portrait
    printed = squeezed("".join(p.extract_text() for p in pdf.pages))
    for label in headers:
        assert squeezed(label) in printed, f"{label!r} is not in the printed PDF"


def test_no_table_of_a_kommune_page_is_wider_than_the_paper(page: Any) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size(PRINTABLE_A4_PORTRAIT)
    page.goto(KOMMUNE)
    overflows = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t =>
             [t.querySelector('caption, thead th')?.innerText ?? '',
              Math.round(t.getBoundingClientRect().right - document.documentElement.clientWidth),
              t.scrollWidth - t.parentElement.clientWidth])"""
    )
    assert overflows
    assert [o for o in overflows if o[1] > 0 or o[2] > 0] == [], overflows
