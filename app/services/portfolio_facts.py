"""Read the costs and benefits of many adoptions in a few grouped queries, as ``Figures``.

A samarbeid's costs are carried for its members: with a member given, each cost of the
samarbeid's adoptions counts with that member's share under the cost's split rule
(``app.services.costs.member_shares``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Adoption, AdoptionCost, Benefit, CostShare, Organisation
from app.models.organisation import collaboration_members
from app.services.costs import MemberShare, member_shares
from app.services.portfolio_figures import ZERO, Figures, add_known, hour_rate


@dataclass
class AdoptionFacts:
    """What the database holds about one adoption's costs and benefits."""

    figures: Figures
    owners: set[str] = field(default_factory=set)
    next_review: date | None = None


def adoption_facts(
    adoption_ids: Iterable[int], today: date, *, member_id: int | None = None
) -> dict[int, AdoptionFacts]:
    """Return the costs and benefits of these adoptions, added up by the database.

    With ``member_id`` the adoptions are a samarbeid's and each cost counts with that member's
    share under the cost's split rule.
    """
    ids = list(dict.fromkeys(adoption_ids))
    rate = hour_rate()
    facts: dict[int, AdoptionFacts] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for adoption_id in chunk:
            facts[adoption_id] = AdoptionFacts(Figures(rate))
        if member_id is None:
            _add_costs(facts, chunk, today)
        else:
            _add_member_costs(facts, chunk, today, member_id)
        _add_benefits(facts, chunk, today)
    return facts


def _running(today: date) -> object:
    return or_(
        AdoptionCost.kind != "yearly", AdoptionCost.ends_on.is_(None), AdoptionCost.ends_on >= today
    )


def _add_costs(facts: dict[int, AdoptionFacts], ids: list[int], today: date) -> None:
    rows = db.session.execute(
        select(
            AdoptionCost.adoption_id,
            AdoptionCost.kind,
            AdoptionCost.payer,
            func.sum(AdoptionCost.amount),
            func.sum(AdoptionCost.effort_hours),
            func.count(),
        )
        .where(AdoptionCost.adoption_id.in_(ids), _running(today))
        .group_by(AdoptionCost.adoption_id, AdoptionCost.kind, AdoptionCost.payer)
    )
    for adoption_id, kind, payer, amount, effort, count in rows:
        _count_cost(facts[adoption_id].figures, kind, payer != "self", amount, effort, count)


def _count_cost(
    figures: Figures,
    kind: str,
    external: bool,
    amount: object,
    effort: object,
    count: int,
    share: Decimal = Decimal(1),
) -> None:
    amount_ = None if amount is None else Decimal(amount) * share  # type: ignore[arg-type]
    effort_ = None if effort is None else Decimal(effort) * share  # type: ignore[arg-type]
    if kind == "yearly":
        figures.yearly_nok = add_known(figures.yearly_nok, ZERO if amount_ is None else amount_)
    else:
        figures.one_off_nok = add_known(figures.one_off_nok, ZERO if amount_ is None else amount_)
    figures.effort_hours = add_known(figures.effort_hours, effort_)
    if external:
        figures.co_financed_nok = add_known(figures.co_financed_nok, amount_ or ZERO)
    figures.cost_rows += count


