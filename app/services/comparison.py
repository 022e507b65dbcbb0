"""Compare kommuner: what each uses, side by side, grouped by theme, and what only one uses.

"What does Trondheim run that we don't?" is the question: a row is a solution that at least one
of the compared organisations uses (pilot or in use); its cells give each organisation's
adoption status, whatever it is (planning it counts as a status too, so a partner shows); and a
row used by exactly one of them is "only there".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.collation import norwegian_key
from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution, Theme
from app.services.errors import InvalidData
from app.services.references import organisation_query

MAX_COMPARED = 4
"""Most organisations one comparison holds (more no longer fits side by side)."""

MIN_COMPARED = 2

NO_THEME = "uten-tema"
"""What ``theme`` is for the group of solutions without a theme (no LOS theme has this slug)."""


@dataclass(frozen=True)
class ComparedRow:
    """One solution and each compared organisation's adoption status (None: no adoption)."""

    solution: Solution
    organisations: tuple[Organisation, ...]
    """The compared organisations (the comparison's columns)."""
    statuses: tuple[str | None, ...]
    only: Organisation | None
    """The one compared organisation that uses it, when only one does."""

    @property
    def status_by_slug(self) -> dict[str, str | None]:
        """Return organisation slug → its adoption status (None: it has none)."""
        return {o.slug: s for o, s in zip(self.organisations, self.statuses, strict=True)}

    def uses(self, column: int) -> bool:
        """Return whether the organisation in ``column`` uses the solution (pilot or in use)."""
        return self.statuses[column] in ACTIVE_ADOPTION_STATUSES


@dataclass(frozen=True)
class ThemeGroup:
    """The rows of one theme (None: solutions without a theme)."""

    theme: Theme | None
    rows: list[ComparedRow]

    @property
    def key(self) -> str:
        """Return what ``compare(theme=…)`` takes to show this group alone."""
        return self.theme.slug if self.theme else NO_THEME


@dataclass(frozen=True)
class OrganisationTotals:
    """What one compared organisation uses, and how much of it none of the others does."""

    organisation: Organisation
    uses: int
    only_here: int


@dataclass(frozen=True)
class Comparison:
    """The compared organisations (the columns, in the order asked) and the grouped rows."""

    organisations: list[Organisation]
    groups: list[ThemeGroup]
    totals: list[OrganisationTotals]
    shared_by_all: int
    """Solutions every compared organisation uses."""
    theme: str | None = None
    """The one group asked for (its ``ThemeGroup.key``); None: every group."""


def parse_refs(values: Sequence[str]) -> list[str]:
    """Return the organisation refs in ``values`` (each may be a comma-separated list), in
    order, without blanks or repeats."""
    refs = [part.strip() for value in values for part in value.split(",")]
    return list(dict.fromkeys(ref for ref in refs if ref))


def _invalid(message: str) -> InvalidData:
    return InvalidData("Validation failed.", {"kommuner": [message]})


def resolve_compared(refs: Sequence[str]) -> list[Organisation]:
    """Return the organisations ``refs`` name (kommunenummer or slug), or raise InvalidData on
    ``kommuner``: fewer than two, more than four, or one that does not exist."""
    if len(refs) > MAX_COMPARED:
        raise _invalid(f"Compare at most {MAX_COMPARED} organisations; {len(refs)} were given.")
    if len(refs) < MIN_COMPARED:
        raise _invalid(f"Give {MIN_COMPARED} to {MAX_COMPARED} kommunenummer or slugs to compare.")
    found = resolve_known(refs)
    if len(found) < MIN_COMPARED:
        raise _invalid("The same organisation was given twice; give two different ones.")
    return found


def resolve_known(refs: Sequence[str]) -> list[Organisation]:
    """Return the organisations ``refs`` names, once each, or raise InvalidData on
    ``kommuner`` naming the first that does not exist."""
    found: list[Organisation] = []
    for ref in refs:
        query = organisation_query(ref)
        organisation = db.session.scalar(query) if query is not None else None
        if organisation is None:
            raise _invalid(
                f"No organisation '{ref}' in the catalogue (give a kommunenummer or a slug)."
            )
        if organisation not in found:
            found.append(organisation)
    return found


def compare(refs: Sequence[str], *, theme: str | None = None) -> Comparison:
    """Compare the organisations ``refs`` names; raise InvalidData for bad refs.

    ``theme`` (a theme's slug, or ``NO_THEME``) keeps only that group of rows; the totals stay
    those of the whole comparison. A theme none of the rows falls under gives no groups; one
    that does not exist is InvalidData naming ``theme``.
    """
    organisations = resolve_compared(refs)
    if (
        theme
        and theme != NO_THEME
        and db.session.scalar(select(Theme.id).where(Theme.slug == theme)) is None
    ):
        raise InvalidData("Validation failed.", {"theme": [f"Unknown theme: {theme}."]})
    columns = {organisation.id: i for i, organisation in enumerate(organisations)}
    adoptions = db.session.scalars(
        select(Adoption)
        .where(Adoption.organisation_id.in_(columns))
        .options(
            joinedload(Adoption.solution).options(
                joinedload(Solution.owner), selectinload(Solution.themes)
            )
        )
    ).all()
    statuses: dict[int, list[str | None]] = {}
    solutions: dict[int, Solution] = {}
    for adoption in adoptions:
        solutions[adoption.solution_id] = adoption.solution
        row = statuses.setdefault(adoption.solution_id, [None] * len(organisations))
        row[columns[adoption.organisation_id]] = adoption.status
    columns_of_rows = tuple(organisations)
    rows: list[ComparedRow] = []
    for solution_id, row in statuses.items():
        users = [i for i, status in enumerate(row) if status in ACTIVE_ADOPTION_STATUSES]
        if users:
            only = organisations[users[0]] if len(users) == 1 else None
            rows.append(ComparedRow(solutions[solution_id], columns_of_rows, tuple(row), only))
    groups = _grouped(rows)
    if theme:
        groups = [group for group in groups if group.key == theme]
    return Comparison(
        organisations=organisations,
        groups=groups,
        theme=theme or None,
        totals=[
            OrganisationTotals(
                organisation,
                uses=sum(row.uses(i) for row in rows),
                only_here=sum(row.only is organisation for row in rows),
            )
            for i, organisation in enumerate(organisations)
        ],
        shared_by_all=sum(all(row.uses(i) for i in range(len(organisations))) for row in rows),
    )


def _grouped(rows: list[ComparedRow]) -> list[ThemeGroup]:
    """Return the rows under their first theme (by name), themes and rows alphabetically;
    solutions without a theme last."""
    by_theme: dict[int | None, list[ComparedRow]] = {}
    themes: dict[int | None, Theme | None] = {None: None}
    for row in rows:
        theme = row.solution.themes[0] if row.solution.themes else None
        key = theme.id if theme else None
        themes[key] = theme
        by_theme.setdefault(key, []).append(row)
    keys = sorted(
        by_theme, key=lambda k: (k is None, norwegian_key(themes[k].name) if themes[k] else "")
    )
    return [
        ThemeGroup(themes[key], sorted(by_theme[key], key=lambda r: norwegian_key(r.solution.name)))
        for key in keys
    ]


def compare_choices() -> list[Organisation]:
    """Return the organisations a comparison can pick: kommuner by number, then the rest by
    name."""
    organisations = db.session.scalars(select(Organisation)).all()
    return sorted(
        organisations,
        key=lambda o: (o.kind != "kommune", o.kommunenummer or "", norwegian_key(o.name)),
    )
