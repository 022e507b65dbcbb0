"""Search the catalogue: the one use case behind ``GET /api/v1/search`` and the ``/sok`` page.

The index finds and counts (``app/search``); the database supplies the solutions shown and the
names of facet values, so a page never shows what the database does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import search
from app.collation import norwegian_key
from app.extensions import db
from app.labels import FRESHNESS_LABELS, SOLUTION_KIND_LABELS, SOLUTION_STATUS_LABELS
from app.limits import (
    MAX_FILTER_VALUES,
    MAX_MIN_ADOPTERS,
    MAX_SEARCH_PAGE,
    MAX_SEARCH_PAGE_SIZE,
)
from app.models import (
    SOLUTION_KINDS,
    SOLUTION_STATUSES,
    Adoption,
    Organisation,
    Solution,
    Standard,
    Theme,
)
from app.models.quality import FRESHNESS_STATES, confirmed_on_or_before
from app.search import (
    FACET_FIELDS,
    MAX_QUERY_LENGTH,
    SORTS,
    Highlighter,
    ParsedQuery,
    SearchRequest,
    parse,
    plain_text,
)
from app.services.errors import InvalidData, ServiceUnavailable
from app.services.references import is_organisation_ref, is_slug

FACETS = tuple(FACET_FIELDS)
"""The facets, in the order results list them: kind, status, theme, standard, owner, adopted_by."""

FRESHNESS_FACET = "freshness"
"""How current a result is (current, needs_review, stale), a facet of its own: the states come
from each solution's last confirmation date and today's limits (``app/models/quality.py``)."""

ADOPTION_FACETS = ("not_adopted_by", "min_adopters")
"""Filters on who uses a result, counted like facets but combined with AND: "not used by
Trondheim" and "used by at least 3"."""


NEVER = 0
"""The confirmation day the index holds for an entry never confirmed (it counts as stale)."""

LAST_DAY = 10**7
"""A confirmation day past any real one (``date.max.toordinal()`` is 3,652,059)."""


def freshness_days() -> dict[str, tuple[int, int]]:
    """Return each freshness state's confirmation days today (ordinals, inclusive)."""
    days: dict[str, tuple[int, int]] = {}
    for state in FRESHNESS_STATES:
        first, last = confirmed_on_or_before(state)
        days[state] = (
            first.toordinal() if first else NEVER,
            last.toordinal() if last else LAST_DAY,
        )
    return days


@dataclass
class SearchParams:
    """What to search for; each filter is OR within, AND across filters.

    ``owner`` and ``adopted_by`` take organisation slugs or kommunenummer.
    """

    q: str = ""
    kind: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    standard: list[str] = field(default_factory=list)
    owner: list[str] = field(default_factory=list)
    adopted_by: list[str] = field(default_factory=list)
    vendor: list[str] = field(default_factory=list)
    not_adopted_by: list[str] = field(default_factory=list)
    """Organisations (slug or kommunenummer) none of which may use a result."""
    min_adopters: int = 0
    """Fewest organisations that must use a result, in pilot or in use (0: any)."""
    freshness: list[str] = field(default_factory=list)
    """States (current, needs_review, stale) a result must be in (any of them)."""
    family: str = ""
    """Slug of a solution: only results of its family (its original and every variant)."""
    collapse_families: bool = False
    """Show one result per family (the best ranked); the hit says how many relatives it hides."""
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass
class FacetValue:
    """One value of a facet: its code or slug, its Norwegian name, and how many it gives."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchHit:
    """One solution found, its score and its marked-up texts (None: nothing matched there).

    ``adoption_count`` is the solution's, counted in the database (so a caller that has not
    loaded the adoptions need not load them for it)."""

    solution: Solution
    score: float
    highlights: dict[str, Markup | None]
    adoption_count: int = 0
    matched: list[WordMatch] = field(default_factory=list)
    """Which of the query's words this hit matched, and in which fields."""
    family_others: int = 0
    """When one result is shown per family: the results of this hit's family not shown."""


@dataclass
class WordMatch:
    """One word of the query and the fields of a hit it was found in."""

    word: str
    fields: list[str]


@dataclass
class SearchResult:
    """One page of results with the facets of the whole result and a spelling suggestion."""

    total: int
    page: int
    page_size: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    any_words: bool = False
    """No solution had every word: the hits have some of them, those with most first."""
    words: list[str] = field(default_factory=list)
    """The words searched for, as typed (those of the suggestion when it was searched)."""
    grouped_total: int = 0
    """How many results there are with one per family (``total`` when collapsing)."""
    family: Solution | None = None
    """The original of the family the results are limited to (``SearchParams.family``)."""