def member_cost_figures(
    ids: list[int], today: date, rate: Decimal, member_ids: set[int]
) -> dict[int, dict[int, Figures]]:
    """Return {member id: {adoption id: that member's share of the adoption's costs}} of
    ``member_ids`` for these samarbeid adoptions, in one pass over the costs."""
    shares_of: dict[int, dict[int, Figures]] = defaultdict(dict)
    for start in range(0, len(ids), 900):
        costs = db.session.execute(
            select(
                AdoptionCost.id,
                AdoptionCost.adoption_id,
                AdoptionCost.kind,
                AdoptionCost.payer,
                AdoptionCost.amount,
                AdoptionCost.effort_hours,
                AdoptionCost.split_rule,
                Adoption.organisation_id,
            )
            .join(Adoption, Adoption.id == AdoptionCost.adoption_id)
            .where(AdoptionCost.adoption_id.in_(ids[start : start + 900]), _running(today))
        ).all()
        if not costs:
            continue
        collaborations = {row.organisation_id for row in costs}
        members: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        for collaboration_id, organisation_id, population in db.session.execute(
            select(
                collaboration_members.c.collaboration_id, Organisation.id, Organisation.population
            )
            .join(Organisation, Organisation.id == collaboration_members.c.member_id)
            .where(collaboration_members.c.collaboration_id.in_(collaborations))
        ):
            members[collaboration_id].append((organisation_id, population))
        explicit: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for cost_id, organisation_id, fraction in db.session.execute(
            select(CostShare.cost_id, CostShare.organisation_id, CostShare.fraction).where(
                CostShare.cost_id.in_([row.id for row in costs])
            )
        ):
            explicit[cost_id][organisation_id] = Decimal(fraction)
        by_rule: dict[tuple[int, str | None], list[MemberShare]] = {}
        for cost_id, adoption_id, kind, payer, amount, effort, rule, collaboration_id in costs:
            if rule == "custom":
                shares = member_shares(rule, members[collaboration_id], explicit.get(cost_id))
            else:  # the same split for every cost of a samarbeid with this rule: work it out once
                key = (collaboration_id, rule)
                if key not in by_rule:
                    by_rule[key] = member_shares(rule, members[collaboration_id])
                shares = by_rule[key]
            for share in shares:
                if share.organisation_id not in member_ids:
                    continue
                figures = shares_of[share.organisation_id].setdefault(adoption_id, Figures(rate))
                _count_cost(figures, kind, payer != "self", amount, effort, 1, share.fraction)
    return shares_of


def _add_member_costs(
    facts: dict[int, AdoptionFacts], ids: list[int], today: date, member_id: int
) -> None:
    """Add a member's share of each cost of these samarbeid adoptions."""
    rate = hour_rate()
    mine = member_cost_figures(ids, today, rate, {member_id}).get(member_id, {})
    for adoption_id, figures in mine.items():
        facts[adoption_id].figures.absorb(figures)


def _add_benefits(facts: dict[int, AdoptionFacts], ids: list[int], today: date) -> None:
    rows = db.session.execute(
        select(
            Benefit.adoption_id,
            Benefit.category,
            func.sum(Benefit.expected_value),
            func.sum(Benefit.realised_value),
            func.count(),
            func.count().filter(Benefit.review_on < today),
            func.min(Benefit.review_on),
        )
        .where(Benefit.adoption_id.in_(ids))
        .group_by(Benefit.adoption_id, Benefit.category)
    )
    for adoption_id, category, expected, realised, count, overdue, next_review in rows:
        item = facts[adoption_id]
        figures = item.figures
        figures.benefits += count
        figures.overdue_reviews += overdue
        if next_review is not None and (item.next_review is None or next_review < item.next_review):
            item.next_review = next_review
        expected_ = None if expected is None else Decimal(expected)
        realised_ = None if realised is None else Decimal(realised)
        if category == "time_saved":
            figures.expected_hours = add_known(figures.expected_hours, expected_)
            figures.realised_hours = add_known(figures.realised_hours, realised_)
        elif category == "cost_saved":
            figures.expected_nok = add_known(figures.expected_nok, expected_)
            figures.realised_nok = add_known(figures.realised_nok, realised_)
        else:
            figures.other_benefits += count
    owners = db.session.execute(
        select(Benefit.adoption_id, Benefit.owner)
        .where(Benefit.adoption_id.in_(ids), Benefit.owner != "")
        .distinct()
    )
    for adoption_id, owner in owners:
        facts[adoption_id].owners.add(owner)


__all__ = [
    "AdoptionFacts",
    "adoption_facts",
    "member_cost_figures",
]
