"""Suggestions: solutions similar to a solution, and solutions a kommune's peers use.

Both are plain counting over the database, explainable on the page in one sentence:
- similar solutions share tags, standards, themes and kind (weighted in ``SIMILARITY_WEIGHTS``);
- a reuse suggestion is a solution that the organisation's peers use and it does not. Its peers
  are the fellow members of each collaboration it belongs to, and the kommuner whose use of
  solutions overlaps most with its own ("kommuner som ligner"). A solution scores the share of
  each peer group that uses it, summed over the groups, so use among close peers counts most.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from app.models.solution import SolutionTag, solution_standards, solution_themes
from app.services.overview import card_loader_options
from app.services.position_cache import ORGANISATIONS_KEPT, per_position

SIMILARITY_WEIGHTS = {"tag": 3.0, "standard": 2.0, "theme": 1.5, "kind": 1.0}
"""How much one shared tag, standard, theme or the same kind adds to the similarity score."""

SIMILAR_KOMMUNER = 5
"""How many of the most similar kommuner form the "similar kommuner" peer group."""

_ACTIVE = Adoption.status.in_(ACTIVE_ADOPTION_STATUSES)


@dataclass(frozen=True)
class PeerUsage:
    """How many of one peer group use a suggested solution."""

    group_name: str
    collaboration: Organisation | None  # None: the group of similar kommuner
    users: list[Organisation]
    group_size: int


@dataclass(frozen=True)
class ReuseSuggestion:
    """A solution the organisation's peers use and it does not (yet)."""

    solution: Solution
    score: float
    peers: list[PeerUsage]
    own_status: str | None  # considering / planned / retired, when the organisation has one


def _shared_counts(
    column: ColumnElement[int], key_column: ColumnElement[Any], keys: Sequence[Any]
) -> dict[int, int]:
    """Return solution id → how many of ``keys`` it shares (one grouped query)."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(column, func.count()).where(key_column.in_(keys)).group_by(column)
    ).all()
    return dict(rows)


def similar_solutions(solution: Solution, limit: int = 4) -> list[Solution]:
    """Return the solutions most like ``solution`` by shared tags, standards, themes and kind."""
    scores: dict[int, float] = defaultdict(float)
    parts = (
        ("tag", SolutionTag.solution_id, SolutionTag.tag, solution.tags),
        (
            "standard",
            solution_standards.c.solution_id,
            solution_standards.c.standard_id,
            [s.id for s in solution.standards],
        ),
        (
            "theme",
            solution_themes.c.solution_id,
            solution_themes.c.theme_id,
            [t.id for t in solution.themes],
        ),
    )
    for name, column, key_column, keys in parts:
        for solution_id, shared in _shared_counts(column, key_column, keys).items():
            scores[solution_id] += SIMILARITY_WEIGHTS[name] * shared
    scores.pop(solution.id, None)
    if not scores:
        return []
    same_kind = set(
        db.session.scalars(
            select(Solution.id).where(Solution.id.in_(scores), Solution.kind == solution.kind)
        )
    )
    for solution_id in same_kind:
        scores[solution_id] += SIMILARITY_WEIGHTS["kind"]
    best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
    found = {
        s.id: s
        for s in db.session.scalars(
            select(Solution).where(Solution.id.in_(best)).options(*card_loader_options())
        )
    }
    return [found[i] for i in best if i in found]


def _kommune_use_counts(organisation_ids: Sequence[int]) -> dict[int, int]:
    """Return organisation id → how many solutions it uses (pilot or in use), for these ids."""
    rows = db.session.execute(
        select(Adoption.organisation_id, func.count())
        .where(Adoption.organisation_id.in_(organisation_ids), _ACTIVE)
        .group_by(Adoption.organisation_id)
    )
    return {org_id: count for org_id, count in rows}


def _similar_kommuner(organisation: Organisation) -> list[Organisation]:
    """Return the kommuner whose use overlaps most with the organisation's (Jaccard index)."""
    own = db.session.scalar(
        select(func.count()).where(Adoption.organisation_id == organisation.id, _ACTIVE)
    )
    if not own:
        return []
    # Start from the organisation's own solutions and ask who else uses them: both steps are
    # lookups in the (organisation, status) and (solution, status) indexes.
    own_solutions = select(Adoption.solution_id).where(
        Adoption.organisation_id == organisation.id, _ACTIVE
    )
    overlap_rows = db.session.execute(
        select(Adoption.organisation_id, func.count())
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .where(
            Adoption.solution_id.in_(own_solutions),
            _ACTIVE,
            Adoption.organisation_id != organisation.id,
            Organisation.kind == "kommune",
        )
        .group_by(Adoption.organisation_id)
    ).all()
    sizes = _kommune_use_counts([org_id for org_id, _ in overlap_rows])
    ranked = sorted(
        ((overlap / (own + sizes[org_id] - overlap), org_id) for org_id, overlap in overlap_rows),
        key=lambda item: (-item[0], item[1]),
    )[:SIMILAR_KOMMUNER]
    found = {
        o.id: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([i for _, i in ranked]))
        )
    }
    return [found[org_id] for _, org_id in ranked]


PeerGroup = tuple[str, int | None, tuple[int, ...]]
"""A peer group as kept: (name, collaboration id or None for "similar", member ids)."""


