"""Pages of the catalogue's content: one solution, and the solutions of a theme."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.models import ADOPTION_STATUSES
from app.services import adoptions as adoption_service
from app.services import gains, lineage, matrix, overview, recommendations, solutions
from app.web.auth import current_actor
from app.web.blueprint import web
from app.web.forms import PageArgsSchema, parse_args

SIMILAR_COUNT = 4
"""How many similar solutions a solution page suggests."""

THEME_PAGE_SIZE = 30
"""Solutions per page of a theme page."""

# Who uses a solution is listed furthest along first: in use, pilot, planned, considering, retired.
_STATUS_ORDER = {status: i for i, status in enumerate(reversed(ADOPTION_STATUSES[:-1]))}
_STATUS_ORDER["retired"] = len(_STATUS_ORDER)


@web.get("/losninger/")
def solutions_index() -> Response:
    """Send the list of all solutions to the search page (an empty search browses them all)."""
    return redirect(url_for("web.search"))


@web.get("/losninger/<slug>")
def solution(slug: str) -> str:
    """Show one solution: what it is, who owns and uses it, and similar solutions."""
    actor = current_actor()
    item = solutions.get_solution(slug, viewer=actor)  # a draft only for its organisation
    # With each adoption's status history (a draft has no adoptions).
    rows = [] if item.is_draft else adoption_service.list_adoptions_of_solution(slug)
    adoptions = sorted(rows, key=lambda a: (_STATUS_ORDER.get(a.status, 99), a.organisation.name))
    return render_template(
        "web/solution.html",
        solution=item,
        adoptions=adoptions,
        strip=matrix.kommune_strip(item),
        similar=recommendations.similar_solutions(item, SIMILAR_COUNT),
        family=lineage.family_of(item),
        # A draft has no adoptions, so no benefits (and the benefit service sees no drafts).
        benefits=None if item.is_draft else gains.solution_benefits(slug),
        may_edit=actor is not None and actor.may_act_for(item.owner_id),
        may_record_use=actor is not None and not item.is_draft,
        # The signed-in organisation's own adoption: its costs and benefits are edited there.
        own_adoption=next(
            (
                a
                for a in adoptions
                if actor is not None and a.organisation_id == actor.organisation_id
            ),
            None,
        ),
    )


@web.get("/tema/<slug>")
def theme(slug: str) -> str:
    """Show the solutions of one LOS theme, most reused first."""
    args = parse_args(PageArgsSchema(), request)
    item = overview.get_theme(slug)
    rows, total = overview.solutions_in_theme(item, page=args["page"], page_size=THEME_PAGE_SIZE)
    return render_template(
        "web/theme.html",
        theme=item,
        adopters=overview.theme_adopters(item),
        benefits=gains.theme_benefits(item, limit=0),  # the page shows only the totals
        solutions=rows,
        total=total,
        page=args["page"],
        page_size=THEME_PAGE_SIZE,
    )
