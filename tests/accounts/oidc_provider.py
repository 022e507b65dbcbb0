"""A small but real OpenID Connect provider for the tests, built on Authlib's server side.

It runs in a thread on a free port of 127.0.0.1 and does what Entra ID or Ansattporten do for
the catalogue: discovery, a login form, the authorization code flow with ``state`` and
``nonce``, an RS256-signed ID token, and its public keys at ``jwks_uri``. Nothing is mocked:
the catalogue fetches the discovery document, exchanges the code over HTTP and checks the
signature, issuer, audience and nonce exactly as in production.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "gjenbrukskatalogen"
CLIENT_SECRET = secrets.token_urlsafe(24)


@dataclass
class Client(ClientMixin):
    """The catalogue as a client registered at the provider."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    """An issued authorization code."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class Provider:
    """The provider: its accounts, clients, codes, signing key and HTTP server."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.people: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, Code] = {}
        self.clients: dict[str, Client] = {}
        self.app = Flask("oidc-provider")
        self.app.config["SECRET_KEY"] = secrets.token_hex(16)
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        # "localhost": Authlib's client accepts plain http only on loopback names.
        self.issuer = f"http://localhost:{self._server.server_port}"
        self._routes()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def add_person(self, username: str, password: str, email: str, verified: bool = True) -> None:
        """Give someone an account at the provider."""
        self.people[username] = {
            "sub": secrets.token_hex(8),
            "password": password,
            "email": email,
            "email_verified": verified,
            "name": username.title(),
        }

    def register(self, redirect_uri: str) -> None:
        """Register the catalogue with its callback address."""
        self.clients[CLIENT_ID] = Client(CLIENT_ID, CLIENT_SECRET, [redirect_uri])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _routes(self) -> None:
        provider = self
        server = AuthorizationServer(
            self.app, query_client=self.clients.get, save_token=lambda token, req: None
        )

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, req: Any) -> None:
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    user=req.user,
                    nonce=req.payload.data.get("nonce"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                item = provider.codes.get(code)
                return item if item and item.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {
                    "iss": provider.issuer,
                    "aud": [client.get_client_id()],
                    "exp": int(time.time()) + 300,
                }

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                info = UserInfo(sub=user["sub"], name=user["name"])
                if "email" in scope:
                    info["email"] = user["email"]
                    info["email_verified"] = user["email_verified"]
                return info

        server.register_grant(CodeGrant, [IdToken(require_nonce=True)])

        @self.app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=provider.issuer,
                authorization_endpoint=f"{provider.issuer}/authorize",
                token_endpoint=f"{provider.issuer}/token",
                jwks_uri=f"{provider.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "email", "profile"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @self.app.get("/jwks")
        def jwks() -> Any:
            return jsonify(keys=[provider.key.as_dict(private=False)])

        @self.app.route("/authorize", methods=["GET", "POST"])
        def authorize() -> Any:
            if request.method == "GET":
                server.get_consent_grant(end_user=None)  # checks the client and redirect
                return (
                    '<form method="post"><input name="username"><input name="password">'
                    '<button type="submit">Log in</button></form>'
                )
            person = provider.people.get(request.form.get("username", ""))
            if person is None or person["password"] != request.form.get("password"):
                person = None  # the answer is access_denied
            grant = server.get_consent_grant(end_user=person)
            return server.create_authorization_response(grant=grant, grant_user=person)

        @self.app.post("/token")
        def token() -> Any:
            return server.create_token_response()
