"""The one mapping from a solution row to its search document, and what the document depends on.

``solution_to_document`` reads a solution, its owner, vendor, themes, standards, tags,
adoptions (and their organisations) and its lineage; ``affected_solution_ids`` names the
solutions a flush changes any of these for. The two live here together so that a field added
to the document cannot be forgotten by the change log (``app/models/changelog.py`` calls
``affected_solution_ids`` through ``follow``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from app.models import Adoption, Organisation, Solution, Standard, Theme
from app.models.base import as_utc
from app.models.changelog import follow
from app.models.solution import (
    LINEAGE_MAX_DEPTH,
    SolutionTag,
    solution_standards,
    solution_themes,
)
from app.search.words import fold

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
        selectinload(Solution.based_on),  # the family; deeper ancestors load one by one (few)
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
        "family": solution.lineage_root().id,
    }


SEARCHED_TYPES: tuple[type, ...] = (Solution, SolutionTag, Adoption, Organisation, Theme, Standard)
"""The models a search document reads: a flush touching none of them changes no document."""


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def descendant_ids(session: Session, ids: set[int]) -> set[int]:
    """Return the solutions based on any of ``ids``, however many generations down."""
    found: set[int] = set()
    level = set(ids)
    for _ in range(LINEAGE_MAX_DEPTH):
        if not level:
            break
        level = set(session.scalars(select(Solution.id).where(Solution.based_on_id.in_(level))))
        level -= found
        found |= level
    return found


def affected_solution_ids(session: Session) -> set[int]:
    """Return the ids of the solutions whose search document this flush changes.

    Besides the solutions written: those of an adoption or tag written, those that name a
    renamed organisation, theme or standard, and the descendants of a solution whose lineage
    changed (their family is its family).
    """
    ids: set[int] = set()
    renamed_orgs: list[int] = []
    relabelled_themes: list[int] = []
    relabelled_standards: list[int] = []
    moved: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Solution):
            ids.add(obj.id)
            if obj not in session.new and _changed(obj, "based_on_id", "based_on"):
                moved.add(obj.id)
        elif isinstance(obj, Adoption | SolutionTag):
            ids.add(obj.solution_id)
        elif isinstance(obj, Organisation) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug", "kommunenummer"):
                renamed_orgs.append(obj.id)
        elif isinstance(obj, Theme) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug"):
                relabelled_themes.append(obj.id)
        elif isinstance(obj, Standard) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug"):
                relabelled_standards.append(obj.id)
    if moved:
        ids |= descendant_ids(session, moved)
    if renamed_orgs:
        ids.update(session.scalars(select(Solution.id).where(Solution.owner_id.in_(renamed_orgs))))
        ids.update(
            session.scalars(
                select(Solution.id).where(Solution.vendor_organisation_id.in_(renamed_orgs))
            )
        )
        ids.update(
            session.scalars(
                select(Adoption.solution_id).where(Adoption.organisation_id.in_(renamed_orgs))
            )
        )
    if relabelled_themes:
        ids.update(
            session.scalars(
                select(solution_themes.c.solution_id).where(
                    solution_themes.c.theme_id.in_(relabelled_themes)
                )
            )
        )
    if relabelled_standards:
        ids.update(
            session.scalars(
                select(solution_standards.c.solution_id).where(
                    solution_standards.c.standard_id.in_(relabelled_standards)
                )
            )
        )
    ids.discard(None)  # type: ignore[arg-type]
    return ids


follow(SEARCHED_TYPES, affected_solution_ids)
