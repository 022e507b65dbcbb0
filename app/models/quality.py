"""Is an entry still true, and is it complete? Rules on a solution's own fields, no database.

They sit beside the models because the API schemas, the pages and the search index all show
them, and none of those may import the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.models.base import utcnow

if TYPE_CHECKING:
    from app.models.solution import Solution

REVIEW_AFTER_MONTHS = 12
"""An entry nobody has confirmed for this long needs review."""

STALE_AFTER_MONTHS = 24
"""An entry nobody has confirmed for this long is stale: treat what it says with care."""

FRESHNESS_STATES = ("current", "needs_review", "stale")
"""How current an entry is, from its last confirmation."""

DESCRIPTION_MIN_CHARS = 200
"""A description shorter than this rarely tells a newcomer enough to adopt the solution."""


def today() -> date:
    """Return today's date in UTC (the catalogue's clock for confirmation dates)."""
    return utcnow().date()


def months_later(day: date, months: int) -> date:
    """Return the same day ``months`` later (the last day of the month when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class Freshness:
    """How current an entry is: its state, when it was confirmed and when review falls due."""

    state: str
    last_confirmed_on: date | None
    review_due_on: date | None
    stale_on: date | None


def freshness_of(solution: Solution, on: date | None = None) -> Freshness:
    """Return how current ``solution`` is on ``on`` (today by default).

    An entry never confirmed (a row the migration could not date) counts as stale: nothing
    says it was ever checked.
    """
    on = on or today()
    confirmed = solution.last_confirmed_on
    if confirmed is None:
        return Freshness("stale", None, None, None)
    review_due = months_later(confirmed, REVIEW_AFTER_MONTHS)
    stale_on = months_later(confirmed, STALE_AFTER_MONTHS)
    if on >= stale_on:
        state = "stale"
    elif on >= review_due:
        state = "needs_review"
    else:
        state = "current"
    return Freshness(state, confirmed, review_due, stale_on)


def needing_review(solutions: Iterable[Solution], on: date | None = None) -> list[Solution]:
    """Return the published ``solutions`` that are not current, longest unconfirmed first."""
    due = [s for s in solutions if not s.is_draft and freshness_of(s, on).state != "current"]
    return sorted(due, key=lambda s: (s.last_confirmed_on or date.min, s.name))


def confirmed_on_or_before(state: str, on: date | None = None) -> tuple[date | None, date | None]:
    """Return the range of confirmation dates (from, to; None is open) that give ``state``.

    Search filters on the confirmation date it indexes with this, so the state a facet counts
    changes with the calendar without re-indexing anything.
    """
    on = on or today()
    review_from = months_later(on, -REVIEW_AFTER_MONTHS)  # confirmed on or before: needs review
    stale_from = months_later(on, -STALE_AFTER_MONTHS)  # confirmed on or before: stale
    if state == "current":
        return (date.fromordinal(review_from.toordinal() + 1), None)
    if state == "needs_review":
        return (date.fromordinal(stale_from.toordinal() + 1), review_from)
    return (None, stale_from)


@dataclass(frozen=True)
class Recommendation:
    """A recommended field: its API name, what a page calls it, and what to add."""

    field: str
    label: str
    advice: str


RECOMMENDED: tuple[Recommendation, ...] = (
    Recommendation(
        "description",
        "Beskrivelse",
        f"Skriv minst {DESCRIPTION_MIN_CHARS} tegn om hva løsningen gjør, for hvem, og hva som "
        "trengs for å ta den i bruk.",
    ),
    Recommendation("contact", "Kontaktperson", "Oppgi navn og e-post til en som kan svare."),
    Recommendation(
        "links", "Lenker", "Lenk til en nettside eller dokumentasjon der andre kan lese mer."
    ),
    Recommendation(
        "standards",
        "Standarder",
        "Velg standardene og felleskomponentene løsningen bygger på.",
    ),
    Recommendation("tags", "Stikkord", "Legg til stikkord: ordene andre søker med."),
    Recommendation(
        "adoption_cost",
        "Kostnad ved gjenbruk",
        "Oppgi hva det typisk koster en ny kommune å ta løsningen i bruk.",
    ),
    Recommendation("licence", "Lisens", "Oppgi lisensen, eller «Proprietær»."),
)
"""The fields an entry should have beyond the required ones, in the order to add them."""


def _has(solution: Solution, field: str) -> bool:
    if field == "description":
        return len(solution.description.strip()) >= DESCRIPTION_MIN_CHARS
    if field == "contact":
        return bool(solution.contact_name and solution.contact_email)
    if field == "links":
        return bool(solution.homepage_url or solution.documentation_url)
    if field == "standards":
        return bool(solution.standards)
    if field == "tags":
        return bool(solution.tag_rows)
    if field == "adoption_cost":
        return any(value is not None for value in solution.adoption_cost.values())
    if field == "licence":
        return bool(solution.licence)
    raise KeyError(field)


@dataclass(frozen=True)
class Completeness:
    """How much of what is recommended an entry has: a percentage and what is missing."""

    score: int
    missing: tuple[Recommendation, ...]


def completeness_of(solution: Solution) -> Completeness:
    """Return the share of recommended fields ``solution`` has (0–100) and what it lacks."""
    missing = tuple(r for r in RECOMMENDED if not _has(solution, r.field))
    present = len(RECOMMENDED) - len(missing)
    return Completeness(round(100 * present / len(RECOMMENDED)), missing)
