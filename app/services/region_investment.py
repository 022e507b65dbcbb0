"""The region's investment against gain (the Gevinster page): in all, by kommune and by LOS theme.

Added up by the database. At national size the region holds about a million adoptions, and a
kommune's rows include its share of every adoption of each samarbeid it is a member of: read
row by row into Python, the figures took 105 s cold at 100,000 solutions.

The derived figures are not plain sums: a row counts toward net gain (and payback) only when
both its costs and its gains are known. But among rows with the same *known-ness* (costs known
or not, realised gain known or not, expected gain known or not) every figure is a sum. So the
database adds up the registered amounts per group of rows with the same known-ness, and
``portfolio_figures.totals_of_groups`` derives the figures from those sums with the one rule of
``Figures``. A kommune's rows are put together as ``portfolio`` does for one kommune: its own
adoption of a solution, plus its share (``costs.member_shares``) of the costs of each samarbeid
adoption of the same solution, plus an equal part of that adoption's benefits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    Table,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.schema import DropTable
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.models import Adoption, AdoptionCost, Benefit, CostShare, Organisation, Solution, Theme
from app.models.benefit import FIXED_UNITS
from app.models.organisation import collaboration_members
from app.models.solution import solution_themes
from app.services.costs import member_shares
from app.services.portfolio import PORTFOLIO_STATUSES
from app.services.portfolio_figures import Figures, Totals, hour_rate, totals_of_groups
from app.services.position_cache import per_position

COST_FIELDS = ("one_off_nok", "yearly_nok", "effort_hours", "co_financed_nok", "cost_rows")
BENEFIT_FIELDS = (
    "realised_hours",
    "realised_nok",
    "expected_hours",
    "expected_nok",
    "benefits",
    "other_benefits",
    "overdue_reviews",
)
ALL_FIELDS = (*COST_FIELDS, *BENEFIT_FIELDS)
FLAGS = ("has_costs", "has_realised", "has_expected")
"""The known-ness of a row: within a group of rows with the same flags, every figure is a sum."""

AMOUNT = Numeric(14, 2)
HOURS = Numeric(12, 2)
VALUE = Numeric(14, 2)


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


def region_investment(*, today: date | None = None) -> RegionInvestment:
    """Return the region's investment against gain, computed once per catalogue position
    (``position_cache``)."""
    day = today or date.today()
    return per_position(
        "region_investment", lambda: _region_investment(day), key=(day, hour_rate())
    )


def _region_investment(today: date) -> RegionInvestment:
    """Return investment against gain for the whole region, by kommune and by LOS theme.

    The region's sum counts every adoption once, in full. A kommune's sum is its portfolio
    (with its shares of samarbeid costs). A theme counts each adoption under every theme of
    its solution, so the themes add up to more than the region where solutions have several.
    """
    rate = hour_rate()
    facts = _materialised(_adoption_facts(today))
    # Dropped only after success: after an error PostgreSQL's rollback takes the table with
    # it (a DROP in the failed transaction would hide the error), and on SQLite the next
    # computation drops what was left.
    figures = _region_from(facts, today, rate)
    db.session.execute(DropTable(facts, if_exists=True))
    return figures


def _materialised(query: Any) -> Table:
    """Return a temporary table of the query's rows: the figures read them three times."""
    create = query.into(FACTS_TABLE, temporary=True)
    db.session.execute(DropTable(create.table, if_exists=True))  # left by an interrupted run
    db.session.execute(create)
    return create.table


FACTS_TABLE = "region_investment_facts"


def _portfolio_adoptions(*columns: Any) -> Any:
    """Select ``columns`` of every portfolio adoption (through its solution: drafts stay out)."""
    return (
        select(*columns)
        .join(Solution, Solution.id == Adoption.solution_id)
        .where(Adoption.status.in_(PORTFOLIO_STATUSES))
    )


def _of_kind(kind: str) -> Any:
    """Select the ids of the organisations of ``kind`` (kommune, samarbeid)."""
    return select(Organisation.id).where(Organisation.kind == kind)


