"""Render the Markdown that publishers write (solution descriptions) as safe HTML."""

from __future__ import annotations

import markdown as md
import nh3
from markdown.extensions.toc import TocExtension
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
"""Tags a description may keep; everything else (scripts, images, iframes, forms) is removed."""

ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
"""Attributes a description may keep; no style, no event handlers, no ids."""

URL_SCHEMES = {"http", "https", "mailto"}
"""Link targets a description may use (``javascript:`` and ``data:`` are dropped)."""


def render_markdown(text: str) -> Markup:
    """Return ``text`` (Markdown) as sanitised HTML.

    The page already has an ``h1`` (the solution) and an ``h2`` (the description section), so
    Markdown headings start at ``h3``: ``#`` and ``##`` (which publishers use for sections)
    become ``h3``, and deeper levels follow.
    """
    html = md.markdown(
        text or "",
        extensions=["sane_lists", "tables", TocExtension(baselevel=2, anchorlink=False)],
        output_format="html",
    )
    # TocExtension shifts "##" to h3 but "#" to h2; lift any h2 one level to keep the outline.
    html = html.replace("<h2", "<h3").replace("</h2>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has removed everything unsafe
