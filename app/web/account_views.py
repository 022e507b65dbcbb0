"""The signed-in person's own page: their organisation's solutions (drafts too) and shortcuts."""

from __future__ import annotations

from flask import render_template

from app.models.quality import needing_review
from app.services import solutions
from app.services.references import get_organisation
from app.web.auth import current_user, login_required, require_actor
from app.web.blueprint import web


@web.get("/min-side")
@login_required
def dashboard() -> str:
    """Show what the person can do: register and edit solutions, manage tokens and webhooks."""
    actor = require_actor()
    organisation = get_organisation(str(actor.organisation_slug))
    own = solutions.solutions_of(organisation, viewer=actor)
    return render_template(
        "web/account/dashboard.html",
        user=current_user(),
        organisation=organisation,
        solutions=own,
        to_review=needing_review(own),
    )
