"""The search page (``/sok``) and the suggestions the browser's search bar asks for."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.labels import FACET_LABELS, SORT_LABELS
from app.services import search as search_service
from app.services.errors import ServiceUnavailable
from app.web.blueprint import web
from app.web.forms import FILTER_NAMES, SearchArgsSchema, SuggestArgsSchema, parse_args
from app.web.search_query import SearchQuery

PAGE_SIZE = 20
"""Hits per page of the search page."""

FACET_VISIBLE = 6
"""Values a facet shows before the rest fold under "Vis N til" (selected ones always show)."""


@web.route("/sok", methods=["GET", "POST"])
def search() -> Response | str:
    """Search the catalogue; a POST (the embeddable form) is redirected to the shareable GET."""
    if request.method == "POST":
        posted = SearchQuery.from_args(parse_args(SearchArgsSchema(), request, location="form"))
        return redirect(posted.url(), code=303)
    query = SearchQuery.from_args(parse_args(SearchArgsSchema(), request))
    context = {
        "query": query,
        "facet_titles": {name: FACET_LABELS[name] for name in FILTER_NAMES},
        "adoption_titles": {
            name: FACET_LABELS[name]
            for name in (*search_service.ADOPTION_FACETS, "family", "collapse_families")
        },
        "facet_visible": FACET_VISIBLE,
        "sort_labels": SORT_LABELS,
        "page_size": PAGE_SIZE,
    }
    try:
        result = search_service.search_solutions(query.to_params(PAGE_SIZE))
    except ServiceUnavailable:
        # The rest of the site keeps working; only this page says that search is down.
        page = render_template("web/search.html", result=None, **context)
        return Response(page, status=503, mimetype="text/html", headers={"Retry-After": "30"})
    labels = {
        (name, facet.value): facet.label
        for name, values in result.facets.items()
        for facet in values
    }
    if result.family is not None:
        labels[("family", query.family)] = result.family.name
    return render_template("web/search.html", result=result, value_labels=labels, **context)


@web.get("/sok/forslag")
def opensearch_suggestions() -> Response:
    """Answer the browser's search bar with suggestions (OpenSearch suggestions JSON)."""
    prefix = parse_args(SuggestArgsSchema(), request)["q"].strip()
    try:
        found = search_service.suggest(prefix) if prefix else []
    except ServiceUnavailable:
        found = []
    # OpenSearch's four lists: completions, descriptions, and where each leads — a solution's
    # name opens the solution, a word searches for it.
    texts = [c.text for c in found]
    descriptions = ["Løsning" if c.slug else "Søk" for c in found]
    urls = [
        url_for("web.solution", slug=c.slug, _external=True)
        if c.slug
        else url_for("web.search", q=c.text, _external=True)
        for c in found
    ]
    response = jsonify([prefix, texts, descriptions, urls])
    response.mimetype = "application/x-suggestions+json"
    return response
