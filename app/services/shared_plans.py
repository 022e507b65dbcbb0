"""Plans kommuner share: solutions that two or more organisations consider or plan.

Two kommuner planning the same thing can buy, build or train together. A plan is an adoption
with the status ``considering`` or ``planned`` (with, optionally, when it is wanted and a
note); a shared plan is a solution with plans from at least two organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from app.services import adoptions
from app.services.errors import InvalidData
from app.services.permissions import Actor
from app.services.position_cache import ORGANISATIONS_KEPT, per_position
from app.services.references import get_organisation

PLAN_STATUSES = ("considering", "planned")
"""Adoption statuses that are plans, not use."""

MIN_PARTNERS = 2
"""Organisations with a plan that make it shared."""


@dataclass(frozen=True)
class SharedPlan:
    """A solution and the plans of the organisations that consider or plan it."""

    solution: Solution
    plans: list[Adoption]
    """By wanted date (undated last), then organisation name."""
    updated: datetime
    """When the latest of these plans was recorded or changed (a new partner: a feed entry)."""

    @property
    def earliest_wanted(self) -> date | None:
        """Return the soonest date one of them wants the solution in place."""
        dates = [plan.wanted_on for plan in self.plans if plan.wanted_on]
        return min(dates) if dates else None


def _order(plan: Adoption) -> tuple[bool, date, str]:
    return plan.wanted_on is None, plan.wanted_on or date.max, plan.organisation.name.casefold()


def shared_plans_page(
    organisation_ref: str | None = None,
    *,
    page: int = 1,
    page_size: int = 25,
    newest_first: bool = False,
) -> tuple[list[SharedPlan], int]:
    """Return one page of the shared plans and how many there are in all.

    The most partners first, then the soonest wanted, then by name; ``newest_first`` orders by
    the latest change of a plan instead (the feeds). With ``organisation_ref``, only those the
    organisation takes part in (NotFound if it does not exist). The solutions are ranked and cut
    in the database and only the page's plans are loaded, so a national catalogue with tens of
    thousands of shared plans answers as fast as one with ten.
    """
    organisation_id = None if organisation_ref is None else get_organisation(organisation_ref).id
    # Ranking groups every plan of the catalogue (or of the organisation's solutions), so the
    # page's ids and the total are kept per catalogue position; the plans are loaded per request.
    ids, total = per_position(
        "shared_plans",
        lambda: _ranked(organisation_id, page, page_size, newest_first),
        key=(organisation_id, page, page_size, newest_first),
        keep=ORGANISATIONS_KEPT,
    )
    if not ids:
        return [], total
    query = (
        select(Adoption)
        .where(Adoption.status.in_(PLAN_STATUSES), Adoption.solution_id.in_(ids))
        .options(
            joinedload(Adoption.organisation),
            joinedload(Adoption.solution).options(
                joinedload(Solution.owner), selectinload(Solution.themes)
            ),
        )
    )
    by_solution: dict[int, list[Adoption]] = {solution_id: [] for solution_id in ids}
    for plan in db.session.scalars(query).unique():
        by_solution[plan.solution_id].append(plan)
    found = [
        SharedPlan(
            solution=plans[0].solution,
            plans=sorted(plans, key=_order),
            updated=max(plan.updated_at for plan in plans),
        )
        for plans in by_solution.values()
        if len(plans) >= MIN_PARTNERS  # a plan may have changed since the ranking
    ]
    return found, total


def _ranked(
    organisation_id: int | None, page: int, page_size: int, newest_first: bool
) -> tuple[list[int], int]:
    """Return the ids of one page of the solutions with shared plans, and how many there are."""
    partners = func.count(Adoption.id)
    earliest = func.min(Adoption.wanted_on)
    updated = func.max(Adoption.updated_at)
    ranked = (
        select(Solution.id)
        .join(Adoption.solution)  # through Solution, so drafts stay hidden
        .where(Adoption.status.in_(PLAN_STATUSES))
        .group_by(Solution.id)
        .having(partners >= MIN_PARTNERS)
    )
    if organisation_id is not None:
        mine = select(Adoption.solution_id).where(
            Adoption.organisation_id == organisation_id, Adoption.status.in_(PLAN_STATUSES)
        )
        ranked = ranked.where(Solution.id.in_(mine))
    total = db.session.scalar(select(func.count()).select_from(ranked.subquery())) or 0
    if (page - 1) * page_size >= total:
        return [], total  # past the end; a huge page number never reaches the database
    if newest_first:
        ranked = ranked.order_by(updated.desc(), Solution.id.desc())
    else:
        ranked = ranked.order_by(
            partners.desc(),
            earliest.is_(None),
            earliest,
            func.lower(Solution.name),
            Solution.id,
        )
    return list(db.session.scalars(ranked.limit(page_size).offset((page - 1) * page_size))), total


def partners_of(plan: SharedPlan, organisation: Organisation) -> list[Adoption]:
    """Return the plans in ``plan`` of the organisations other than ``organisation``."""
    return [p for p in plan.plans if p.organisation_id != organisation.id]


def record_interest(
    slug: str,
    organisation_ref: str,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None = None,
) -> Adoption:
    """Record that an organisation considers or plans a solution (the one-click form).

    ``data`` holds ``status`` (considering or planned) and optionally ``wanted_on`` and
    ``notes``. A new plan becomes an adoption; an existing plan changes (its contact stays);
    an organisation that already uses the solution, or has retired it, is told so (422) —
    its adoption is changed on the adoption form, where a reason is asked for.
    ``expected_version`` is the version of the plan the form showed (None: it showed none).
    """
    if data.get("status") not in PLAN_STATUSES:
        allowed = ", ".join(PLAN_STATUSES)
        raise InvalidData("Validation failed.", {"status": [f"Must be one of: {allowed}."]})
    organisation = get_organisation(organisation_ref)
    existing = adoptions.find_adoption(slug, organisation.slug)
    if existing is None:
        return adoptions.record_adoption(slug, organisation.slug, data, actor=actor)
    if existing.status not in PLAN_STATUSES:
        raise InvalidData(
            "Validation failed.",
            {"status": [f"{organisation.name} has already recorded its use as {existing.status}."]},
        )
    return adoptions.update_adoption(
        slug,
        organisation.slug,
        data,
        actor=actor,
        expected_version=existing.version if expected_version is None else expected_version,
        partial=True,
    )
