"""An organisation's API tokens in the browser: create (the secret is shown once), name, see
when each was last used, revoke. The rules (who may manage whose tokens) live in
``app/services/tokens.py``, shared with the CLI."""

from __future__ import annotations

from flask import flash, render_template, request
from werkzeug.wrappers import Response

from app.services import tokens
from app.services.errors import InvalidData
from app.services.references import get_organisation
from app.web.auth import login_required, managed_organisation_ref, redirect_to, require_actor
from app.web.blueprint import web
from app.web.messages import norwegian_errors


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    ref = managed_organisation_ref()
    organisation = get_organisation(ref)
    context.setdefault("errors", {})
    page = render_template(
        "web/account/tokens.html",
        organisation=organisation,
        tokens=tokens.list_tokens(organisation.slug),
        org_param=organisation.slug if require_actor().is_admin else None,
        **context,
    )
    return page, status


@web.route("/min-side/api-nokler", methods=["GET", "POST"])
@login_required
def api_tokens() -> tuple[str, int]:
    """List the organisation's tokens; a post creates one and shows its secret once."""
    if request.method == "GET":
        return _page()
    name = request.form.get("name", "")
    try:
        token, secret = tokens.create_token(
            managed_organisation_ref(), name=name, actor=require_actor()
        )
    except InvalidData as exc:
        return _page(422, errors=norwegian_errors(exc.errors), name=name)
    # Rendered, not redirected: the secret must not pass through the session or a URL.
    return _page(201, created=token, secret=secret)


@web.post("/min-side/api-nokler/<int:token_id>/navn")
@login_required
def rename_api_token(token_id: int) -> Response | tuple[str, int]:
    """Give a token a new name."""
    try:
        tokens.rename_token(token_id, request.form.get("name", ""), actor=require_actor())
    except InvalidData as exc:
        errors = norwegian_errors(exc.errors)
        return _page(422, errors={f"rename-{token_id}": errors.get("name", [])})
    flash("Navnet er endret.")
    return redirect_to("web.api_tokens", org=request.form.get("org") or None)


@web.post("/min-side/api-nokler/<int:token_id>/trekk-tilbake")
@login_required
def revoke_api_token(token_id: int) -> Response:
    """Revoke a token: systems that use it are refused from now on."""
    token = tokens.revoke_token(token_id, actor=require_actor())
    flash(f"Nøkkelen {token.prefix}… er trukket tilbake og virker ikke lenger.")
    return redirect_to("web.api_tokens", org=request.form.get("org") or None)