def _region_from(facts: Table, today: date, rate: Decimal) -> RegionInvestment:
    """Return the region's figures from the portfolio adoptions' facts in ``facts``."""
    portfolio_adoptions = _portfolio_adoptions(Adoption.solution_id).subquery()
    region = _with_rest(
        [_group(row, rate) for row in db.session.execute(_grouped(facts))],
        db.session.scalar(select(func.count()).select_from(portfolio_adoptions)) or 0,
        rate,
    )
    per_theme: dict[int, list[tuple[Figures, int]]] = defaultdict(list)
    for theme_id, *row in db.session.execute(
        _grouped(
            facts,
            solution_themes.c.theme_id,
            join=(solution_themes, solution_themes.c.solution_id == facts.c.solution_id),
        )
    ):
        per_theme[theme_id].append(_group(row, rate))
    theme_rows = dict(
        db.session.execute(
            select(solution_themes.c.theme_id, func.count())
            .select_from(portfolio_adoptions)
            .join(
                solution_themes, solution_themes.c.solution_id == portfolio_adoptions.c.solution_id
            )
            .group_by(solution_themes.c.theme_id)
        ).all()
    )
    by_theme = [
        (
            slug,
            name,
            totals_of_groups(
                _with_rest(per_theme.get(theme_id, []), theme_rows.get(theme_id, 0), rate), rate
            ),
        )
        for theme_id, slug, name in db.session.execute(
            select(Theme.id, Theme.slug, Theme.name).order_by(Theme.name)
        )
    ]
    per_kommune = _kommune_groups(facts, today, rate)
    kommuner = db.session.execute(
        select(Organisation.id, Organisation.kommunenummer, Organisation.slug, Organisation.name)
        .where(Organisation.kind == "kommune")
        .order_by(Organisation.kommunenummer)
    )
    by_kommune = [
        (KommuneRef(number, slug, name), totals_of_groups(per_kommune.get(oid, []), rate))
        for oid, number, slug, name in kommuner
    ]
    return RegionInvestment(totals_of_groups(region, rate), by_kommune, by_theme, rate)


def _with_rest(
    groups: list[tuple[Figures, int]], rows: int, rate: Decimal
) -> list[tuple[Figures, int]]:
    """Return ``groups`` (the rows with any cost or benefit) and a group of the other rows out
    of ``rows`` in all: those have no figure, but count as rows that lack costs and gains."""
    rest = rows - sum(count for _, count in groups)
    return [*groups, (Figures(rate), rest)] if rest > 0 else groups


# --- What the database adds up ------------------------------------------------------------------


def _cost_values() -> list[ColumnElement[Any]]:
    """What one cost adds to each sum, as ``portfolio_facts`` counts it."""
    amount = func.coalesce(AdoptionCost.amount, 0)
    return [
        case((AdoptionCost.kind != "yearly", amount)).label("one_off_nok"),
        case((AdoptionCost.kind == "yearly", amount)).label("yearly_nok"),
        AdoptionCost.effort_hours.label("effort_hours"),
        case((AdoptionCost.payer != "self", amount)).label("co_financed_nok"),
        literal(1).label("cost_rows"),
    ]


def _benefit_values(today: date) -> list[ColumnElement[Any]]:
    """What one benefit adds to each sum, as ``portfolio_facts`` counts it."""
    time, kroner = Benefit.category == "time_saved", Benefit.category == "cost_saved"
    return [
        case((time, Benefit.realised_value)).label("realised_hours"),
        case((kroner, Benefit.realised_value)).label("realised_nok"),
        case((time, Benefit.expected_value)).label("expected_hours"),
        case((kroner, Benefit.expected_value)).label("expected_nok"),
        literal(1).label("benefits"),
        _flag(Benefit.category.not_in(FIXED_UNITS)).label("other_benefits"),
        _flag(Benefit.review_on < today).label("overdue_reviews"),
    ]


def _cost_sums() -> list[ColumnElement[Any]]:
    """The sums of a group of costs."""
    return [func.sum(value).label(value.name) for value in _cost_values()]


def _running(today: date) -> ColumnElement[bool]:
    """Costs that count today: every one-off cost, and yearly costs that have not ended."""
    return or_(
        AdoptionCost.kind != "yearly", AdoptionCost.ends_on.is_(None), AdoptionCost.ends_on >= today
    )


NUMBERS = {
    "one_off_nok": AMOUNT,
    "yearly_nok": AMOUNT,
    "effort_hours": HOURS,
    "co_financed_nok": AMOUNT,
    "realised_hours": VALUE,
    "realised_nok": VALUE,
    "expected_hours": VALUE,
    "expected_nok": VALUE,
}