def _invalid(name: str, message: str) -> InvalidData:
    return InvalidData("Validation failed.", {name: [message]})


def _check_params(params: SearchParams) -> None:
    """Raise InvalidData naming the first parameter that cannot be searched."""
    if len(params.q) > MAX_QUERY_LENGTH:
        raise _invalid("q", f"At most {MAX_QUERY_LENGTH} characters.")
    if params.sort not in SORTS:
        raise _invalid("sort", f"Must be one of: {', '.join(SORTS)}.")
    if not 1 <= params.page <= MAX_SEARCH_PAGE:
        raise _invalid("page", f"Must be between 1 and {MAX_SEARCH_PAGE}.")
    if not 1 <= params.page_size <= MAX_SEARCH_PAGE_SIZE:
        raise _invalid("page_size", f"Must be between 1 and {MAX_SEARCH_PAGE_SIZE}.")
    for name, allowed in (("kind", SOLUTION_KINDS), ("status", SOLUTION_STATUSES)):
        unknown = [v for v in getattr(params, name) if v not in allowed]
        if unknown:
            raise _invalid(name, f"Unknown {name} {unknown[0]!r}; one of: {', '.join(allowed)}.")
    unknown = [v for v in params.freshness if v not in FRESHNESS_STATES]
    if unknown:
        raise _invalid(
            "freshness", f"Unknown freshness {unknown[0]!r}; one of: {', '.join(FRESHNESS_STATES)}."
        )
    if not 0 <= params.min_adopters <= MAX_MIN_ADOPTERS:
        raise _invalid("min_adopters", f"Must be between 0 and {MAX_MIN_ADOPTERS}.")
    for name in (*FACETS, "not_adopted_by"):
        if len(getattr(params, name)) > MAX_FILTER_VALUES:
            raise _invalid(name, f"At most {MAX_FILTER_VALUES} values.")


def _slugs(model: type[Theme] | type[Standard], name: str, wanted: Sequence[str]) -> list[str]:
    """Return the slugs of ``wanted``, or raise InvalidData naming an unknown one."""
    if not wanted:
        return []
    slugs = [v for v in wanted if is_slug(v)]  # anything else (a NUL byte) names none
    found = set(db.session.scalars(select(model.slug).where(model.slug.in_(slugs))))
    unknown = [v for v in wanted if v not in found]
    if unknown:
        raise _invalid(name, f"Unknown {name} {unknown[0]!r}.")
    return list(dict.fromkeys(wanted))


def _family(slug: str) -> Solution | None:
    """Return the original of the family of the solution ``slug``, or raise InvalidData."""
    if not slug:
        return None
    found = (
        db.session.scalars(select(Solution).where(Solution.slug == slug)).first()
        if is_slug(slug)
        else None
    )
    if found is None:
        raise _invalid("family", f"Unknown solution {slug!r}.")
    return found.lineage_root()


def _organisation_slugs(name: str, refs: Sequence[str]) -> list[str]:
    """Return the slugs of organisations given by slug or kommunenummer, or raise InvalidData."""
    if not refs:
        return []
    looked_up = [ref for ref in refs if is_organisation_ref(ref)]
    rows = db.session.execute(
        select(Organisation.slug, Organisation.kommunenummer).where(
            Organisation.slug.in_(looked_up) | Organisation.kommunenummer.in_(looked_up)
        )
    ).all()
    by_ref = {slug: slug for slug, _ in rows} | {nr: slug for slug, nr in rows if nr}
    unknown = [ref for ref in refs if ref not in by_ref]
    if unknown:
        raise _invalid(
            name, f"Unknown organisation {unknown[0]!r} (give a kommunenummer or a slug)."
        )
    return list(dict.fromkeys(by_ref[ref] for ref in refs))


class _Labels:
    """Names of facet values, cached for one index generation.

    Every value a facet can show belongs to a solution, and renaming it writes the change log,
    which makes a new index generation: so the names fetched for one generation stay right
    until the generation changes. Saves three queries on every search.
    """

    def __init__(self) -> None:
        self.generation: tuple[object, ...] | None = None
        self.names: dict[str, dict[str, str]] = {}

    def get(self, generation: tuple[object, ...], wanted: dict[str, set[str]]) -> dict:
        """Return the names of the ``wanted`` values of each facet."""
        if generation != self.generation or not generation:
            self.generation = generation
            self.names = {"kind": SOLUTION_KIND_LABELS, "status": SOLUTION_STATUS_LABELS}
            self.names.update({"theme": {}, "standard": {}, "organisation": {}})
        for key, model in (("theme", Theme), ("standard", Standard)):
            self._fetch(model, self.names[key], wanted[key])
        self._fetch(
            Organisation,
            self.names["organisation"],
            wanted["owner"] | wanted["adopted_by"] | wanted.get("not_adopted_by", set()),
        )
        organisations = self.names["organisation"]
        vendors = {name: name for name in wanted.get("vendor", ())}  # the value is the name
        return {
            **self.names,
            "owner": organisations,
            "adopted_by": organisations,
            "not_adopted_by": organisations,
            "vendor": vendors,
        }

    @staticmethod
    def _fetch(model: type[Theme | Standard | Organisation], names: dict, slugs: set[str]) -> None:
        missing = slugs - names.keys()
        if missing:
            rows = db.session.execute(select(model.slug, model.name).where(model.slug.in_(missing)))
            names.update({slug: name for slug, name in rows})


