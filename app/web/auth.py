"""Who is signed in to the site: the session cookie, the current person and their ``Actor``.

The cookie (signed by Flask, HttpOnly, SameSite=Lax; see ``app/security.py``) holds the account
id and its ``session_version``. Each request loads the account again, so a deactivated account
or a changed password ends every other session at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, g, redirect, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from app.models import User
from app.security import SIGNED_IN_KEY
from app.services import users
from app.services.permissions import Actor

VERSION_KEY = "session_version"
"""Session key of the account's session version when it signed in."""

F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User | None:
    """Return the signed-in account of this request, or None."""
    if "current_user" not in g:
        user_id = session.get(SIGNED_IN_KEY)
        g.current_user = (
            users.session_user(user_id, session.get(VERSION_KEY)) if user_id is not None else None
        )
        if user_id is not None and g.current_user is None:
            session.clear()  # deactivated, password changed elsewhere, or deleted
    user: User | None = g.current_user
    return user


def current_actor() -> Actor | None:
    """Return the actor of the signed-in person (what the services are given), or None."""
    user = current_user()
    return users.actor_for(user) if user else None


SSO_KEY = "via_sso"
"""Session key set when the provider signed the person in (no local password to change)."""


def sign_in(user: User, *, via_sso: bool = False) -> None:
    """Start a new session for ``user`` (a fresh cookie: nothing carries over from before)."""
    session.clear()
    session[SIGNED_IN_KEY] = user.id
    session[VERSION_KEY] = user.session_version
    if via_sso:
        session[SSO_KEY] = True
    session.permanent = True
    g.current_user = user


def sign_out() -> None:
    """End the session."""
    session.clear()
    g.current_user = None


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return default
    return target


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page, and people with a one-time password to
    the password change, before the view runs."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("web.login", neste=request.full_path.rstrip("?")))
        if user.must_change_password and not session.get(SSO_KEY):
            return redirect(url_for("web.change_password", neste=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require_actor() -> Actor:
    """Return the signed-in person's actor (views behind ``login_required`` only)."""
    actor = current_actor()
    assert actor is not None, "login_required lets no anonymous request through"
    return actor


def managed_organisation_ref() -> str:
    """Return whose settings a /min-side page shows (tokens, webhooks): the person's own
    organisation; an admin may pick another with ``org``."""
    actor = require_actor()
    wanted = request.values.get("org", "").strip()
    if wanted and actor.is_admin:
        return wanted
    return str(actor.organisation_slug)


def redirect_to(endpoint: str, **values: Any) -> Response:
    """Return a 303 redirect (after a form post, the browser GETs the next page)."""
    return redirect(url_for(endpoint, **values), code=303)


def init_app(app: Flask) -> None:
    """Let every template see who is signed in."""

    @app.context_processor
    def _user() -> dict[str, Any]:
        # Error pages must render even when the database is what failed: then nobody is shown.
        try:
            return {"current_user": current_user()}
        except SQLAlchemyError:
            return {"current_user": None}