def _nothing(name: str) -> ColumnElement[Any]:
    """An empty value of a sum: NULL for an amount (unknown), 0 for a count."""
    return (cast(null(), NUMBERS[name]) if name in NUMBERS else literal(0)).label(name)


def _adoption_facts(today: date) -> Any:
    """Each portfolio adoption that has any cost or benefit, with the sums of its costs and of
    its benefits (NULL where it has none) and its known-ness."""
    costs = {value.name: value for value in _cost_values()}
    benefits = {value.name: value for value in _benefit_values(today)}
    values = union_all(
        select(
            AdoptionCost.adoption_id,
            *(costs.get(name, _nothing(name)) for name in ALL_FIELDS),
            _flag(AdoptionCost.split_rule.in_(UNEQUAL_RULES)).label("unequal_costs"),
        ).where(_running(today)),
        select(
            Benefit.adoption_id,
            *(benefits[name] if name in benefits else _nothing(name) for name in ALL_FIELDS),
            literal(0).label("unequal_costs"),
        ),
    ).subquery()
    sums = (
        select(
            values.c.adoption_id,
            *(func.sum(values.c[name]).label(name) for name in COST_FIELDS[:4]),
            func.sum(values.c.cost_rows).label("cost_rows"),
            *(func.sum(values.c[name]).label(name) for name in BENEFIT_FIELDS),
            func.sum(values.c.unequal_costs).label("unequal_costs"),
        )
        .group_by(values.c.adoption_id)
        .subquery()
    )
    return (
        select(
            Adoption.id.label("adoption_id"),
            Adoption.organisation_id,
            Adoption.solution_id,
            *(sums.c[name] for name in ALL_FIELDS),
            sums.c.unequal_costs,
            _flag(sums.c.cost_rows > 0).label("has_costs"),
            _flag(or_(sums.c.realised_hours.is_not(None), sums.c.realised_nok.is_not(None))).label(
                "has_realised"
            ),
            _flag(or_(sums.c.expected_hours.is_not(None), sums.c.expected_nok.is_not(None))).label(
                "has_expected"
            ),
        )
        .select_from(sums)
        .join(Adoption, Adoption.id == sums.c.adoption_id)
        .join(Solution, Solution.id == Adoption.solution_id)
        # Said here: CREATE TABLE … AS is not an ORM query, so drafts are not left out for it
        # as they are for the rows counted beside it.
        .where(Adoption.status.in_(PORTFOLIO_STATUSES), Solution.is_draft.is_(False))
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _grouped(rows: Table, *keys: Any, join: tuple[Any, Any] | None = None) -> Any:
    """Sum ``rows`` (one per portfolio row) by ``keys`` and known-ness: keys, flags, sums, count."""
    query = select(
        *keys,
        *(rows.c[flag] for flag in FLAGS),
        *(func.sum(rows.c[name]) for name in ALL_FIELDS),
        func.count(),
    ).select_from(rows)
    if join is not None:
        query = query.join(*join)
    return query.group_by(*keys, *(rows.c[flag] for flag in FLAGS))


def _figures(values: Sequence[Any], rate: Decimal) -> Figures:
    """Return the ``Figures`` of sums given in the order of COST_FIELDS then BENEFIT_FIELDS."""
    named = dict(zip(ALL_FIELDS, values, strict=True))
    return Figures(
        rate,
        **{
            name: None if named[name] is None else Decimal(named[name])
            for name in (*COST_FIELDS[:4], *BENEFIT_FIELDS[:4])
        },
        **{
            name: int(named[name] or 0)
            for name in ("cost_rows", "benefits", "other_benefits", "overdue_reviews")
        },
    )


def _group(row: Sequence[Any], rate: Decimal) -> tuple[Figures, int]:
    """Return (sums, number of rows) of a row of ``_grouped``: flags, sums, count."""
    return _figures(row[len(FLAGS) : -1], rate), int(row[-1])


# --- A kommune's rows: its own adoptions and its share of its samarbeid's -----------------------


def _kommune_groups(
    facts: Table, today: date, rate: Decimal
) -> dict[int, list[tuple[Figures, int]]]:
    """Return, per member organisation, the sums of its portfolio rows by known-ness.

    The database lists every piece with a figure of a kommune's row for a solution (its own
    adoption, a samarbeid adoption's benefits, the samarbeid's costs by split rule), marks
    each piece with its row's known-ness and its first piece, and adds the pieces up by member,
    known-ness and how the piece is shared. The shares are worked out here, one per samarbeid
    and rule, by ``costs.member_shares``. The rows without any piece are counted apart.
    """
    pieces = _pieces(facts, today).subquery()
    row = (pieces.c.member_id, pieces.c.solution_id)
    flags = [func.max(pieces.c[flag]).over(partition_by=row).label(flag) for flag in FLAGS]
    first = case(
        (func.row_number().over(partition_by=row, order_by=pieces.c.source_id) == 1, 1), else_=0
    )
    marked = select(
        pieces.c.member_id,
        pieces.c.source_id,
        pieces.c.share_rule,
        pieces.c.fraction,
        *flags,
        *(pieces.c[name] for name in ALL_FIELDS),
        first.label("first"),
    ).subquery()
    keys = (marked.c.member_id, *(marked.c[flag] for flag in FLAGS))
    shared_by = (marked.c.source_id, marked.c.share_rule, marked.c.fraction)
    summed = db.session.execute(
        select(
            *keys,
            *shared_by,
            *(func.sum(marked.c[name]) for name in ALL_FIELDS),
            func.sum(marked.c.first),
        ).group_by(*keys, *shared_by)
    ).all()
    members = _members()
    sums: dict[tuple[int, tuple[int, ...]], Figures] = {}
    rows: dict[tuple[int, tuple[int, ...]], int] = defaultdict(int)
    for member_id, *rest in summed:
        group = (member_id, tuple(rest[: len(FLAGS)]))
        source_id, rule, fraction = rest[len(FLAGS) : len(FLAGS) + 3]
        share = _share(member_id, source_id, rule, fraction, members)
        sums.setdefault(group, Figures(rate)).absorb(
            _figures(rest[len(FLAGS) + 3 : -1], rate), share
        )
        rows[group] += int(rest[-1] or 0)
    per_member: dict[int, list[tuple[Figures, int]]] = defaultdict(list)
    for (member_id, known), total in sums.items():
        per_member[member_id].append((total, rows[(member_id, known)]))
    return {
        member_id: _with_rest(per_member.get(member_id, []), count, rate)
        for member_id, count in _kommune_rows().items()
    }


def _kommune_rows() -> dict[int, int]:
    """Return how many portfolio rows each kommune has: the solutions it adopted itself or
    through a samarbeid it is a member of, each once."""
    kommuner, members = _of_kind("kommune"), collaboration_members.c
    rows = union(
        _portfolio_adoptions(Adoption.organisation_id, Adoption.solution_id).where(
            Adoption.organisation_id.in_(kommuner)
        ),
        _portfolio_adoptions(members.member_id, Adoption.solution_id)
        .join(collaboration_members, members.collaboration_id == Adoption.organisation_id)
        .where(members.member_id.in_(kommuner)),
    ).subquery()
    key = rows.c[0]
    return dict(db.session.execute(select(key, func.count()).group_by(key)).all())


OWN, BENEFITS, EQUAL, CUSTOM = "own", "benefits", "equal", "custom"
"""How a piece is shared: in full (the member's own adoption), the samarbeid's benefits split
equally, a cost by explicit shares; otherwise the piece's rule is a ``member_shares`` rule
(``equal`` also for a samarbeid adoption's costs and benefits together, when every cost of it is
split equally: the benefits are split equally too)."""
UNEQUAL_RULES = ("population", CUSTOM)
"""The split rules that give members other parts than the benefits' equal ones."""


def _pieces(facts: Table, today: date) -> Any:
    """Every piece of every member's portfolio rows, as one union of four kinds of piece."""

    def piece(
        member: Any, source: Any, rule: Any, fraction: Any, values: dict[str, Any], known: Any
    ) -> list[ColumnElement[Any]]:
        return [
            member.label("member_id"),
            facts.c.solution_id.label("solution_id"),
            cast(source, Integer).label("source_id"),
            cast(rule, String).label("share_rule"),
            cast(fraction, Numeric(9, 6)).label("fraction"),
            *(values[n].label(n) if n in values else _nothing(n) for n in ALL_FIELDS),
            *(cast(flag, Integer).label(name) for name, flag in zip(FLAGS, known, strict=True)),
        ]

    samarbeid, kommuner = _of_kind("samarbeid"), _of_kind("kommune")
    members = collaboration_members.c
    all_facts = {name: facts.c[name] for name in ALL_FIELDS}
    own = select(
        *piece(
            facts.c.organisation_id,
            literal(0),
            literal(OWN),
            null(),
            all_facts,
            (facts.c.has_costs, facts.c.has_realised, facts.c.has_expected),
        )
    ).where(facts.c.organisation_id.in_(kommuner))
    whole = (  # a samarbeid adoption whose costs are all split equally: one piece, 1/n of all
        select(
            *piece(
                members.member_id,
                facts.c.organisation_id,
                literal(EQUAL),
                null(),
                all_facts,
                (facts.c.has_costs, facts.c.has_realised, facts.c.has_expected),
            )
        )
        .select_from(facts)
        .join(collaboration_members, members.collaboration_id == facts.c.organisation_id)
        .where(facts.c.unequal_costs == 0, members.member_id.in_(kommuner))
    )
    shared = (  # otherwise its benefits are one piece, 1/n of them, and its costs by rule
        select(
            *piece(
                members.member_id,
                facts.c.organisation_id,
                literal(BENEFITS),
                null(),
                {name: facts.c[name] for name in BENEFIT_FIELDS},
                (literal(0), facts.c.has_realised, facts.c.has_expected),
            )
        )
        .select_from(facts)
        .join(collaboration_members, members.collaboration_id == facts.c.organisation_id)
        .where(facts.c.unequal_costs > 0, facts.c.benefits > 0, members.member_id.in_(kommuner))
    )
    rule = case((AdoptionCost.split_rule == "population", "population"), else_="equal")
    by_rule = (
        select(
            *piece(
                members.member_id,
                facts.c.organisation_id,
                rule,
                null(),
                {c.name: c for c in _cost_sums()},
                (literal(1), literal(0), literal(0)),
            )
        )
        .select_from(facts)
        .join(collaboration_members, members.collaboration_id == facts.c.organisation_id)
        .join(AdoptionCost, AdoptionCost.adoption_id == facts.c.adoption_id)
        .where(
            _running(today),
            or_(AdoptionCost.split_rule.is_(None), AdoptionCost.split_rule != CUSTOM),
            facts.c.unequal_costs > 0,
            facts.c.organisation_id.in_(samarbeid),
            members.member_id.in_(kommuner),
        )
        .group_by(members.member_id, facts.c.solution_id, facts.c.organisation_id, rule)
    )
    custom = (
        select(
            *piece(
                CostShare.organisation_id,
                facts.c.organisation_id,
                literal(CUSTOM),
                CostShare.fraction,
                {c.name: c for c in _cost_sums()},
                (literal(1), literal(0), literal(0)),
            )
        )
        .select_from(facts)
        .join(AdoptionCost, AdoptionCost.adoption_id == facts.c.adoption_id)
        .join(CostShare, CostShare.cost_id == AdoptionCost.id)
        .where(
            _running(today),
            AdoptionCost.split_rule == CUSTOM,
            facts.c.organisation_id.in_(samarbeid),
            CostShare.organisation_id.in_(kommuner),
        )
        .group_by(
            CostShare.organisation_id,
            facts.c.solution_id,
            facts.c.organisation_id,
            CostShare.fraction,
        )
    )
    return union_all(own, whole, shared, by_rule, custom)


def _members() -> dict[int, list[tuple[int, int | None]]]:
    """Return each samarbeid's members as (organisation id, population) pairs."""
    members: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for collaboration_id, organisation_id, population in db.session.execute(
        select(collaboration_members.c.collaboration_id, Organisation.id, Organisation.population)
        .join(Organisation, Organisation.id == collaboration_members.c.member_id)
        .order_by(collaboration_members.c.collaboration_id, Organisation.id)
    ):
        members[collaboration_id].append((organisation_id, population))
    return members


def _share(
    member_id: int,
    source_id: int,
    rule: str,
    fraction: Decimal | None,
    members: dict[int, list[tuple[int, int | None]]],
) -> Decimal:
    """Return the member's part of a piece shared as ``rule`` by samarbeid ``source_id``."""
    if rule == OWN:
        return Decimal(1)
    if rule == CUSTOM:
        return Decimal(fraction or 0)
    if rule == BENEFITS:
        return Decimal(1) / Decimal(len(members[source_id]) or 1)
    shares = member_shares(rule, members[source_id])
    return next((s.fraction for s in shares if s.organisation_id == member_id), Decimal(0))


__all__ = ["KommuneRef", "RegionInvestment", "region_investment"]
