"""The leader's portfolio: what each solution an organisation uses cost, gained and pays back.

A portfolio puts together the rows of an organisation's adoptions, sorted by status and name,
with their sums. The figures of a row and the rule for each derived figure are
``portfolio_figures``; reading them from the database is ``portfolio_facts``. The region page's
sums for every kommune and LOS theme follow the same rows, added up by the database
(``region_investment``).

A samarbeid's costs are carried for its members: a kommune's row for a solution adds its own
adoption and its share (by the cost's split rule) of each samarbeid's adoption of the same
solution; benefits recorded on a samarbeid's own adoption are split equally between members.
A samarbeid's portfolio shows each solution it has adopted with its own costs and gains and
those of its members' adoptions of the same solution, in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from app.services.portfolio_facts import AdoptionFacts, adoption_facts
from app.services.portfolio_figures import Figures, Totals, hour_rate, totals_of
from app.services.position_cache import per_position
from app.services.references import get_organisation

PORTFOLIO_STATUSES = ("in_use", "pilot", "planned", "considering")
"""What a portfolio shows: what is used, piloted and planned (not what was retired)."""


@dataclass
class PortfolioRow:
    """One solution in an organisation's portfolio."""

    solution_id: int
    slug: str
    name: str
    kind: str
    status: str
    since: date | None
    figures: Figures
    via: list[str] = field(default_factory=list)  # samarbeid whose costs it shares
    benefit_owners: list[str] = field(default_factory=list)
    next_review: date | None = None


@dataclass
class Portfolio:
    """An organisation's portfolio: its rows and their sums."""

    organisation: Organisation
    rows: list[PortfolioRow]
    totals: Totals
    hour_rate: Decimal
    as_of: date


# --- Portfolios --------------------------------------------------------------------------------


def _adoptions_of(organisation_ids: list[int]) -> list[tuple[int, int, str, object, int]]:
    """Return (adoption id, solution id, status, since, organisation id) of portfolio adoptions
    of these organisations."""
    query = (
        select(
            Adoption.id,
            Adoption.solution_id,
            Adoption.status,
            Adoption.since,
            Adoption.organisation_id,
        )
        .join(Solution, Solution.id == Adoption.solution_id)
        .where(
            Adoption.status.in_(PORTFOLIO_STATUSES),
            Adoption.organisation_id.in_(organisation_ids),
        )
    )
    rows = db.session.execute(query)
    return [tuple(row) for row in rows]  # type: ignore[misc]


PORTFOLIOS_KEPT = 8
"""Portfolios each process keeps (the last asked for): a big kommune's is megabytes at
national size, so not every organisation's is held."""

STATUS_ORDER = {status: n for n, status in enumerate(PORTFOLIO_STATUSES)}


def _solutions(ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    wanted = list(set(ids))
    found: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(wanted), 900):
        for solution_id, slug, name, kind in db.session.execute(
            select(Solution.id, Solution.slug, Solution.name, Solution.kind).where(
                Solution.id.in_(wanted[start : start + 900])
            )
        ):
            found[solution_id] = (slug, name, kind)
    return found


def portfolio(ref: str, *, today: date | None = None) -> Portfolio:
    """Return the portfolio of a kommune (or any organisation), or of a samarbeid.

    The rows and sums are kept per catalogue position for each organisation
    (``position_cache``): at national size a kommune's portfolio has thousands of rows, read
    from every adoption it and its samarbeid have. They are shared by the requests of a
    process until the next write, so callers must not change them.
    """
    organisation = get_organisation(ref)
    today = today or date.today()
    rate = hour_rate()
    rows, totals = per_position(
        "portfolio",
        lambda: _rows_and_totals(organisation, today, rate),
        key=(organisation.id, today, rate),
        keep=PORTFOLIOS_KEPT,
    )
    return Portfolio(
        organisation=organisation, rows=rows, totals=totals, hour_rate=rate, as_of=today
    )


def _rows_and_totals(
    organisation: Organisation, today: date, rate: Decimal
) -> tuple[list[PortfolioRow], Totals]:
    if organisation.kind == "samarbeid":
        rows = _collaboration_rows(organisation, today)
    else:
        rows = _member_rows(organisation, today)
    rows.sort(key=lambda r: (STATUS_ORDER.get(r.status, 9), r.name.lower()))
    return rows, totals_of((r.figures for r in rows), rate)


