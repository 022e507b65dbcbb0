"""Read organisations for the pages: the directory with counts, and one organisation's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from app.services.overview import SolutionCard, solution_cards
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
    """Everything the page of one organisation shows."""

    organisation: Organisation
    shared: list[SolutionCard]
    adoptions: list[UsedSolution]
    collaborations: list[Organisation] = field(default_factory=list)
    members: list[Organisation] = field(default_factory=list)

    @property
    def active_adoptions(self) -> list[UsedSolution]:
        """Return the adoptions in pilot or in use."""
        return [a for a in self.adoptions if a.is_active]

    @property
    def planned_adoptions(self) -> list[UsedSolution]:
        """Return the adoptions not (or no longer) in use: considering, planned, retired."""
        return [a for a in self.adoptions if not a.is_active]


def _directory_order(organisation: Organisation) -> tuple[int, str, str]:
    kind = organisation.kind
    rank = ORGANISATION_KIND_ORDER.index(kind) if kind in ORGANISATION_KIND_ORDER else 99
    return rank, organisation.kommunenummer or "", organisation.name.lower()


def list_organisation_summaries() -> list[OrganisationSummary]:
    """Return every organisation with its counts: kommuner by number, then the others by name."""
    shared = dict(
        db.session.execute(
            select(Solution.owner_id, func.count()).group_by(Solution.owner_id)
        ).all()
    )
    using = dict(
        db.session.execute(
            select(Adoption.organisation_id, func.count())
            .where(Adoption.status.in_(ACTIVE_ADOPTION_STATUSES))
            .group_by(Adoption.organisation_id)
        ).all()
    )
    organisations = sorted(db.session.scalars(select(Organisation)), key=_directory_order)
    return [OrganisationSummary(o, shared.get(o.id, 0), using.get(o.id, 0)) for o in organisations]


def list_kommuner() -> list[Organisation]:
    """Return the kommuner by kommunenummer."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == "kommune")
            .order_by(Organisation.kommunenummer, Organisation.name)
        )
    )


def get_organisation_profile(ref: str) -> OrganisationProfile:
    """Return an organisation (kommunenummer or slug) with what it shares and uses."""
    organisation = get_organisation(ref)
    shared = solution_cards(
        select(Solution).where(Solution.owner_id == organisation.id).order_by(Solution.name)
    )
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
    ).all()
    owners = _organisations_by_id({row.owner_id for row in rows})
    return OrganisationProfile(
        organisation=organisation,
        shared=shared,
        adoptions=[
            UsedSolution(adoption_id, slug, name, owners[owner_id], status, since)
            for adoption_id, slug, name, owner_id, status, since in rows
        ],
        collaborations=list(organisation.collaborations),
        members=list(organisation.members),
    )


def _organisations_by_id(ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    return {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
