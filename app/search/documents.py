"""The one mapping from a solution row to its search document."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import selectinload

from app.models import Adoption, Solution
from app.models.base import as_utc
from app.search.analysis import fold

STATE_ID = "__state__"
"""``id`` of the document that holds the indexer's progress through the change log."""

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(^|\n)\s{0,3}(?:#{1,6}\s*|>\s*|[-*+]\s+|\d+[.)]\s+)|[*_`~]+")


@lru_cache(maxsize=4096)
def plain_text(markdown: str) -> str:
    """Return the words of a Markdown text without its markup (what search indexes and shows).

    Cached: every search result page strips the descriptions of its hits again.
    """
    text = _MD_LINK.sub(r"\1", markdown)
    return _MD_MARKUP.sub(r"\1", text).strip()


def document_load_options() -> list[Any]:
    """Return the eager loads that ``solution_to_document`` needs (one query per relation)."""
    return [
        selectinload(Solution.owner),
        selectinload(Solution.vendor_organisation),
        selectinload(Solution.themes),
        selectinload(Solution.standards),
        selectinload(Solution.tag_rows),
        selectinload(Solution.adoptions).selectinload(Adoption.organisation),
    ]


def vendor_of(solution: Solution) -> str:
    """Return the vendor a solution's vendor facet counts it under ("" when none).

    The catalogue's organisation when one is linked, else the vendor as written without the
    product in parentheses: «Norkart (Komtek Byggesak)» counts under «Norkart».
    """
    if solution.vendor_organisation is not None:
        return solution.vendor_organisation.name
    return (solution.vendor or "").split("(", 1)[0].strip().replace(",", " ")


def solution_to_document(solution: Solution) -> dict[str, Any]:
    """Return the Whoosh document of a solution (everything search filters, ranks or shows)."""
    active = solution.active_adoptions
    adopters = sorted(a.organisation.slug for a in active)
    tags = ", ".join(solution.tags)
    # Vendor and product names («Norkart (Komtek Byggesak)») are what people type: they are
    # short words, so they join the compound-part and spelling fields too.
    vendor = " ".join(
        filter(None, [solution.vendor, getattr(solution.vendor_organisation, "name", None)])
    )
    short_text = f"{solution.name} {tags} {vendor}".strip()
    # Who uses a solution is a filter (adopted_by), not text: a list of 30 kommune names would
    # only add noise to the ranking and postings to the index.
    context = " ".join(
        [
            *(theme.name for theme in solution.themes),
            *(standard.name for standard in solution.standards),
            solution.owner.name,
            vendor,
        ]
    )
    description = plain_text(solution.description)
    return {
        "id": str(solution.id),
        "doctype": "solution",
        "slug": solution.slug,
        "name": solution.name,
        "summary": solution.summary,
        "description": description,
        "tags": tags,
        "context": context,
        "parts": " ".join([solution.name, solution.summary, description, tags, context]),
        "words": short_text,
        "words_rev": short_text,
        "spell": short_text,
        "name_sort": fold(solution.name).encode("utf-8"),
        "kind": solution.kind,
        "status": solution.status,
        "owner": solution.owner.slug,
        **({"vendor": vendor_of(solution)} if vendor_of(solution) else {}),  # none: no value
        "themes": ",".join(solution.theme_slugs),
        "standards": ",".join(solution.standard_slugs),
        "adopted_by": ",".join(adopters),
        "adoption_count": len(adopters),
        "adoption_sort": len(adopters),
        "updated": int(as_utc(solution.updated_at).timestamp()),
        "created": int(as_utc(solution.created_at).timestamp() * 1_000_000),
        "confirmed": confirmed.toordinal() if (confirmed := solution.last_confirmed_on) else 0,
    }
