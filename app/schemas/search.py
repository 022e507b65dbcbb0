"""Search: the query arguments and the result of ``/api/v1/search`` and its suggestions."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.limits import (
    MAX_FILTER_VALUES,
    MAX_MIN_ADOPTERS,
    MAX_SEARCH_PAGE,
    MAX_SEARCH_PAGE_SIZE,
)
from app.models import SOLUTION_KINDS, SOLUTION_STATUSES
from app.models.quality import FRESHNESS_STATES
from app.schemas.common import Text
from app.search import MAX_QUERY_LENGTH, SORTS


def _filter(description: str, value: fields.Field) -> fields.List:
    return fields.List(
        value,
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": f"{description}; repeat for several (any of them matches)"},
    )


class SearchQueryArgsSchema(Schema):
    """Text, filters, order and page of a search."""

    q = Text(
        load_default="",
        validate=validate.Length(max=MAX_QUERY_LENGTH),
        metadata={
            "description": (
                "Words to search for (bokmål; stems, compounds and typos are understood); "
                '"quoted words" must stand together. Empty: browse everything, most adopted first.'
            )
        },
    )
    kind = _filter("Solution kind", fields.String(validate=validate.OneOf(SOLUTION_KINDS)))
    status = _filter("Solution status", fields.String(validate=validate.OneOf(SOLUTION_STATUSES)))
    theme = _filter("LOS theme slug", fields.String(validate=validate.Length(min=1, max=100)))
    standard = _filter("Standard slug", fields.String(validate=validate.Length(min=1, max=100)))
    owner = _filter(
        "Owning organisation (kommunenummer or slug)",
        fields.String(validate=validate.Length(min=1, max=100)),
    )
    adopted_by = _filter(
        "Organisation that uses the solution, in pilot or in use (kommunenummer or slug)",
        fields.String(validate=validate.Length(min=1, max=100)),
    )
    vendor = _filter(
        "Vendor, by name as the vendor facet gives it (e.g. Norkart)",
        fields.String(validate=validate.Length(min=1, max=200)),
    )
    not_adopted_by = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={
            "description": (
                "Organisation that must not use the result, in pilot or in use (kommunenummer "
                "or slug); repeat for several (none of them may use it). With adopted_by: "
                "what one kommune runs that another does not"
            )
        },
    )
    min_adopters = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_MIN_ADOPTERS),
        metadata={"description": "Used by at least this many organisations (pilot or in use)"},
    )
    freshness = fields.List(
        fields.String(validate=validate.OneOf(FRESHNESS_STATES)),
        load_default=list,
        validate=validate.Length(max=len(FRESHNESS_STATES)),
        metadata={
            "description": (
                "How current the entry is: current, needs_review (not confirmed by its owner "
                "for 12 months), stale (24 months, or never); repeat for several (any of them)"
            )
        },
    )
    family = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={
            "description": (
                "Slug of a solution: only its family (the original it is based on or a variant "
                "of, and every solution based on that), e.g. to expand a collapsed hit"
            )
        },
    )
    collapse_families = fields.Boolean(
        load_default=False,
        metadata={
            "description": (
                "One result per family (the best ranked member); each hit's family_others "
                "says how many results of its family it stands for, and total counts families"
            )
        },
    )
    sort = fields.String(
        load_default="relevance",
        validate=validate.OneOf(SORTS),
        metadata={"description": "relevance (most_adopted when q is empty), newest, most_adopted"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_SEARCH_PAGE))
    page_size = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=MAX_SEARCH_PAGE_SIZE)
    )


class HighlightsSchema(Schema):
    """Texts of a hit with the matched words in ``<mark>``; HTML-escaped; null: no match there."""

    name = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    description = fields.String(
        allow_none=True, metadata={"description": "a fragment of the description (plain text)"}
    )


class WordMatchSchema(Schema):
    """One word of the query and the fields of the hit it was found in."""

    word = fields.String(metadata={"description": "the word as typed"})
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        attribute="fields",
        metadata={"description": "name, summary, description, tags, themes, standards, vendor"},
    )


class SearchHitSchema(Schema):
    """One solution found."""

    slug = fields.String(attribute="solution.slug")
    name = fields.String(attribute="solution.name")
    summary = fields.String(attribute="solution.summary")
    kind = fields.String(attribute="solution.kind")
    status = fields.String(attribute="solution.status")
    owner = fields.String(attribute="solution.owner.slug")
    themes = fields.List(fields.String(), attribute="solution.theme_slugs")
    adoption_count = fields.Integer(
        metadata={"description": "organisations that use it (pilot or in use)"}
    )
    score = fields.Float(metadata={"description": "relevance; 0 when browsing without words"})
    highlights = fields.Nested(HighlightsSchema)
    matched = fields.List(
        fields.Nested(WordMatchSchema),
        metadata={"description": "which words of the query this hit matched, and where"},
    )
    family_others = fields.Integer(
        metadata={
            "description": (
                "with collapse_families: results of this hit's family it stands for (0 when "
                "none); pass its slug as family to list them"
            )
        }
    )


class FacetValueSchema(Schema):
    """One value of a facet and how many results it gives with the other filters applied."""

    value = fields.String(metadata={"description": "what to pass as the filter"})
    label = fields.String(metadata={"description": "Norwegian name"})
    count = fields.Integer()


class FacetValues(fields.List):
    """A facet's values: documented as a list of FacetValueSchema, dumped without a schema per
    value (a result holds a few hundred of them; marshmallow's per-field dump is the cost)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return [{"value": v.value, "label": v.label, "count": v.count} for v in value]


def _facet(description: str) -> fields.List:
    return FacetValues(fields.Nested(FacetValueSchema), metadata={"description": description})


class FacetsSchema(Schema):
    """Counts per filter value; each facet applies every filter but its own."""

    kind = _facet("solution kinds")
    status = _facet("solution statuses")
    theme = _facet("LOS themes")
    standard = _facet("standards and common components")
    owner = _facet("owning organisations")
    adopted_by = _facet("organisations using the solutions (pilot or in use)")
    vendor = _facet("vendors (the linked organisation's name, or the vendor as written)")
    not_adopted_by = _facet(
        "organisations that use some solution, with how many results each does not use "
        "(what adding it to not_adopted_by gives); by name"
    )
    min_adopters = _facet(
        "thresholds of min_adopters (1, 2, 3, 5, 10 and the chosen one) with how many results "
        "each gives in place of the chosen one"
    )
    freshness = _facet("freshness states (current, needs_review, stale), always all three")


class SearchResultSchema(Schema):
    """A page of search results with facets."""

    total = fields.Integer(
        metadata={
            "description": (
                "results matching text and all filters (families, with collapse_families)"
            )
        }
    )
    grouped_total = fields.Integer(
        metadata={"description": "the results with one per family: total with collapse_families"}
    )
    family = fields.Method(
        "_family",
        metadata={
            "type": "string",
            "nullable": True,
            "description": "slug of the original of the family the results are limited to",
        },
    )
    page = fields.Integer()
    page_size = fields.Integer()
    results = fields.List(fields.Nested(SearchHitSchema), attribute="hits")
    facets = fields.Nested(FacetsSchema)
    suggestion = fields.String(
        allow_none=True,
        metadata={
            "description": (
                "the query with misspelt words corrected; when the query itself found "
                "nothing, the results are those of this suggestion"
            )
        },
    )
    any_words = fields.Boolean(
        metadata={
            "description": (
                "true when no solution has every word of the query (nor of its suggestion): "
                "the results then have some of the words, those with most of them first"
            )
        }
    )

    def _family(self, result: Any) -> str | None:
        return result.family.slug if result.family is not None else None


class SuggestQueryArgsSchema(Schema):
    """The beginning of what a user types."""

    q = Text(load_default="", validate=validate.Length(max=MAX_QUERY_LENGTH))


class SuggestionsSchema(Schema):
    """Completions of a prefix for type-ahead."""

    q = fields.String()
    suggestions = fields.List(
        fields.String(), metadata={"description": "up to 10: solution names, then words"}
    )
    solutions = fields.List(
        fields.String(allow_none=True),
        metadata={
            "description": "for each suggestion, the slug of the solution it names "
            "(null for a word): choosing it can open the solution"
        },
    )
