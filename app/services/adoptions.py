"""Record, change and remove adoptions: an organisation's use of a solution."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, AdoptionStatusChange, Organisation, Solution
from app.services.errors import Conflict, InvalidData, NotFound
from app.services.permissions import Actor, require_acts_for
from app.services.references import get_organisation, resolve_organisations, resolve_solution
from app.services.solutions import get_solution
from app.services.transaction import check_version, commit, flush

CONTACT_COLUMNS = {"name": "contact_name", "role": "contact_role", "email": "contact_email"}

DUPLICATE_ADOPTION = "This organisation already has an adoption of this solution."
"""The 409 of an adoption recorded twice (also when two requests race to record it)."""


def _loaded() -> Any:
    return select(Adoption).options(
        selectinload(Adoption.organisation),
        selectinload(Adoption.solution),
        selectinload(Adoption.status_changes),
    )


def list_adoptions_of_solution(slug: str) -> list[Adoption]:
    """Return who uses a solution, by organisation name."""
    solution = get_solution(slug)
    return list(
        db.session.scalars(
            _loaded()
            .join(Adoption.organisation)
            .where(Adoption.solution_id == solution.id)
            .order_by(Organisation.name)
        )
    )


def organisation_adoptions_page(
    ref: str, *, page: int = 1, page_size: int = 20
) -> tuple[list[Adoption], int]:
    """Return one page of what an organisation uses, by solution name, and how many in all.

    A kommune in a national catalogue uses tens of thousands of solutions: only the page's
    adoptions are loaded, and a page past the end loads none.
    """
    organisation = get_organisation(ref)
    mine = Adoption.organisation_id == organisation.id
    total = db.session.scalar(select(func.count()).select_from(Adoption).where(mine)) or 0
    if (page - 1) * page_size >= total:
        return [], total
    rows = db.session.scalars(
        _loaded()
        .join(Adoption.solution)
        .where(mine)
        .order_by(Solution.name, Adoption.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total


def get_adoption(slug: str, organisation_ref: str) -> Adoption:
    """Return the adoption of solution ``slug`` by that organisation, or raise NotFound."""
    solution = get_solution(slug)
    organisation = get_organisation(organisation_ref)
    adoption = db.session.scalar(
        _loaded().where(
            Adoption.solution_id == solution.id, Adoption.organisation_id == organisation.id
        )
    )
    if adoption is None:
        raise NotFound(f"'{organisation.slug}' has no adoption of '{slug}'.")
    return adoption


def find_adoption(slug: str, organisation_ref: str) -> Adoption | None:
    """Return the adoption of solution ``slug`` by that organisation, or None if it has none.

    The solution and the organisation must exist (NotFound otherwise).
    """
    try:
        return get_adoption(slug, organisation_ref)
    except NotFound:
        get_solution(slug)
        get_organisation(organisation_ref)
        return None


def apply_adoption_changes(adoption: Adoption, data: dict[str, Any], *, partial: bool) -> None:
    """Copy the validated fields in ``data`` onto ``adoption`` and note a new status.

    The caller has loaded ``data`` with ``AdoptionSchema`` (or its patch variant), checked
    the permission and owns the transaction. A changed status is added to the adoption's
    timeline. ``partial`` changes only the contact keys given; otherwise a missing one is
    cleared. Call it inside ``db.session.no_autoflush``: loading the status history must not
    flush (and so version) the row halfway.
    """
    previous_status = adoption.status
    reason = (data.get("status_reason") or "").strip() or None
    stops = previous_status not in (None, "retired") and data.get("status") == "retired"
    if stops and not reason:
        raise InvalidData(
            "Validation failed.",
            {"status_reason": ["Say why the organisation stopped using the solution."]},
        )
    for name in ("status", "since", "wanted_on", "notes"):
        if name in data:
            setattr(adoption, name, data[name])
    if adoption.status != previous_status:
        # The timeline of use: the first status counts from `since` when given, later ones
        # from the day they are recorded.
        first = previous_status is None
        day = (adoption.since if first and adoption.since else None) or date.today()
        adoption.status_changes.append(
            AdoptionStatusChange(status=adoption.status, changed_on=day, reason=reason)
        )
    if "contact" in data:
        for key, column in CONTACT_COLUMNS.items():
            if key in data["contact"] or not partial:
                setattr(adoption, column, data["contact"].get(key))


def build_adoption(
    solution: Solution, organisation_ref: str, data: dict[str, Any], *, actor: Actor
) -> Adoption:
    """Add an adoption to the session without committing (bulk loads commit once)."""
    return build_adoptions(solution, [(organisation_ref, data)], actor=actor)[0]


def build_adoptions(
    solution: Solution, items: Sequence[tuple[str, dict[str, Any]]], *, actor: Actor
) -> list[Adoption]:
    """Add adoptions of one solution, each an (organisation ref, validated data) pair, to the
    session without committing; flush once.

    The rules of one adoption hold for each (the organisation exists and the actor acts for
    it, one adoption per organisation and solution); the organisations and the existing
    adoptions are read in one query each rather than per adoption, which is what makes a
    bulk load of a million adoptions take minutes.
    """
    if not items:
        return []
    organisations = resolve_organisations([ref for ref, _ in items], "organisation")
    chosen = [organisations[ref] for ref, _ in items]
    for organisation in chosen:
        require_acts_for(actor, organisation.id, "record adoptions")
    taken = set(
        db.session.scalars(
            select(Adoption.organisation_id).where(
                Adoption.solution_id == solution.id,
                Adoption.organisation_id.in_({organisation.id for organisation in chosen}),
            )
        )
        if solution.id is not None
        else ()
    )
    adoptions = []
    for organisation, (_, data) in zip(chosen, items, strict=True):
        if organisation.id in taken:
            raise Conflict(
                f"'{organisation.slug}' already has an adoption of '{solution.slug}'; "
                "change that one instead."
            )
        taken.add(organisation.id)
        adoption = Adoption(solution=solution, organisation=organisation, notes="")
        with db.session.no_autoflush:  # a half-built adoption must not be flushed
            apply_adoption_changes(adoption, data, partial=False)
        db.session.add(adoption)
        adoptions.append(adoption)
    flush(DUPLICATE_ADOPTION)
    return adoptions


def record_adoption(
    solution_slug: str, organisation_ref: str, data: dict[str, Any], *, actor: Actor
) -> Adoption:
    """Record that an organisation uses (or considers, plans, ...) a solution.

    The solution comes from the URL (404 when missing), the organisation from the body (422).
    """
    adoption = build_adoption(get_solution(solution_slug), organisation_ref, data, actor=actor)
    commit(DUPLICATE_ADOPTION, actor=actor)
    return adoption


def record_adoption_by_organisation(
    organisation_ref: str, solution_slug: str, data: dict[str, Any], *, actor: Actor
) -> Adoption:
    """Record an adoption from the organisation's side.

    The organisation comes from the URL (404 when missing, 403 when the token may not act for
    it), the solution from the body (422 naming the field when missing).
    """
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, "record adoptions")
    solution = resolve_solution(solution_slug, "solution")
    adoption = build_adoption(solution, organisation.slug, data, actor=actor)
    commit(DUPLICATE_ADOPTION, actor=actor)
    return adoption


def update_adoption(
    solution_slug: str,
    organisation_ref: str,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None,
    partial: bool,
) -> Adoption:
    """Change an adoption (PUT replaces, PATCH changes the fields given)."""
    adoption = get_adoption(solution_slug, organisation_ref)
    require_acts_for(actor, adoption.organisation_id, "change adoptions")
    check_version(adoption.version, expected_version)
    # One flush per change, so the version rises by exactly one: an autoflush in the middle
    # (loading the status history) would write the row, and raise the version, twice.
    with db.session.no_autoflush:
        apply_adoption_changes(adoption, data, partial=partial)
    commit(actor=actor)
    return adoption


def delete_adoption(
    solution_slug: str, organisation_ref: str, *, actor: Actor, expected_version: int | None
) -> None:
    """Remove an adoption."""
    adoption = get_adoption(solution_slug, organisation_ref)
    require_acts_for(actor, adoption.organisation_id, "remove adoptions")
    check_version(adoption.version, expected_version)
    db.session.delete(adoption)
    commit(actor=actor)