_labels = _Labels()


def _facets(
    counts: dict[str, dict[str, int]],
    selected: dict[str, list[str]],
    generation: tuple[object, ...],
) -> dict[str, list[FacetValue]]:
    """Return each facet's values, most results first; selected values always appear.

    ``not_adopted_by`` lists organisations by name (a person looks for their own kommune), and
    ``min_adopters`` its thresholds in rising order.
    """
    names = (*FACETS, "not_adopted_by")
    wanted = {facet: {*counts[facet], *selected.get(facet, ())} for facet in names}
    labels = _labels.get(generation, wanted)
    out: dict[str, list[FacetValue]] = {}
    for facet in names:
        chosen = selected.get(facet, [])
        values = {**dict.fromkeys(chosen, 0), **counts[facet]}
        items = [FacetValue(v, labels[facet].get(v, v), n, v in chosen) for v, n in values.items()]
        if facet == "not_adopted_by":
            items.sort(key=lambda item: norwegian_key(item.label))
        else:
            items.sort(key=lambda item: (-item.count, item.label.lower()))
        out[facet] = items
    chosen_fresh = selected.get(FRESHNESS_FACET, [])
    out[FRESHNESS_FACET] = [
        FacetValue(
            state,
            FRESHNESS_LABELS[state],
            counts[FRESHNESS_FACET].get(state, 0),
            state in chosen_fresh,
        )
        for state in FRESHNESS_STATES
    ]
    chosen_min = selected.get("min_adopters", [])
    out["min_adopters"] = [
        FacetValue(str(n), f"Minst {n}", count, str(n) in chosen_min)
        for n, count in sorted(counts["min_adopters"].items(), key=lambda item: int(item[0]))
    ]
    return out


def _with_chosen(counts: dict[int, int], chosen: int, total: int) -> dict[int, int]:
    """Return the threshold counts with the chosen threshold among them (its count is the
    result's, since it is applied)."""
    return counts if not chosen or chosen in counts else {**counts, chosen: total}


