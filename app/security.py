"""What a public body's website needs around every request: headers, CSP, CSRF, cookies, limits.

- **Headers.** A strict Content-Security-Policy on every response: scripts, styles, images and
  fonts only from the site itself, no inline script or style, no framing, forms only to the
  site. Swagger UI (``/api/docs``) gets its own policy: its one inline script is allowed by its
  hash, computed from the page it is sent in, and its styles may be inline (it sets them).
- **CSRF.** Every form post to the site (not the API: it takes bearer tokens, never cookies)
  carries a token tied to the session (Flask-WTF). The search form that intranet portals embed
  only redirects to a GET, changes nothing, and so is exempt.
- **Session cookie.** HttpOnly and SameSite=Lax always; Secure whenever the request came over
  HTTPS (``SESSION_COOKIE_SECURE`` forces it on or off), so production over TLS gets secure
  cookies and ``make run`` on http://127.0.0.1 still lets a newcomer sign in.
- **Rate limits** (flask-limiter): writes of the API and the site, per client, and logins per
  address of the client. In-memory by default (per worker); ``RATELIMIT_STORAGE_URI`` (e.g.
  ``redis://…``) shares the counts between workers and instances.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, current_app, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing: no CSRF token, no write limit."""

CSRF_EXEMPT_ENDPOINTS = frozenset({"web.search"})
"""Form posts that need no token: the embeddable search box posts here, and it only redirects."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""The policy of every page: nothing inline, nothing from elsewhere."""

DOCS_PATH = "/api/docs"
"""Swagger UI's page; its policy allows its inline start-up script (by hash) and inline styles."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
"""Headers of every response (X-Frame-Options for browsers that ignore frame-ancestors)."""

HSTS = "max-age=31536000"
"""Strict-Transport-Security, sent only on responses that went out over HTTPS."""

SIGNED_IN_KEY = "user_id"
"""Session key of the signed-in account (``app/web/auth.py`` writes it)."""

INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
"""An inline script of a page (only Swagger UI's page has one)."""


def client_key() -> str:
    """Return who a rate limit counts: the API token when one is sent, else the address."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer ") and len(header) > 7:
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def _write_limit() -> str:
    return str(current_app.config["RATELIMIT_WRITES"])


def login_limit() -> str:
    """Return the limit of login attempts per client address."""
    return str(current_app.config["RATELIMIT_LOGIN"])


def _is_safe_request() -> bool:
    return request.method in SAFE_METHODS


limiter = Limiter(
    key_func=client_key,
    application_limits=[_write_limit],
    application_limits_exempt_when=_is_safe_request,
)
"""The rate limiter; ``limiter.limit(login_limit)`` guards the login form."""

csrf = CSRFProtect()
"""CSRF protection of the site's forms (``csrf_token()`` in templates)."""


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Return the configured value, or (``None``) whether this request is HTTPS."""
        configured = app.config["SESSION_COOKIE_SECURE"]
        if configured is None:
            return request.is_secure
        return bool(configured)


def _protect_forms() -> None:
    """Check the CSRF token of every write to the site (the API authenticates by token)."""
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return
    if request.endpoint in CSRF_EXEMPT_ENDPOINTS:
        return
    csrf.protect()


def _script_hashes(body: bytes) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(body)
    ]


def docs_policy(body: bytes) -> str:
    """Return the policy of Swagger UI's page: its own inline scripts by hash, inline styles."""
    scripts = " ".join(["'self'", *_script_hashes(body)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _add_headers(response: Response) -> Response:
    """Add the security headers; pages with a session get ``no-store`` (nothing cached)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.rstrip("/") == DOCS_PATH and response.mimetype == "text/html":
        policy = docs_policy(response.get_data())
    else:
        policy = CONTENT_SECURITY_POLICY
    response.headers["Content-Security-Policy"] = policy
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if session.get(SIGNED_IN_KEY) is not None:
        # A signed-in page may show what only that person may see: keep it out of every cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_failed(error: CSRFError) -> Response:
    """Answer a form post without a valid token with a Norwegian page (400)."""
    body = render_template(
        "web/error.html",
        code=400,
        title="Skjemaet kunne ikke sendes",
        text=(
            "Skjemaet var utløpt eller kom ikke fra katalogen. Gå tilbake, last siden på nytt "
            "og send skjemaet igjen."
        ),
    )
    return Response(body, status=400, mimetype="text/html")


def init_app(app: Flask) -> None:
    """Bind the session cookie rules, CSRF, the limiter and the headers (settings: config.py)."""
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    limiter.init_app(app)
    app.before_request(_protect_forms)
    app.after_request(_add_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
