"""Pages about who shares and uses what: the organisations, one kommune, the reuse matrix."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Response, render_template, request

from app.models import ADOPTION_STATUSES
from app.services import (
    comparison,
    gain_stats,
    gains,
    organisation_profiles,
    recommendations,
    shared_plans,
    vocabularies,
)
from app.services.errors import InvalidData
from app.services.matrix import MatrixFilters, adoption_matrix
from app.web.auth import current_user
from app.web.blueprint import web
from app.web.downloads import table_download
from app.web.forms import CompareArgsSchema, MatrixArgsSchema, parse_args
from app.web.messages import norwegian_errors

SUGGESTION_COUNT = 6
"""How many reuse suggestions a kommune page shows."""

SHARED_CARD_COUNT = 12
"""How many of its shared solutions an organisation's page shows as cards (the most reused);
the rest are one link away, on the search page filtered by owner."""

USED_ROW_COUNT = 50
"""How many rows the table of solutions an organisation uses shows (by name); the rest are one
link away, on the search page filtered by adopter."""

BENEFIT_ROW_COUNT = 25
"""How many of its benefits an organisation's page lists (its totals count every one); all of
them are in its portfolio, one link away."""

SHARED_PLAN_COUNT = 10
"""How many of the plans it shares an organisation's page lists (the most partners first); the
rest are one link away, on /samarbeid-muligheter filtered by the organisation."""

MATRIX_PAGE_SIZE = 100
"""Solutions (rows) per page of the matrix."""


@web.get("/kommuner")
def organisations() -> str:
    """List every organisation, grouped by kind, with what it shares and uses."""
    summaries = organisation_profiles.list_organisation_summaries()
    groups = [
        (kind, list(items)) for kind, items in groupby(summaries, key=lambda s: s.organisation.kind)
    ]
    return render_template("web/organisations.html", groups=groups, total=len(summaries))


@web.get("/kommuner/<ref>")
def organisation(ref: str) -> str:
    """Show one organisation (kommunenummer or slug): what it shares, uses, and could reuse."""
    profile = organisation_profiles.get_organisation_profile(
        ref, shared_limit=SHARED_CARD_COUNT, adoption_limit=USED_ROW_COUNT
    )
    suggestions = (
        recommendations.reuse_suggestions(profile.organisation, SUGGESTION_COUNT)
        if profile.organisation.kind == "kommune"
        else []
    )
    plans, plans_total = shared_plans.shared_plans_page(ref, page_size=SHARED_PLAN_COUNT)
    return render_template(
        "web/organisation.html",
        profile=profile,
        suggestions=suggestions,
        benefits=gains.organisation_benefits(ref, limit=BENEFIT_ROW_COUNT),
        shared_plans=plans,
        shared_plans_total=plans_total,
        # What the suggestions may gain it, from what their adopters have realised.
        estimates=gain_stats.estimate_gains([s.solution.id for s in suggestions]),
    )


ROWS_PER_THEME = 25
"""Rows a theme shows on the comparison of every theme; the rest are a link to that theme alone
(four big kommuner of a national catalogue use thousands of solutions between them)."""


@web.get("/sammenlign")
def compare() -> tuple[str, int]:
    """Compare 2 to 4 kommuner side by side; with fewer chosen, show the form to choose them
    (one chosen, from a kommune page: that one and one's own kommune preselected)."""
    args = parse_args(CompareArgsSchema(), request)
    refs = comparison.parse_refs(args["kommuner"])
    user = current_user()
    own = user.organisation if user else None
    result, error, status = None, None, 200
    try:
        if len(refs) >= comparison.MIN_COMPARED:
            result = comparison.compare(refs, theme=args["theme"] or None)
        elif refs:
            refs = [o.slug for o in comparison.resolve_known(refs)]
    except InvalidData as exc:
        messages = norwegian_errors(exc.errors)
        error, status = (messages.get("kommuner") or next(iter(messages.values())))[0], 400
    chosen = [o.slug for o in result.organisations] if result else refs
    if own is not None and len(chosen) < comparison.MIN_COMPARED and own.slug not in chosen:
        chosen = [*chosen, own.slug]  # start from one's own kommune
    page = render_template(
        "web/compare.html",
        comparison=result,
        error=error,
        chosen=chosen,
        choices=comparison.compare_choices(),
        max_compared=comparison.MAX_COMPARED,
        rows_per_theme=ROWS_PER_THEME,
        own=own,
    )
    return page, status


def _matrix_filters(args: dict[str, Any]) -> MatrixFilters:
    return MatrixFilters(
        theme=args["theme"] or None,
        owner=args["owner"] or None,
        group=args["group"] or None,
        status=args["status"] or None,
        sort=args["sort"],
    )


@web.get("/gjenbruksmatrise")
def reuse_matrix() -> str:
    """Show kommuner × solutions: who uses what, and which solutions stand alone."""
    args = parse_args(MatrixArgsSchema(), request)
    grid = adoption_matrix(_matrix_filters(args), page=args["page"], page_size=MATRIX_PAGE_SIZE)
    choices = comparison.compare_choices()
    return render_template(
        "web/matrix.html",
        matrix=grid,
        themes=vocabularies.list_themes(),
        owners=choices,
        groups=[o for o in choices if o.kind == "samarbeid"],
        statuses=ADOPTION_STATUSES,
        args=args,
        matrix_statuses=(None, *ADOPTION_STATUSES),
    )


MATRIX_COLUMNS = ("løsning", "navn", "eier", "brukere")
"""The first columns of the matrix download; one column per kommune (its number) follows."""


def _matrix_download(fmt: str) -> Response:
    """Return the whole filtered matrix (every row) as CSV or XLSX, statuses as codes."""
    grid = adoption_matrix(_matrix_filters(parse_args(MatrixArgsSchema(), request)), page_size=None)
    columns = [*MATRIX_COLUMNS, *(k.kommunenummer or k.slug for k in grid.kommuner)]
    rows = [
        [
            row.solution.slug,
            row.solution.name,
            row.solution.owner.name,
            row.users,
            *(cell.status or "" for cell in row.cells),
        ]
        for row in grid.rows
    ]
    return table_download(
        fmt, title="Gjenbruksmatrise", filename="gjenbruksmatrise", columns=columns, rows=rows
    )


@web.get("/gjenbruksmatrise.csv")
def reuse_matrix_csv() -> Response:
    """Download the reuse matrix, with the page's filters, as CSV."""
    return _matrix_download("csv")


@web.get("/gjenbruksmatrise.xlsx")
def reuse_matrix_xlsx() -> Response:
    """Download the reuse matrix, with the page's filters, as XLSX."""
    return _matrix_download("xlsx")
