"""What the Atom feeds show: the newest new or changed solutions, for all, a theme, an owner."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Organisation, Solution, Theme
from app.services.errors import NotFound
from app.services.references import get_organisation
from app.services.solutions import SolutionFilters, list_solutions
from app.services.vocabularies import list_themes

FEED_SIZE = 50
"""Entries per feed: the most recently changed solutions."""


@dataclass
class FeedContent:
    """The solutions of a feed, newest change first, and what the feed is about."""

    solutions: list[Solution]
    theme: Theme | None = None
    organisation: Organisation | None = None


def _latest(filters: SolutionFilters) -> list[Solution]:
    filters.sort = "-updated_at"
    rows, _ = list_solutions(filters, page=1, page_size=FEED_SIZE)
    return rows


def catalogue_feed() -> FeedContent:
    """Return the newest changes of the whole catalogue."""
    return FeedContent(_latest(SolutionFilters()))


def theme_feed(slug: str) -> FeedContent:
    """Return the newest changes within one LOS theme; NotFound for an unknown theme."""
    theme = next((t for t in list_themes() if t.slug == slug), None)
    if theme is None:
        raise NotFound(f"No theme '{slug}'.")
    return FeedContent(_latest(SolutionFilters(theme=[slug])), theme=theme)


def organisation_feed(ref: str) -> FeedContent:
    """Return the newest changes of the solutions an organisation shares."""
    organisation = get_organisation(ref)
    filters = SolutionFilters(owner=[organisation.slug])
    return FeedContent(_latest(filters), organisation=organisation)
