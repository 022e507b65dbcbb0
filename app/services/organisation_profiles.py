"""Read organisations for the pages: the directory with counts, and one organisation's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from app.services.organisations import with_counts
from app.services.overview import SolutionCard, active_users, cards_of
from app.services.position_cache import ORGANISATIONS_KEPT, per_position
from app.services.references import get_organisation

ORGANISATION_KIND_ORDER = ("kommune", "fylkeskommune", "samarbeid", "other")
"""Order of the groups in the directory: kommuner first."""


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation with how many solutions it shares and how many it uses."""

    organisation: Organisation
    shared: int
    using: int


@dataclass(frozen=True)
class UsedSolution:
    """One of an organisation's adoptions as its page lists it: which solution, whose, how far.

    Only the columns the page shows, read in one query: a kommune can have thousands of
    adoptions, and whole Adoption and Solution rows for each would cost more than the page.
    """

    adoption_id: int
    slug: str
    name: str
    owner: Organisation
    status: str
    since: date | None

    @property
    def is_active(self) -> bool:
        """Return whether the organisation uses the solution (pilot or in use)."""
        return self.status in ACTIVE_ADOPTION_STATUSES


@dataclass
class OrganisationProfile:
    """Everything the page of one organisation shows.

    ``shared`` and ``adoptions`` hold the rows the page shows, which may be the first few of
    many (Trondheim shares thousands at national scale); the totals count them all.
    """

    organisation: Organisation
    shared: list[SolutionCard]
    adoptions: list[UsedSolution]
    shared_total: int
    active_total: int
    planned_total: int
    collaborations: list[Organisation] = field(default_factory=list)
    members: list[Organisation] = field(default_factory=list)

    @property
    def active_adoptions(self) -> list[UsedSolution]:
        """Return the shown adoptions in pilot or in use."""
        return [a for a in self.adoptions if a.is_active]

    @property
    def planned_adoptions(self) -> list[UsedSolution]:
        """Return the shown adoptions not (or no longer) in use: considering, planned, retired."""
        return [a for a in self.adoptions if not a.is_active]

    @property
    def adoption_total(self) -> int:
        """Return how many adoptions the organisation has, in any status."""
        return self.active_total + self.planned_total

    @property
    def more_shared(self) -> bool:
        """Return whether the organisation shares more solutions than ``shared`` holds."""
        return self.shared_total > len(self.shared)

    @property
    def more_adoptions(self) -> bool:
        """Return whether the organisation has more adoptions than ``adoptions`` holds."""
        return self.adoption_total > len(self.adoptions)


def _directory_order(organisation: Organisation) -> tuple[int, str, str]:
    kind = organisation.kind
    rank = ORGANISATION_KIND_ORDER.index(kind) if kind in ORGANISATION_KIND_ORDER else 99
    return rank, organisation.kommunenummer or "", organisation.name.lower()


def list_organisation_summaries() -> list[OrganisationSummary]:
    """Return every organisation with its counts: kommuner by number, then the others by name.

    The counts are the API's (``organisations.with_counts``): published solutions shared,
    solutions used in pilot or in production.
    """
    organisations = sorted(
        db.session.scalars(select(Organisation).options(*with_counts())), key=_directory_order
    )
    return [
        OrganisationSummary(o, o.solution_count or 0, o.adoption_count or 0) for o in organisations
    ]


def list_kommuner() -> list[Organisation]:
    """Return the kommuner by kommunenummer."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == "kommune")
            .order_by(Organisation.kommunenummer, Organisation.name)
        )
    )


def get_organisation_profile(
    ref: str, *, shared_limit: int | None = None, adoption_limit: int | None = None
) -> OrganisationProfile:
    """Return an organisation (kommunenummer or slug) with what it shares and uses.

    :param shared_limit: how many shared solutions to read, the most reused first (then by
        name); ``None`` reads them all.
    :param adoption_limit: how many adoptions to read, by solution name; ``None`` reads all.
    """
    organisation = get_organisation(ref)
    active_total, planned_total = _adoption_totals(organisation)
    return OrganisationProfile(
        organisation=organisation,
        shared=_shared_cards(organisation, shared_limit),
        adoptions=_used_solutions(organisation, adoption_limit),
        shared_total=_shared_total(organisation),
        active_total=active_total,
        planned_total=planned_total,
        collaborations=list(organisation.collaborations),
        members=list(organisation.members),
    )


def _shared_cards(organisation: Organisation, limit: int | None) -> list[SolutionCard]:
    """Return the organisation's solutions as cards: the most reused first, then by name.

    Ranking counts the users of every solution it owns (tens of thousands for a national
    owner), so the first ``limit`` are kept per catalogue position (``position_cache``) and
    only they are loaded.
    """
    if limit is None:
        ranked = _most_reused(organisation.id, None)
    else:
        ranked = per_position(
            "shared_cards",
            lambda: _most_reused(organisation.id, limit),
            key=(organisation.id, limit),
            keep=ORGANISATIONS_KEPT,
        )
    return cards_of(ranked)


def _most_reused(owner_id: int, limit: int | None) -> list[tuple[int, int]]:
    """Return (solution id, users) of the owner's solutions: the most reused first, by name."""
    users = active_users().label("users")
    return [
        (solution_id, int(count))
        for solution_id, count in db.session.execute(
            select(Solution.id, users)
            .where(Solution.owner_id == owner_id)
            .order_by(users.desc(), Solution.name, Solution.id)
            .limit(limit)
        )
    ]


def _shared_total(organisation: Organisation) -> int:
    """Count the solutions the organisation shares (published ones: drafts are never counted)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Solution).where(Solution.owner_id == organisation.id)
        )
        or 0
    )


def _used_solutions(organisation: Organisation, limit: int | None) -> list[UsedSolution]:
    """Return the organisation's adoptions by solution name, only the columns the page shows."""
    rows = db.session.execute(
        select(
            Adoption.id,
            Solution.slug,
            Solution.name,
            Solution.owner_id,
            Adoption.status,
            Adoption.since,
        )
        .join(Adoption.solution)
        .where(Adoption.organisation_id == organisation.id)
        .order_by(Solution.name, Adoption.id)
        .limit(limit)
    ).all()
    owners = _organisations_by_id({row.owner_id for row in rows})
    return [
        UsedSolution(adoption_id, slug, name, owners[owner_id], status, since)
        for adoption_id, slug, name, owner_id, status, since in rows
    ]


def _adoption_totals(organisation: Organisation) -> tuple[int, int]:
    """Count the organisation's adoptions in pilot or in use, and those in the other statuses."""
    # Joined to the solution, as the rows are, so an adoption of a draft counts in neither.
    by_status = db.session.execute(
        select(Adoption.status, func.count())
        .join(Adoption.solution)
        .where(Adoption.organisation_id == organisation.id)
        .group_by(Adoption.status)
    ).all()
    active = sum(n for status, n in by_status if status in ACTIVE_ADOPTION_STATUSES)
    return active, sum(n for _, n in by_status) - active


def _organisations_by_id(ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    return {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
