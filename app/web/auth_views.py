"""Signing in and out (``/logg-inn``, ``/logg-ut``), single sign-on, and changing the password.

A failed login says the same thing whether or not the address has an account; the services
count failures per address and make further attempts wait (``app/services/users.py``), and
flask-limiter caps attempts per client address.
"""

from __future__ import annotations

import logging

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from app.security import limiter, login_limit
from app.services import users
from app.services.errors import InvalidData
from app.web import sso
from app.web.auth import current_user, redirect_to, safe_next, sign_in, sign_out
from app.web.blueprint import web
from app.web.messages import norwegian_errors

log = logging.getLogger(__name__)

LOGIN_FAILED = "E-postadressen eller passordet er feil."
"""The one message of a failed login: it never tells whether the account exists."""


def _wait_text(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    span = (
        f"{seconds} sekunder" if seconds < 60 else f"{minutes} minutt{'er' if minutes > 1 else ''}"
    )
    return f"For mange mislykkede innlogginger med denne e-postadressen. Vent {span} og prøv igjen."


def _default_next() -> str:
    return url_for("web.dashboard")


def _login_page(
    status: int = 200, errors: dict[str, list[str]] | None = None, email: str = ""
) -> tuple[str, int]:
    return (
        render_template(
            "web/auth/login.html",
            errors=errors or {},
            email=email,
            next_url=safe_next(request.values.get("neste"), ""),
            sso_enabled=sso.is_enabled(),
            sso_name=sso.provider_name() if sso.is_enabled() else "",
        ),
        status,
    )


@web.route("/logg-inn", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Response | tuple[str, int]:
    """Show the login form; sign in with email address and password."""
    if request.method == "GET":
        if current_user() is not None:
            return redirect_to("web.dashboard")
        return _login_page()
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Fyll ut e-postadressen."]
    if not password:
        errors["password"] = ["Fyll ut passordet."]
    if errors:
        return _login_page(422, errors, email)
    try:
        user = users.authenticate(email, password)
    except users.LoginThrottled as exc:
        page, _ = _login_page(429, {"email": [_wait_text(exc.retry_after)]}, email)
        return Response(page, 429, headers={"Retry-After": str(exc.retry_after)})
    except users.LoginFailed:
        return _login_page(401, {"email": [LOGIN_FAILED]}, email)
    sign_in(user)
    target = safe_next(request.form.get("neste"), _default_next())
    if user.must_change_password:
        return redirect_to("web.change_password", neste=target)
    return Response(status=303, headers={"Location": target})


@web.get("/logg-inn/sso")
def sso_login() -> Response:
    """Send the person to the single sign-on provider."""
    if not sso.is_enabled():
        return redirect_to("web.login")
    response: Response = sso.start(url_for("web.sso_callback", _external=True))
    return response


@web.get("/logg-inn/sso/tilbake")
def sso_callback() -> Response | tuple[str, int]:
    """Sign in the account whose address the provider vouched for."""
    if not sso.is_enabled():
        return redirect_to("web.login")
    try:
        email = sso.finish()
    except sso.SsoError as exc:
        log.info("single sign-on failed: %s", exc)
        message = "Innloggingen hos identitetsleverandøren ble ikke fullført. Prøv igjen."
        return _login_page(401, {"sso": [message]})
    try:
        user = users.sso_user(email)
    except users.LoginFailed:
        message = (
            f"Du er logget inn som {email} hos identitetsleverandøren, men katalogen har ingen "
            "aktiv konto med den adressen. Be en administrator om en konto."
        )
        return _login_page(403, {"sso": [message]})
    # Passwords are the provider's business: a one-time local password need not be changed.
    sign_in(user, via_sso=True)
    return redirect_to("web.dashboard")


@web.route("/logg-ut", methods=["GET", "POST"])
def logout() -> Response | str:
    """Sign out (a form post, so another site cannot sign anyone out); GET asks first."""
    if request.method == "GET":
        return render_template("web/auth/logout.html")
    sign_out()
    flash("Du er logget ut.")
    return redirect_to("web.index")


@web.route("/bytt-passord", methods=["GET", "POST"])
def change_password() -> Response | tuple[str, int]:
    """Change the password (required after the first login with a one-time password)."""
    user = current_user()
    if user is None:
        return redirect_to("web.login", neste=url_for("web.change_password"))
    next_url = safe_next(request.values.get("neste"), _default_next())
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        current = request.form.get("current_password", "")
        new = request.form.get("new_password", "")
        repeat = request.form.get("new_password_repeat", "")
        if not current:
            errors["current_password"] = ["Fyll ut det nåværende passordet."]
        if not new:
            errors["new_password"] = ["Fyll ut et nytt passord."]
        elif new != repeat:
            errors["new_password_repeat"] = ["Passordene er ikke like."]
        if not errors:
            try:
                user = users.change_password(user.id, current, new)
            except InvalidData as exc:
                errors = norwegian_errors(exc.errors)
            else:
                sign_in(user)  # the other sessions ended with the old session version
                flash("Passordet er endret.")
                return Response(status=303, headers={"Location": next_url})
    page = render_template(
        "web/auth/change_password.html",
        errors=errors,
        forced=user.must_change_password,
        next_url=next_url,
        min_length=users.PASSWORD_MIN_LENGTH,
    )
    return page, 422 if errors else 200
