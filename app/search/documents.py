"""The one mapping from a solution row to its search document."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from app.models import Adoption, Solution
from app.models.base import as_utc

STATE_ID = "__state__"
"""``id`` of the document that holds the indexer's progress through the change log."""


def document_load_options() -> list[Any]:
    """Return the eager loads that ``solution_to_document`` needs (one query per relation)."""
    return [
        selectinload(Solution.owner),
        selectinload(Solution.themes),
        selectinload(Solution.standards),
        selectinload(Solution.tag_rows),
        selectinload(Solution.adoptions).selectinload(Adoption.organisation),
    ]


def solution_to_document(solution: Solution) -> dict[str, Any]:
    """Return the Whoosh document of a solution (everything search filters, ranks or shows)."""
    adopters = sorted(a.organisation.slug for a in solution.active_adoptions)
    organisation_names = " ".join(
        [solution.owner.name, *(a.organisation.name for a in solution.active_adoptions)]
    )
    theme_names = " ".join(theme.name for theme in solution.themes)
    standard_names = " ".join(standard.name for standard in solution.standards)
    tags = ",".join(solution.tags)
    description = " ".join([solution.description, theme_names, standard_names, organisation_names])
    return {
        "id": str(solution.id),
        "doctype": "solution",
        "slug": solution.slug,
        "name": solution.name,
        "name_ng": solution.name,
        "name_fold": solution.name,
        "name_sort": solution.name.lower(),
        "summary": solution.summary,
        "description": description,
        "text_fold": " ".join([solution.summary, solution.description, tags.replace(",", " ")]),
        "spell": " ".join([solution.name, solution.summary, tags.replace(",", " ")]),
        "tags": tags,
        "tags_ng": tags.replace(",", " "),
        "kind": solution.kind,
        "status": solution.status,
        "owner": solution.owner.slug,
        "themes": ",".join(solution.theme_slugs),
        "standards": ",".join(solution.standard_slugs),
        "adopted_by": ",".join(adopters),
        "adoption_count": len(adopters),
        "is_production": solution.status == "production",
        "updated": int(as_utc(solution.updated_at).timestamp()),
        "created": int(as_utc(solution.created_at).timestamp()),
    }