def _peer_groups(organisation: Organisation) -> list[PeerGroup]:
    """Return the peer groups: the fellow members of each collaboration, then similar kommuner."""
    groups: list[PeerGroup] = []
    for collaboration in organisation.collaborations:
        fellows = tuple(m.id for m in collaboration.members if m.id != organisation.id)
        if fellows:
            groups.append((collaboration.name, collaboration.id, fellows))
    similar = _similar_kommuner(organisation)
    if similar:
        groups.append(("", None, tuple(o.id for o in similar)))
    return groups


@dataclass(frozen=True)
class _Scored:
    """The best suggestions of one organisation, as plain ids (kept per catalogue position)."""

    groups: list[PeerGroup]
    scale: int
    best: list[tuple[int, float]]  # (solution id, score × scale)
    users: dict[int, frozenset[int]]  # solution id → the peers that use it
    own_statuses: dict[int, str]  # solution id → the organisation's own status, where it has one


def reuse_suggestions(organisation: Organisation, limit: int = 6) -> list[ReuseSuggestion]:
    """Return solutions that the organisation's peers use and it neither owns nor uses.

    Scoring reads every adoption of the peers, most of the catalogue's at national size, so the
    scores are kept per catalogue position for each organisation (``position_cache``); a
    request then loads only the few solutions and organisations they name.
    """
    scored = per_position(
        "reuse_suggestions",
        lambda: _score(organisation, limit),
        key=(organisation.id, limit),
        keep=ORGANISATIONS_KEPT,
    )
    if not scored.best:
        return []
    ids = [solution_id for solution_id, _ in scored.best]
    found = {
        s.id: s
        for s in db.session.scalars(
            select(Solution).where(Solution.id.in_(ids)).options(*card_loader_options())
        )
    }
    named = {i for _, collaboration, members in scored.groups for i in members}
    named |= {collaboration for _, collaboration, _ in scored.groups if collaboration is not None}
    organisations = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(named)))
    }
    suggestions = []
    for solution_id, total in scored.best:
        if solution_id not in found:
            continue  # deleted since the scores were kept
        users = scored.users.get(solution_id, frozenset())
        peers = [
            PeerUsage(
                name,
                None if collaboration is None else organisations.get(collaboration),
                used,
                len(members),
            )
            for name, collaboration, members in scored.groups
            if (used := [organisations[m] for m in members if m in users and m in organisations])
        ]
        suggestions.append(
            ReuseSuggestion(
                found[solution_id],
                total / scored.scale,
                peers,
                scored.own_statuses.get(solution_id),
            )
        )
    return suggestions


def _score(organisation: Organisation, limit: int) -> _Scored:
    """Score the solutions the organisation's peers use and keep the best ``limit``."""
    groups = _peer_groups(organisation)
    # A peer's use adds 1/size for each of the organisation's groups the peer is in, so the
    # database can add the scores up and hand back only the best few.
    weights: dict[int, float] = defaultdict(float)
    # Scaled by the group sizes' least common multiple, every weight is a whole number, so the
    # sums are exact whatever order the database adds in, and equal scores tie exactly (then
    # the lower solution id comes first).
    scale = math.lcm(*(len(members) for _, _, members in groups)) if groups else 1
    for _, _, members in groups:
        for member in members:
            weights[member] += scale / len(members)
    if not weights:
        return _Scored(groups, scale, [], {}, {})
    own = aliased(Adoption)
    in_use = select(own.solution_id).where(
        own.organisation_id == organisation.id, own.status.in_(ACTIVE_ADOPTION_STATUSES)
    )
    # Add up the peers' use per solution first (from the index alone), then look at only the
    # solutions that scored: joining every adoption to its solution row costs more than the sum.
    scores = (
        select(
            Adoption.solution_id,
            func.sum(case(weights, value=Adoption.organisation_id, else_=0.0)).label("score"),
        )
        .where(
            _ACTIVE,
            Adoption.organisation_id.in_(weights),
            Adoption.solution_id.not_in(in_use),
        )
        .group_by(Adoption.solution_id)
        .subquery()
    )
    best = [
        (solution_id, float(score))
        for solution_id, score in db.session.execute(
            select(scores.c.solution_id, scores.c.score)
            .join(Solution, Solution.id == scores.c.solution_id)
            # Never what it owns, already uses, or what the owner has retired.
            .where(Solution.owner_id != organisation.id, Solution.status != "retired")
            .order_by(scores.c.score.desc(), scores.c.solution_id)
            .limit(limit)
        )
    ]
    ids = [solution_id for solution_id, _ in best]
    users: dict[int, set[int]] = defaultdict(set)
    for solution_id, org_id in db.session.execute(
        select(Adoption.solution_id, Adoption.organisation_id).where(
            Adoption.solution_id.in_(ids), _ACTIVE, Adoption.organisation_id.in_(weights)
        )
    ):
        users[solution_id].add(org_id)
    own_statuses = dict(
        db.session.execute(
            select(Adoption.solution_id, Adoption.status).where(
                Adoption.organisation_id == organisation.id, Adoption.solution_id.in_(ids)
            )
        ).all()
    )
    return _Scored(groups, scale, best, {i: frozenset(u) for i, u in users.items()}, own_statuses)
