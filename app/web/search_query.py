"""The state of the search page, as held by its URL: text, filters, sort order and page.

Every link on the search page (a facet value, a sort order, a page, "mente du") is this
state with one change, so a search can be shared, bookmarked and used without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask import url_for

from app.services.search import SearchParams
from app.web.forms import FILTER_NAMES

DEFAULT_SORT = "relevance"
"""The sort order a URL does not need to mention."""


@dataclass(frozen=True)
class SearchQuery:
    """What the user searches for; immutable, so each link is a changed copy."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    page: int = 1
    not_adopted_by: tuple[str, ...] = ()
    """Organisations none of which may use a result."""
    min_adopters: int = 0
    """Fewest organisations that must use a result (0: any)."""
    family: str = ""
    """Slug of a solution whose family the results are limited to ("": any)."""
    collapse_families: bool = False
    """Show one result per family."""

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> SearchQuery:
        """Return the query that the parsed URL parameters hold."""
        filters = {name: tuple(args.get(name) or ()) for name in FILTER_NAMES}
        return cls(
            args.get("q", ""),
            filters,
            args.get("sort", DEFAULT_SORT),
            args.get("page", 1),
            tuple(args.get("not_adopted_by") or ()),
            args.get("min_adopters", 0),
            args.get("family", ""),
            bool(args.get("collapse_families", False)),
        )

    def to_params(self, page_size: int) -> SearchParams:
        """Return the parameters of the search service."""
        return SearchParams(
            q=self.q,
            kind=list(self.values("kind")),
            status=list(self.values("status")),
            theme=list(self.values("theme")),
            standard=list(self.values("standard")),
            owner=list(self.values("owner")),
            adopted_by=list(self.values("adopted_by")),
            vendor=list(self.values("vendor")),
            freshness=list(self.values("freshness")),
            not_adopted_by=list(self.not_adopted_by),
            min_adopters=self.min_adopters,
            family=self.family,
            collapse_families=self.collapse_families,
            sort=self.sort,
            page=self.page,
            page_size=page_size,
        )

    def values(self, name: str) -> tuple[str, ...]:
        """Return the selected values of one filter."""
        return self.filters.get(name, ())

    @property
    def selected(self) -> list[tuple[str, str]]:
        """Return every selected (filter, value), in the facets' order, then who must not use
        a result and the fewest users."""
        chosen = [(name, value) for name in FILTER_NAMES for value in self.values(name)]
        chosen += [("not_adopted_by", value) for value in self.not_adopted_by]
        if self.min_adopters:
            chosen.append(("min_adopters", str(self.min_adopters)))
        if self.family:
            chosen.append(("family", self.family))
        return chosen

    @property
    def is_blank(self) -> bool:
        """Return whether neither text nor filters narrow the search (it browses everything)."""
        return not self.q and not self.selected

    def toggled(self, name: str, value: str) -> SearchQuery:
        """Return this query with ``value`` of filter ``name`` added or removed; back to page 1.

        ``min_adopters`` holds one threshold: choosing another replaces it."""
        if name == "min_adopters":
            chosen = int(value)
            return replace(self, min_adopters=0 if chosen == self.min_adopters else chosen, page=1)
        if name == "family":
            return replace(self, family="" if value == self.family else value, page=1)
        current = self.not_adopted_by if name == "not_adopted_by" else self.values(name)
        changed = tuple(v for v in current if v != value) if value in current else (*current, value)
        if name == "not_adopted_by":
            return replace(self, not_adopted_by=changed, page=1)
        return replace(self, filters={**self.filters, name: changed}, page=1)

    def in_family(self, slug: str) -> SearchQuery:
        """Return this query limited to the family of ``slug``, every member shown; page 1."""
        return replace(self, family=slug, collapse_families=False, page=1)

    def with_families_collapsed(self, collapse: bool) -> SearchQuery:
        """Return this query showing one result per family, or all of them; back to page 1."""
        return replace(self, collapse_families=collapse, page=1)

    def with_text(self, q: str) -> SearchQuery:
        """Return this query searching for ``q`` instead; back to page 1."""
        return replace(self, q=q, page=1)

    def sorted_by(self, sort: str) -> SearchQuery:
        """Return this query in another order; back to page 1."""
        return replace(self, sort=sort, page=1)

    def on_page(self, page: int) -> SearchQuery:
        """Return this query on another page."""
        return replace(self, page=page)

    def without_filters(self) -> SearchQuery:
        """Return this query with every filter removed."""
        return replace(self, filters={}, not_adopted_by=(), min_adopters=0, family="", page=1)

    def url(self) -> str:
        """Return the search page's URL for this query (defaults left out, so links stay short)."""
        params: dict[str, Any] = {}
        if self.q:
            params["q"] = self.q
        for name in FILTER_NAMES:
            if self.values(name):
                params[name] = list(self.values(name))
        if self.not_adopted_by:
            params["not_adopted_by"] = list(self.not_adopted_by)
        if self.min_adopters:
            params["min_adopters"] = self.min_adopters
        if self.family:
            params["family"] = self.family
        if self.collapse_families:
            params["collapse_families"] = 1
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        if self.page != 1:
            params["page"] = self.page
        return url_for("web.search", **params)
