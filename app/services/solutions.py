"""Register, list, change and delete solutions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    INCLUDE_DRAFTS,
    Adoption,
    Organisation,
    Solution,
    SolutionTag,
    Standard,
    Theme,
)
from app.models.base import utcnow
from app.models.quality import today
from app.services.errors import InvalidData, NotFound
from app.services.permissions import Actor, require_acts_for, require_may_change_owner
from app.services.references import (
    find_organisation,
    is_slug,
    resolve_organisation,
    resolve_solution,
    resolve_standards,
    resolve_themes,
)
from app.services.slugs import unique_slug
from app.services.transaction import all_or_nothing, check_version, commit, flush

LINK_COLUMNS = {
    "homepage": "homepage_url",
    "documentation": "documentation_url",
    "source_code": "source_code_url",
}
CONTACT_COLUMNS = {"name": "contact_name", "role": "contact_role", "email": "contact_email"}
ESTIMATE_COLUMNS = {
    "one_off_nok": "adoption_one_off_cost",
    "yearly_nok": "adoption_yearly_cost",
    "effort_hours": "adoption_effort_hours",
    "lead_time_weeks": "adoption_lead_time_weeks",
}
DUPLICATE_SLUG = "A solution with this slug already exists."
"""The 409 of a new solution whose slug another one took (also in a race)."""
PLAIN_FIELDS = ("name", "summary", "description", "kind", "status", "vendor", "licence")
SORTS = {
    "name": Solution.name.asc(),
    "-name": Solution.name.desc(),
    "created_at": Solution.created_at.asc(),
    "-created_at": Solution.created_at.desc(),
    "updated_at": Solution.updated_at.asc(),
    "-updated_at": Solution.updated_at.desc(),
}


def solution_loader_options() -> list[Any]:
    """Return the eager loads that rendering a solution needs (no N+1 in lists)."""
    return [
        selectinload(Solution.owner),
        selectinload(Solution.vendor_organisation),
        selectinload(Solution.themes),
        selectinload(Solution.standards),
        selectinload(Solution.tag_rows),
        selectinload(Solution.adoptions).selectinload(Adoption.organisation),
        selectinload(Solution.based_on),
    ]


@dataclass
class SolutionFilters:
    """Filters of the solution list; each list is OR within, AND across."""

    kind: Sequence[str] = ()
    status: Sequence[str] = ()
    theme: Sequence[str] = ()
    standard: Sequence[str] = ()
    owner: Sequence[str] = ()
    tag: Sequence[str] = ()
    sort: str = "name"


def filtered_query(filters: SolutionFilters) -> Select[tuple[Solution]]:
    """Return the select of the solutions matching ``filters``, unordered and unpaged.

    The solution list, the spreadsheet exports and anything else that lists "the solutions
    these filters match" build on it, so a filter means the same everywhere.
    """
    query = select(Solution)
    if filters.kind:
        query = query.where(Solution.kind.in_(filters.kind))
    if filters.status:
        query = query.where(Solution.status.in_(filters.status))
    if filters.theme:
        query = query.where(Solution.themes.any(Theme.slug.in_(filters.theme)))
    if filters.standard:
        query = query.where(Solution.standards.any(Standard.slug.in_(filters.standard)))
    if filters.owner:
        owner_ids = [o.id for ref in filters.owner if (o := find_organisation(ref))]
        query = query.where(Solution.owner_id.in_(owner_ids))
    if filters.tag:
        query = query.where(Solution.tag_rows.any(SolutionTag.tag.in_(filters.tag)))
    return query


def list_solutions(
    filters: SolutionFilters, *, page: int = 1, page_size: int = 20
) -> tuple[list[Solution], int]:
    """Return one page of solutions matching ``filters`` and the total count."""
    query = filtered_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if (page - 1) * page_size >= total:
        # Past the end: nothing to fetch, and a huge page number never reaches the database
        # (SQLite refuses offsets beyond 64 bits).
        return [], total
    rows = db.session.scalars(
        query.options(*solution_loader_options())
        .order_by(SORTS.get(filters.sort, SORTS["name"]), Solution.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total


def may_see(viewer: Actor | None, solution: Solution) -> bool:
    """Return whether ``viewer`` may see ``solution``: everyone a published one, only its
    organisation and admins a draft."""
    if not solution.is_draft:
        return True
    return viewer is not None and viewer.may_act_for(solution.owner_id)


def find_solution(slug: str, *, viewer: Actor | None = None) -> Solution | None:
    """Return the solution with this slug if ``viewer`` may see it, else None."""
    if not is_slug(slug):
        return None
    solution = db.session.scalar(
        select(Solution)
        .where(Solution.slug == slug)
        .options(*solution_loader_options())
        .execution_options(**{INCLUDE_DRAFTS: True})
    )
    return solution if solution is not None and may_see(viewer, solution) else None


def get_solution(slug: str, *, viewer: Actor | None = None) -> Solution:
    """Return the solution with this slug, or raise NotFound.

    A draft is found only for ``viewer`` of its organisation or an admin: for everyone else
    it does not exist, in reads and in writes alike.
    """
    solution = find_solution(slug, viewer=viewer)
    if solution is None:
        raise NotFound(f"No solution with slug '{slug}'.")
    return solution


def apply_solution_changes(
    solution: Solution, data: dict[str, Any], *, actor: Actor, partial: bool
) -> None:
    """Copy the validated fields in ``data`` onto ``solution``, resolving references.

    Nothing is committed or checked beyond the fields themselves: the caller has loaded
    ``data`` with ``SolutionSchema`` (or its patch variant), checked that ``actor`` may change
    the solution, and owns the transaction. ``partial`` (a PATCH) changes only the link and
    contact keys given; otherwise a missing one is cleared. Moving the solution to another
    owner needs an admin (PermissionDenied); unknown themes or standards are InvalidData.
    Call it inside ``db.session.no_autoflush`` so a half-applied change is never flushed.
    """
    was_retired = solution.id is None or solution.status == "retired"
    if "owner" in data:
        owner = resolve_organisation(data["owner"], "owner")
        if solution.owner_id is not None and owner.id != solution.owner_id:
            require_may_change_owner(actor, owner.slug)
        solution.owner = owner
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(solution, name, data[name])
    if "themes" in data:
        if not data["themes"]:
            raise InvalidData("Validation failed.", {"themes": ["Give at least one theme."]})
        solution.themes = resolve_themes(data["themes"])
    if "standards" in data:
        solution.standards = resolve_standards(data["standards"])
    if "tags" in data:
        # Sorted, as the relationship reads them back: the response to a write then equals
        # what a later read returns.
        wanted = sorted({tag.strip().lower() for tag in data["tags"]})
        kept = {row.tag: row for row in solution.tag_rows}
        solution.tag_rows = [kept.get(tag) or SolutionTag(tag=tag) for tag in wanted]
    if "vendor_organisation" in data:
        ref = data["vendor_organisation"]
        solution.vendor_organisation = (
            resolve_organisation(ref, "vendor_organisation") if ref else None
        )
    if "links" in data:
        for key, column in LINK_COLUMNS.items():
            if key in data["links"] or not partial:
                setattr(solution, column, data["links"].get(key))
    if "contact" in data:
        for key, column in CONTACT_COLUMNS.items():
            if key in data["contact"] or not partial:
                setattr(solution, column, data["contact"].get(key))
    if "adoption_cost" in data:
        for key, column in ESTIMATE_COLUMNS.items():
            if key in data["adoption_cost"] or not partial:
                value = data["adoption_cost"].get(key)
                if value is not None and key != "lead_time_weeks":
                    value = Decimal(str(round(value, 2)))
                setattr(solution, column, value)
    if "is_draft" in data:
        # Publishing is one-way: others may already have found, adopted or linked to it.
        if data["is_draft"] and solution.id is not None and not solution.is_draft:
            raise InvalidData(
                "Validation failed.",
                {"is_draft": ["A published solution cannot become a draft again."]},
            )
        solution.is_draft = bool(data["is_draft"])
    if "retired_reason" in data:
        solution.retired_reason = (data["retired_reason"] or "").strip() or None
    if not was_retired and solution.status == "retired" and not solution.retired_reason:
        raise InvalidData(
            "Validation failed.",
            {"retired_reason": ["Say why the solution is retired (others may still use it)."]},
        )
    if "based_on" in data:
        _apply_lineage(solution, data["based_on"], data.get("based_on_kind"))
    elif data.get("based_on_kind") and solution.based_on_id is not None:
        solution.based_on_kind = data["based_on_kind"]


def _apply_lineage(solution: Solution, slug: str | None, kind: str | None) -> None:
    """Link ``solution`` to the one it is based on or a variant of (``None`` unlinks it).

    A family is a tree: a solution cannot descend from itself, directly or through others.
    """
    if not slug:
        solution.based_on, solution.based_on_kind = None, None
        return
    origin = resolve_solution(slug, "based_on")
    ancestor: Solution | None = origin
    while ancestor is not None:
        if ancestor is solution:
            raise InvalidData(
                "Validation failed.",
                {"based_on": ["A solution cannot be based on itself or on one based on it."]},
            )
        ancestor = ancestor.based_on
    solution.based_on, solution.based_on_kind = origin, kind or "based_on"


def build_solution(data: dict[str, Any], *, actor: Actor, is_example: bool = False) -> Solution:
    """Add a new solution to the session without committing (bulk loads commit once)."""
    owner = resolve_organisation(data["owner"], "owner")
    require_acts_for(actor, owner.id, "publish solutions")
    solution = Solution(
        slug=unique_slug(data["name"], Solution.slug), owner=owner, is_example=is_example
    )
    with all_or_nothing(), db.session.no_autoflush:  # never flush a half-filled row
        apply_solution_changes(solution, data, actor=actor, partial=False)
    solution.last_confirmed_on = today()
    db.session.add(solution)
    flush(DUPLICATE_SLUG)  # two requests naming a solution alike at once want the same slug
    return solution


def create_solution(data: dict[str, Any], *, actor: Actor) -> Solution:
    """Register a new solution owned by ``data['owner']``."""
    solution = build_solution(data, actor=actor)
    commit(DUPLICATE_SLUG, actor=actor)
    return solution


def update_solution(
    slug: str,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None,
    partial: bool,
) -> Solution:
    """Change a solution (PUT replaces every field, PATCH only those given); the slug stays.

    ``is_draft: false`` publishes a draft; left out, the draft state stays as it is.
    """
    solution = get_solution(slug, viewer=actor)
    require_acts_for(actor, solution.owner_id, "change solutions")
    check_version(solution.version, expected_version)
    with all_or_nothing(), db.session.no_autoflush:
        apply_solution_changes(solution, data, actor=actor, partial=partial)
    # Touch the row so that changes only to themes, standards or tags also raise the version.
    solution.updated_at = utcnow()
    solution.last_confirmed_on = today()  # the owner looked at the entry and saved it
    commit(actor=actor)
    return solution


def confirm_solution(slug: str, *, actor: Actor, expected_version: int | None) -> Solution:
    """Record that the owner has checked the entry and it is still true (``last_confirmed_on``)."""
    solution = get_solution(slug, viewer=actor)
    require_acts_for(actor, solution.owner_id, "confirm solutions")
    check_version(solution.version, expected_version)
    solution.last_confirmed_on = today()
    commit(actor=actor)
    return solution


def delete_solution(slug: str, *, actor: Actor, expected_version: int | None) -> None:
    """Delete a solution and its adoptions; its history stays."""
    solution = get_solution(slug, viewer=actor)
    require_acts_for(actor, solution.owner_id, "delete solutions")
    check_version(solution.version, expected_version)
    db.session.delete(solution)
    commit(actor=actor)


def solutions_of(organisation: Organisation, *, viewer: Actor | None = None) -> list[Solution]:
    """Return the solutions an organisation owns; its drafts too when ``viewer`` may see them."""
    query = (
        select(Solution)
        .where(Solution.owner_id == organisation.id)
        .options(*solution_loader_options())
        .order_by(Solution.is_draft.desc(), Solution.name)
    )
    if viewer is not None and viewer.may_act_for(organisation.id):
        query = query.execution_options(**{INCLUDE_DRAFTS: True})
    return list(db.session.scalars(query))
