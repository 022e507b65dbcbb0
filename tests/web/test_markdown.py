"""Publisher Markdown is rendered, and everything unsafe in it is removed."""

from __future__ import annotations

from flask import Flask

from app.web.markdown import render_markdown
from tests.web.test_pages import get_page


def test_markdown_keeps_structure_and_shifts_headings() -> None:
    html = render_markdown(
        "# Tittel\n\n## Del\n\n### Underdel\n\n- a\n- b\n\n[lenke](https://dibk.no)"
    )
    assert "<h3>Tittel</h3>" in html
    assert "<h3>Del</h3>" in html
    assert "<h4>Underdel</h4>" in html
    assert "<li>a</li>" in html
    assert '<a href="https://dibk.no" rel="noopener noreferrer nofollow">lenke</a>' in html


def test_markdown_removes_scripts_handlers_and_bad_links() -> None:
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>"
        ' <a href="javascript:alert(1)" onclick="x()">a</a>'
        ' [b](javascript:alert(2)) <iframe src="https://evil.example"></iframe>'
        ' <p style="color:red">c</p>'
    )
    for unsafe in ("<script", "alert(1)", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert unsafe not in html


def test_solution_page_sanitises_the_description(app: Flask, make_solution) -> None:
    slug = make_solution(
        description=(
            "## Fakta\n\n<script>alert('x')</script>\n\n"
            "[klikk](javascript:alert(1)) <img src=x onerror=alert(1)> **fet**"
        )
    )
    html, page = get_page(app.test_client(), f"/losninger/{slug}")
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html
    assert "<strong>fet</strong>" in html
    assert ("h3", "Fakta") in page.headings