def _row(
    solution_id: int,
    info: tuple[str, str, str],
    status: str,
    since: object,
    rate: Decimal,
) -> PortfolioRow:
    slug, name, kind = info
    return PortfolioRow(solution_id, slug, name, kind, status, since, Figures(rate))  # type: ignore[arg-type]


def _merge(row: PortfolioRow, item: AdoptionFacts, share: Decimal = Decimal(1)) -> None:
    row.figures.absorb(item.figures, share)
    row.benefit_owners = sorted(set(row.benefit_owners) | item.owners)
    if item.next_review and (row.next_review is None or item.next_review < row.next_review):
        row.next_review = item.next_review


def _member_rows(organisation: Organisation, today: date) -> list[PortfolioRow]:
    """A kommune's rows: its adoptions, plus its share of its samarbeid's adoptions."""
    rate = hour_rate()
    collaboration_ids = [c.id for c in organisation.collaborations]
    own = _adoptions_of([organisation.id])
    shared = _adoptions_of(collaboration_ids) if collaboration_ids else []
    solutions = _solutions([r[1] for r in own] + [r[1] for r in shared])
    own_facts = adoption_facts([r[0] for r in own], today)
    names = {c.id: c.name for c in organisation.collaborations}
    sizes = {c.id: len(c.members) for c in organisation.collaborations}
    shared_facts = (
        adoption_facts([r[0] for r in shared], today, member_id=organisation.id) if shared else {}
    )
    shared_costs = {a: f.figures for a, f in shared_facts.items()}
    rows: dict[int, PortfolioRow] = {}
    for adoption_id, solution_id, status, since, _ in own:
        rows[solution_id] = _row(solution_id, solutions[solution_id], status, since, rate)
        _merge(rows[solution_id], own_facts[adoption_id])
    for adoption_id, solution_id, status, since, collaboration_id in shared:
        facts = shared_facts[adoption_id]
        row = rows.get(solution_id)
        if row is None:
            row = rows[solution_id] = _row(solution_id, solutions[solution_id], status, since, rate)
        row.via.append(names[collaboration_id])
        # Costs were already scaled to the member's share; benefits split equally.
        benefit_share = Decimal(1) / Decimal(sizes[collaboration_id] or 1)
        share_of_costs = shared_costs.get(adoption_id)
        if share_of_costs is not None:
            costs_only = Figures(rate)
            for name in ("one_off_nok", "yearly_nok", "effort_hours", "co_financed_nok"):
                setattr(costs_only, name, getattr(share_of_costs, name))
            costs_only.cost_rows = share_of_costs.cost_rows
            row.figures.absorb(costs_only)
        gains_only = Figures(rate)
        for name in ("realised_hours", "realised_nok", "expected_hours", "expected_nok"):
            setattr(gains_only, name, getattr(facts.figures, name))
        gains_only.benefits = facts.figures.benefits
        gains_only.other_benefits = facts.figures.other_benefits
        gains_only.overdue_reviews = facts.figures.overdue_reviews
        row.figures.absorb(gains_only, benefit_share)
        row.benefit_owners = sorted(set(row.benefit_owners) | facts.owners)
    return list(rows.values())


def _collaboration_rows(collaboration: Organisation, today: date) -> list[PortfolioRow]:
    """A samarbeid's rows: what it adopted, with its members' adoptions of the same, in full."""
    rate = hour_rate()
    own = _adoptions_of([collaboration.id])
    solution_ids = {r[1] for r in own}
    member_ids = [m.id for m in collaboration.members]
    members = [r for r in _adoptions_of(member_ids) if r[1] in solution_ids] if member_ids else []
    solutions = _solutions(solution_ids)
    facts = adoption_facts([r[0] for r in own] + [r[0] for r in members], today)
    rows: dict[int, PortfolioRow] = {}
    for adoption_id, solution_id, status, since, _ in own:
        rows[solution_id] = _row(solution_id, solutions[solution_id], status, since, rate)
        _merge(rows[solution_id], facts[adoption_id])
    names = {m.id: m.name for m in collaboration.members}
    for adoption_id, solution_id, _status, _since, member_id in members:
        _merge(rows[solution_id], facts[adoption_id])
        rows[solution_id].via.append(names[member_id])
    return list(rows.values())


__all__ = [
    "PORTFOLIO_STATUSES",
    "Portfolio",
    "PortfolioRow",
    "portfolio",
]