def _load(ids: list[int], *, adoptions: bool) -> dict[int, Solution]:
    """Return the solutions with these ids, with what a result shows loaded."""
    if not ids:
        return {}
    options = [
        joinedload(Solution.owner),
        selectinload(Solution.themes),
        selectinload(Solution.standards),  # the match explanation reads them, and the tags
        selectinload(Solution.tag_rows),
    ]
    if adoptions:
        options.append(selectinload(Solution.adoptions).selectinload(Adoption.organisation))
    rows = db.session.scalars(select(Solution).where(Solution.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _highlights(marker: Highlighter, solution: Solution) -> dict[str, Markup | None]:
    """Return the marked name, summary and description fragment of one hit."""
    if not marker.active:  # browsing: nothing to mark
        return dict.fromkeys(("name", "summary", "description"))
    return {
        "name": marker.mark(solution.name),
        "summary": marker.mark(solution.summary),
        "description": marker.mark(plain_text(solution.description), fragment=True),
    }


EXPLAINED_FIELDS = ("name", "summary", "description", "tags", "themes", "standards", "vendor")
"""The fields a hit's match is explained by, in the order a person reads them."""


def _matched(marker: Highlighter, solution: Solution) -> list[WordMatch]:
    """Return, per query word, the fields of ``solution`` it matched (words not found left out)."""
    if not marker.active:
        return []
    texts = {
        "name": solution.name,
        "summary": solution.summary,
        "description": plain_text(solution.description),
        "tags": " ".join(solution.tags),
        "themes": " ".join(t.name for t in solution.themes),
        "standards": " ".join(s.name for s in solution.standards),
        "vendor": " ".join(filter(None, [solution.vendor])),
    }
    where: dict[str, list[str]] = {}
    for name in EXPLAINED_FIELDS:
        for word in marker.words_found(texts[name]):
            where.setdefault(word, []).append(name)
    return [WordMatch(word, fields) for word, fields in where.items()]


class _Markers:
    """Mark and explain hits: the query's words, and the parts of a compound query word where
    a hit does not hold it whole (``saksbehandlingssystem`` → «saksbehandling», «system»)."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self.whole = Highlighter(parsed)
        self.compounds = {w.raw for w in parsed.all_words() if w.parts}
        self.loose = Highlighter(parsed, query_parts=True) if self.compounds else self.whole

    def of(self, solution: Solution) -> dict[str, Any]:
        """Return the ``highlights`` and ``matched`` of one hit."""
        marker, matched = self.whole, _matched(self.whole, solution)
        if self.compounds - {m.word for m in matched}:
            marker, matched = self.loose, _matched(self.loose, solution)
        return {"highlights": _highlights(marker, solution), "matched": matched}


def search_solutions(params: SearchParams, *, load_adoptions: bool = True) -> SearchResult:
    """Search solutions by text and filters, with facet counts; raise ServiceUnavailable (503).

    ``load_adoptions=False`` leaves each hit's ``solution.adoptions`` unloaded (the API shows
    only ``adoption_count``); pages that list who uses a solution keep the default.
    """
    _check_params(params)
    selected = {
        "kind": list(dict.fromkeys(params.kind)),
        "status": list(dict.fromkeys(params.status)),
        "theme": _slugs(Theme, "theme", params.theme),
        "standard": _slugs(Standard, "standard", params.standard),
        "owner": _organisation_slugs("owner", params.owner),
        "adopted_by": _organisation_slugs("adopted_by", params.adopted_by),
        # A vendor is its name as the facet shows it; an unknown one simply matches nothing.
        "vendor": list(dict.fromkeys(params.vendor)),
    }
    not_adopted_by = _organisation_slugs("not_adopted_by", params.not_adopted_by)
    family = _family(params.family)
    request = SearchRequest(
        parsed=parse(params.q.strip()),
        filters={k: v for k, v in selected.items() if v},
        sort=params.sort,
        offset=(params.page - 1) * params.page_size,
        limit=params.page_size,
        not_adopted_by=not_adopted_by,
        min_adopters=params.min_adopters,
        freshness_days=freshness_days(),
        freshness=list(dict.fromkeys(params.freshness)),
        family=family.id if family is not None else None,
        collapse_families=params.collapse_families,
    )
    try:
        outcome = search.search(request)
    except search.SearchUnavailable as exc:
        raise ServiceUnavailable(f"Search is unavailable: {exc}") from exc
    ids = [solution_id for solution_id, _ in outcome.hits]
    rows = _load(ids, adoptions=load_adoptions)
    # The index is caught up with the change log before every search (``fresh_reader``), so
    # its counts are the database's; reading them there saves a grouped query per page.
    counts = outcome.adoption_counts
    markers = _Markers(outcome.parsed or request.parsed)
    hits = [
        SearchHit(
            solution=rows[solution_id],
            score=round(score, 4),
            adoption_count=counts.get(solution_id, 0),
            family_others=outcome.family_others.get(solution_id, 0),
            **markers.of(rows[solution_id]),
        )
        for solution_id, score in outcome.hits
        if solution_id in rows  # deleted since the index saw it: the database wins
    ]
    return SearchResult(
        total=outcome.total,
        page=params.page,
        page_size=params.page_size,
        hits=hits,
        facets=_facets(
            {
                **outcome.facets,
                "not_adopted_by": outcome.not_adopted_counts,
                "min_adopters": _with_chosen(
                    outcome.min_adopter_counts, params.min_adopters, outcome.ungrouped_total
                ),
                FRESHNESS_FACET: outcome.freshness_counts,
            },
            {
                **selected,
                "not_adopted_by": not_adopted_by,
                "min_adopters": [str(params.min_adopters)] if params.min_adopters else [],
                FRESHNESS_FACET: list(dict.fromkeys(params.freshness)),
            },
            outcome.generation,
        ),
        suggestion=outcome.suggestion,
        any_words=outcome.any_words,
        grouped_total=outcome.grouped_total,
        family=family,
        words=[w.raw for w in outcome.parsed.all_words()] if outcome.parsed else [],
    )


def suggest(prefix: str, limit: int = 10) -> list[search.Completion]:
    """Return up to ``limit`` completions of ``prefix``: solution names (with the slug of the
    solution, so choosing one opens it), then words."""
    prefix = prefix[:MAX_QUERY_LENGTH]
    if not prefix.strip():
        return []
    try:
        return search.complete(prefix, limit)
    except search.SearchUnavailable as exc:
        raise ServiceUnavailable(f"Search is unavailable: {exc}") from exc
