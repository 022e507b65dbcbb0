"""Optional single sign-on with OpenID Connect (Authlib), for kommuner with Entra ID,
Ansattporten or another provider.

Configured by environment variables (``OIDC_ISSUER``, ``OIDC_CLIENT_ID``,
``OIDC_CLIENT_SECRET``, optionally ``OIDC_SCOPES`` and ``OIDC_PROVIDER_NAME``). Authlib reads
the provider's discovery document, sends the person there with ``state`` and ``nonce`` kept in
the session, exchanges the code, and checks the ID token's signature (the provider's JWKS),
issuer, audience, expiry and nonce. The catalogue then signs in the account with the same email
address; SSO never creates accounts, so the provider decides who someone is and the catalogue
decides what they may do.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

PROVIDER = "sso"
"""Authlib's name of the one configured provider."""


class SsoError(Exception):
    """The provider did not vouch for an email address (cancelled, refused or broken)."""


def is_enabled() -> bool:
    """Return whether single sign-on is configured."""
    return "gk_oauth" in current_app.extensions


def provider_name() -> str:
    """Return what the login page calls the provider."""
    return str(current_app.config.get("OIDC_PROVIDER_NAME") or "Single sign-on")


def _client() -> Any:
    oauth: OAuth = current_app.extensions["gk_oauth"]
    return oauth.create_client(PROVIDER)


def start(redirect_uri: str) -> Any:
    """Return the redirect to the provider's login (state and nonce go into the session)."""
    return _client().authorize_redirect(redirect_uri)


def finish() -> str:
    """Complete the login the provider sent back; return the email address it vouches for."""
    try:
        token = _client().authorize_access_token()
    except Exception as exc:  # Authlib raises OAuthError, JoseError, requests errors …
        raise SsoError(str(exc)) from exc
    claims: dict[str, Any] = dict(token.get("userinfo") or {})
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SsoError("the ID token has no email claim")
    if claims.get("email_verified") is False:
        raise SsoError("the provider has not verified the email address")
    return email


def init_app(app: Flask) -> None:
    """Register the provider when ``OIDC_ISSUER`` and the client credentials are set."""
    issuer = app.config.get("OIDC_ISSUER")
    client_id = app.config.get("OIDC_CLIENT_ID")
    if not issuer or not client_id:
        return
    oauth = OAuth(app)
    oauth.register(
        PROVIDER,
        client_id=client_id,
        client_secret=app.config.get("OIDC_CLIENT_SECRET"),
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": app.config.get("OIDC_SCOPES") or "openid email profile"},
    )
    app.extensions["gk_oauth"] = oauth
