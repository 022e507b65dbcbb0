"""The leader's portfolio: what each solution an organisation uses cost, gained and pays back.

One rule for every derived figure, used by the portfolio page, its downloads, the API and the
region page:

- **investment** = one-off costs (NOK) + internal effort (hours × the hour rate);
- **running cost** = yearly costs that have not ended;
- **gain a year** = kroner saved + hours saved × the hour rate (realised: the latest
  measurement of each benefit; expected: the benefit plan's target);
- **net gain a year** = gain − running cost, and **payback** = investment / net gain (years),
  only where both are positive.

A figure is computed only from what was registered: an adoption without any cost has no net
gain and no payback (its costs are unknown, not zero), and each sum says how many adoptions it
stands on and how many lack costs or gains. The hour rate is configuration (``HOUR_RATE_NOK``).

A samarbeid's costs are carried for its members: a kommune's row for a solution adds its own
adoption and its share (by the cost's split rule) of each samarbeid's adoption of the same
solution; benefits recorded on a samarbeid's own adoption are split equally between members.
A samarbeid's portfolio shows each solution it has adopted with its own costs and gains and
those of its members' adoptions of the same solution, in full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, AdoptionCost, Benefit, CostShare, Organisation, Solution
from app.models.organisation import collaboration_members
from app.services.costs import MemberShare, member_shares
from app.services.references import get_organisation

PORTFOLIO_STATUSES = ("in_use", "pilot", "planned", "considering")
"""What a portfolio shows: what is used, piloted and planned (not what was retired)."""

ZERO = Decimal(0)


def hour_rate() -> Decimal:
    """Return the configured value of an hour in NOK."""
    return Decimal(current_app.config["HOUR_RATE_NOK"])


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:
        return total
    return value if total is None else total + value


FIGURE_FIELDS = (
    "one_off_nok",
    "yearly_nok",
    "effort_hours",
    "co_financed_nok",
    "realised_hours",
    "realised_nok",
    "expected_hours",
    "expected_nok",
)
"""The registered amounts of a ``Figures`` (the rest is derived from them)."""


@dataclass
class Figures:
    """Costs and gains of one portfolio row (or the sum of several), with the derived figures."""

    rate: Decimal
    one_off_nok: Decimal | None = None
    yearly_nok: Decimal | None = None
    effort_hours: Decimal | None = None
    co_financed_nok: Decimal | None = None
    realised_hours: Decimal | None = None
    realised_nok: Decimal | None = None
    expected_hours: Decimal | None = None
    expected_nok: Decimal | None = None
    cost_rows: int = 0
    benefits: int = 0
    other_benefits: int = 0
    overdue_reviews: int = 0

    @property
    def has_costs(self) -> bool:
        """Return whether any cost was registered."""
        return self.cost_rows > 0

    @property
    def has_realised(self) -> bool:
        """Return whether a realised gain in hours or kroner was registered."""
        return self.realised_hours is not None or self.realised_nok is not None

    @property
    def has_expected(self) -> bool:
        """Return whether an expected gain in hours or kroner was registered."""
        return self.expected_hours is not None or self.expected_nok is not None

    @property
    def investment_nok(self) -> Decimal | None:
        """Return one-off costs plus internal effort in kroner; None without any cost."""
        if not self.has_costs:
            return None
        return (self.one_off_nok or ZERO) + (self.effort_hours or ZERO) * self.rate

    @property
    def running_nok(self) -> Decimal | None:
        """Return the yearly running cost; None without any cost (0 with only one-off costs)."""
        return (self.yearly_nok or ZERO) if self.has_costs else None

    def _gain(self, hours: Decimal | None, kroner: Decimal | None) -> Decimal | None:
        if hours is None and kroner is None:
            return None
        return (kroner or ZERO) + (hours or ZERO) * self.rate

    @property
    def realised_gain_nok(self) -> Decimal | None:
        """Return the realised gain a year in kroner (hours at the hour rate)."""
        return self._gain(self.realised_hours, self.realised_nok)

    @property
    def expected_gain_nok(self) -> Decimal | None:
        """Return the expected gain a year in kroner (hours at the hour rate)."""
        return self._gain(self.expected_hours, self.expected_nok)

    def _net(self, gain: Decimal | None) -> Decimal | None:
        running = self.running_nok
        return None if gain is None or running is None else gain - running

    @property
    def net_realised_nok(self) -> Decimal | None:
        """Return realised gain minus running cost a year; None unless both are known."""
        return self._net(self.realised_gain_nok)

    @property
    def net_expected_nok(self) -> Decimal | None:
        """Return expected gain minus running cost a year; None unless both are known."""
        return self._net(self.expected_gain_nok)

    def _payback(self, net: Decimal | None) -> Decimal | None:
        investment = self.investment_nok
        if net is None or not investment or net <= 0:
            return None  # nothing to pay back without an investment, never with a loss
        return (investment / net).quantize(Decimal("0.1"))

    @property
    def payback_realised_years(self) -> Decimal | None:
        """Return the years until the investment is paid back by the realised net gain."""
        return self._payback(self.net_realised_nok)

    @property
    def payback_expected_years(self) -> Decimal | None:
        """Return the years until the investment is paid back by the expected net gain."""
        return self._payback(self.net_expected_nok)

    def absorb(self, other: Figures, share: Decimal | None = None) -> None:
        """Add ``other`` to these figures, scaled by ``share`` (a member's part).

        Written out field by field: the region page calls it for every adoption of every
        kommune, and a loop over names with getattr/setattr cost it seconds at 10,000 solutions.
        """
        if share is None or share == 1:
            if other.one_off_nok is not None:
                self.one_off_nok = _add(self.one_off_nok, other.one_off_nok)
            if other.yearly_nok is not None:
                self.yearly_nok = _add(self.yearly_nok, other.yearly_nok)
            if other.effort_hours is not None:
                self.effort_hours = _add(self.effort_hours, other.effort_hours)
            if other.co_financed_nok is not None:
                self.co_financed_nok = _add(self.co_financed_nok, other.co_financed_nok)
            if other.realised_hours is not None:
                self.realised_hours = _add(self.realised_hours, other.realised_hours)
            if other.realised_nok is not None:
                self.realised_nok = _add(self.realised_nok, other.realised_nok)
            if other.expected_hours is not None:
                self.expected_hours = _add(self.expected_hours, other.expected_hours)
            if other.expected_nok is not None:
                self.expected_nok = _add(self.expected_nok, other.expected_nok)
        else:
            for name in FIGURE_FIELDS:
                value = getattr(other, name)
                if value is not None:
                    setattr(self, name, _add(getattr(self, name), value * share))
        self.cost_rows += other.cost_rows
        self.benefits += other.benefits
        self.other_benefits += other.other_benefits
        self.overdue_reviews += other.overdue_reviews


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
class Totals:
    """The sums of a portfolio, and how many rows each stands on."""

    figures: Figures
    rows: int
    with_costs: int
    with_realised: int
    with_expected: int
    net_realised_rows: int  # rows where both costs and realised gains are known
    net_expected_rows: int
    net_realised_nok: Decimal | None
    net_expected_nok: Decimal | None
    payback_realised_years: Decimal | None
    payback_expected_years: Decimal | None
    overdue_reviews: int

    @property
    def missing_costs(self) -> int:
        """Return how many rows have no cost registered."""
        return self.rows - self.with_costs

    @property
    def missing_realised(self) -> int:
        """Return how many rows have no realised gain in hours or kroner."""
        return self.rows - self.with_realised


@dataclass
class Portfolio:
    """An organisation's portfolio: its rows and their sums."""

    organisation: Organisation
    rows: list[PortfolioRow]
    totals: Totals
    hour_rate: Decimal
    as_of: date


def totals_of(rows: Iterable[Figures], rate: Decimal) -> Totals:
    """Return the sums of these figures; net and payback add up only rows where both are known."""
    rows = list(rows)
    total = Figures(rate)
    net_realised: Decimal | None = None
    net_expected: Decimal | None = None
    invest_realised = ZERO
    invest_expected = ZERO
    for figures in rows:
        total.absorb(figures)
        if figures.net_realised_nok is not None:
            net_realised = _add(net_realised, figures.net_realised_nok)
            invest_realised += figures.investment_nok or ZERO
        if figures.net_expected_nok is not None:
            net_expected = _add(net_expected, figures.net_expected_nok)
            invest_expected += figures.investment_nok or ZERO

    def payback(invest: Decimal, net: Decimal | None) -> Decimal | None:
        if net is None or net <= 0 or not invest:
            return None
        return (invest / net).quantize(Decimal("0.1"))

    return Totals(
        figures=total,
        rows=len(rows),
        with_costs=sum(f.has_costs for f in rows),
        with_realised=sum(f.has_realised for f in rows),
        with_expected=sum(f.has_expected for f in rows),
        net_realised_rows=sum(f.net_realised_nok is not None for f in rows),
        net_expected_rows=sum(f.net_expected_nok is not None for f in rows),
        net_realised_nok=net_realised,
        net_expected_nok=net_expected,
        payback_realised_years=payback(invest_realised, net_realised),
        payback_expected_years=payback(invest_expected, net_expected),
        overdue_reviews=sum(f.overdue_reviews for f in rows),
    )


# --- Reading the figures of many adoptions in a few grouped queries -------------------------


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
        figures.yearly_nok = _add(figures.yearly_nok, amount_ if amount_ is not None else ZERO)
    else:
        figures.one_off_nok = _add(figures.one_off_nok, amount_ if amount_ is not None else ZERO)
    figures.effort_hours = _add(figures.effort_hours, effort_)
    if external:
        figures.co_financed_nok = _add(figures.co_financed_nok, amount_ or ZERO)
    figures.cost_rows += count


def _member_cost_figures(
    ids: list[int], today: date, rate: Decimal, member_ids: set[int] | None = None
) -> dict[int, dict[int, Figures]]:
    """Return {member id: {adoption id: that member's share of the adoption's costs}} for
    these samarbeid adoptions (only for ``member_ids`` when given), in one pass over the costs."""
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
                if member_ids is not None and share.organisation_id not in member_ids:
                    continue
                figures = shares_of[share.organisation_id].setdefault(adoption_id, Figures(rate))
                _count_cost(figures, kind, payer != "self", amount, effort, 1, share.fraction)
    return shares_of


def _add_member_costs(
    facts: dict[int, AdoptionFacts], ids: list[int], today: date, member_id: int
) -> None:
    """Add a member's share of each cost of these samarbeid adoptions."""
    rate = hour_rate()
    mine = _member_cost_figures(ids, today, rate, {member_id}).get(member_id, {})
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
            figures.expected_hours = _add(figures.expected_hours, expected_)
            figures.realised_hours = _add(figures.realised_hours, realised_)
        elif category == "cost_saved":
            figures.expected_nok = _add(figures.expected_nok, expected_)
            figures.realised_nok = _add(figures.realised_nok, realised_)
        else:
            figures.other_benefits += count
    owners = db.session.execute(
        select(Benefit.adoption_id, Benefit.owner)
        .where(Benefit.adoption_id.in_(ids), Benefit.owner != "")
        .distinct()
    )
    for adoption_id, owner in owners:
        facts[adoption_id].owners.add(owner)


# --- Portfolios --------------------------------------------------------------------------------


def _adoptions_of(organisation_ids: list[int] | None) -> list[tuple[int, int, str, object, int]]:
    """Return (adoption id, solution id, status, since, organisation id) of portfolio adoptions
    of these organisations (None: of every organisation)."""
    query = (
        select(
            Adoption.id,
            Adoption.solution_id,
            Adoption.status,
            Adoption.since,
            Adoption.organisation_id,
        )
        .join(Solution, Solution.id == Adoption.solution_id)
        .where(Adoption.status.in_(PORTFOLIO_STATUSES))
    )
    if organisation_ids is not None:
        query = query.where(Adoption.organisation_id.in_(organisation_ids))
    rows = db.session.execute(query)
    return [tuple(row) for row in rows]  # type: ignore[misc]


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
    """Return the portfolio of a kommune (or any organisation), or of a samarbeid."""
    organisation = get_organisation(ref)
    today = today or date.today()
    if organisation.kind == "samarbeid":
        rows = _collaboration_rows(organisation, today)
    else:
        rows = _member_rows(organisation, today)
    rows.sort(key=lambda r: (STATUS_ORDER.get(r.status, 9), r.name.lower()))
    rate = hour_rate()
    return Portfolio(
        organisation=organisation,
        rows=rows,
        totals=totals_of((r.figures for r in rows), rate),
        hour_rate=rate,
        as_of=today,
    )


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


AdoptionRow = tuple[int, int, str, object, int]
"""(adoption id, solution id, status, since, organisation id), as ``_adoptions_of`` returns."""


@dataclass
class _Known:
    """What the region page read once for every kommune: adoptions by organisation, their facts
    in full and the solutions' names."""

    by_organisation: dict[int, list[AdoptionRow]]
    facts: dict[int, AdoptionFacts]
    solutions: dict[int, tuple[str, str, str]]
    member_costs: dict[int, dict[int, Figures]]  # member id → adoption id → its share


def _member_rows(
    organisation: Organisation, today: date, known: _Known | None = None
) -> list[PortfolioRow]:
    """A kommune's rows: its adoptions, plus its share of its samarbeid's adoptions."""
    rate = hour_rate()
    collaboration_ids = [c.id for c in organisation.collaborations]
    if known is None:
        own = _adoptions_of([organisation.id])
        shared = _adoptions_of(collaboration_ids) if collaboration_ids else []
        solutions = _solutions([r[1] for r in own] + [r[1] for r in shared])
        own_facts = adoption_facts([r[0] for r in own], today)
    else:
        own = known.by_organisation.get(organisation.id, [])
        shared = [r for c in collaboration_ids for r in known.by_organisation.get(c, [])]
        solutions, own_facts = known.solutions, known.facts
    names = {c.id: c.name for c in organisation.collaborations}
    sizes = {c.id: len(c.members) for c in organisation.collaborations}
    if known is None:
        shared_facts = (
            adoption_facts([r[0] for r in shared], today, member_id=organisation.id)
            if shared
            else {}
        )
        shared_costs = {a: f.figures for a, f in shared_facts.items()}
    else:
        # The region read each member's share once; benefits are the adoption's own.
        shared_facts = known.facts
        shared_costs = known.member_costs.get(organisation.id, {})
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


# --- The region: investment against gain, by kommune and by theme ----------------------------


@dataclass(frozen=True)
class KommuneRef:
    """A kommune as the region's figures name it (plain values: the figures outlive requests)."""

    kommunenummer: str | None
    slug: str
    name: str


@dataclass
class RegionInvestment:
    """Investment against gain for the region, each kommune and each theme."""

    totals: Totals
    by_kommune: list[tuple[KommuneRef, Totals]]
    by_theme: list[tuple[str, str, Totals]]  # (slug, name, totals)
    hour_rate: Decimal


def catalogue_position() -> tuple[int, int]:
    """Return where the catalogue's writes have got to: the newest history entry (every
    write through the services records one) and the newest change-log row."""
    from app.models.changelog import Change
    from app.models.history import HistoryEntry

    newest_history = db.session.scalar(select(func.max(HistoryEntry.id))) or 0
    newest_change = db.session.scalar(select(func.max(Change.seq))) or 0
    return int(newest_history), int(newest_change)


def region_investment(*, today: date | None = None) -> RegionInvestment:
    """Return the region's investment against gain, computed once per catalogue position.

    The figures read every adoption of the region (seconds at 10,000 solutions), so each
    process keeps the last answer with the position it was computed at; any write moves the
    position, and the next call computes afresh: never stale after a write.
    """
    today = today or date.today()
    key = (catalogue_position(), today, hour_rate())
    cache = current_app.extensions.setdefault("gk_region_investment", {})
    if key not in cache:
        cache.clear()
        cache[key] = _region_investment(today)
    return cache[key]


def _region_investment(today: date) -> RegionInvestment:
    """Return investment against gain for the whole region, by kommune and by LOS theme.

    The region's sum counts every adoption once, in full. A kommune's sum is its portfolio
    (with its shares of samarbeid costs). A theme counts each adoption under every theme of
    its solution, so the themes add up to more than the region where solutions have several.
    """
    from app.models import Theme
    from app.models.solution import solution_themes

    rate = hour_rate()
    every = _adoptions_of(None)
    adoptions = [(row[0], row[1]) for row in every]
    facts = adoption_facts([a for a, _ in adoptions], today)
    by_organisation: dict[int, list[AdoptionRow]] = defaultdict(list)
    for row in every:
        by_organisation[row[4]].append(row)
    collaborations = set(
        db.session.scalars(select(Organisation.id).where(Organisation.kind == "samarbeid"))
    )
    shared_ids = [row[0] for row in every if row[4] in collaborations]
    known = _Known(
        by_organisation,
        facts,
        _solutions(s for _, s in adoptions),
        _member_cost_figures(shared_ids, today, rate),
    )
    region = totals_of((facts[a].figures for a, _ in adoptions), rate)
    themes_of: dict[int, list[int]] = defaultdict(list)
    for solution_id, theme_id in db.session.execute(
        select(solution_themes.c.solution_id, solution_themes.c.theme_id)
    ):
        themes_of[solution_id].append(theme_id)
    per_theme: dict[int, list[Figures]] = defaultdict(list)
    for adoption_id, solution_id in adoptions:
        for theme_id in themes_of[solution_id]:
            per_theme[theme_id].append(facts[adoption_id].figures)
    by_theme = [
        (slug, name, totals_of(per_theme.get(theme_id, []), rate))
        for theme_id, slug, name in db.session.execute(
            select(Theme.id, Theme.slug, Theme.name).order_by(Theme.name)
        )
    ]
    kommuner = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind == "kommune")
        .order_by(Organisation.kommunenummer)
        .options(selectinload(Organisation.collaborations).selectinload(Organisation.members))
    ).all()
    by_kommune = [
        (
            KommuneRef(kommune.kommunenummer, kommune.slug, kommune.name),
            totals_of((r.figures for r in _member_rows(kommune, today, known)), rate),
        )
        for kommune in kommuner
    ]
    return RegionInvestment(region, by_kommune, by_theme, rate)


__all__ = [
    "PORTFOLIO_STATUSES",
    "Figures",
    "KommuneRef",
    "Portfolio",
    "PortfolioRow",
    "RegionInvestment",
    "Totals",
    "adoption_facts",
    "catalogue_position",
    "hour_rate",
    "portfolio",
    "region_investment",
    "totals_of",
]
