"""Configuration: embedded defaults, overridden from the environment.

Every key is a module constant with a one-line docstring. ``load_config`` copies them into the
Flask config and then applies the environment, so a newcomer runs the catalogue with no
settings at all (SQLite under ``instance/``, the index under ``search_index/``) and production
sets ``DATABASE_URL`` and friends.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout: the parent of the ``app`` package."""

SQLALCHEMY_DATABASE_URI: str | None = None
"""Database URL; ``None``: SQLite at ``instance/catalogue.db``. Env: ``DATABASE_URL``."""

SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
"""Engine options; pre-ping lets service resume after the database comes back."""

SEARCH_INDEX_DIR: str = str(PROJECT_ROOT / "search_index")
"""This instance's Whoosh index folder (local disk). Env: ``SEARCH_INDEX_DIR``."""

CATALOGUE_DATA_DIR: str = str(PROJECT_ROOT / "catalogue_data")
"""Data that ``catalogue init`` loads into an empty database. Env: ``CATALOGUE_DATA_DIR``."""

SECRET_KEY: str | None = None
"""Signs sessions; generated per instance folder when unset. Env: ``SECRET_KEY``."""

MAX_CONTENT_LENGTH: int = 1024 * 1024
"""Largest request body in bytes; larger bodies get 413. Env: ``MAX_CONTENT_LENGTH``."""

API_TITLE = "Gjenbrukskatalogen API"
"""Title of the OpenAPI document."""

API_VERSION = "v1"
"""Version of the API, part of its URL prefix."""

OPENAPI_VERSION = "3.0.3"
"""OpenAPI version of the generated document."""

OPENAPI_URL_PREFIX = "/api"
"""Where the OpenAPI document and the interactive docs are served."""

OPENAPI_JSON_PATH = "openapi.json"
"""``/api/openapi.json``."""

OPENAPI_SWAGGER_UI_PATH = "docs"
"""``/api/docs``: Swagger UI, served from the app's own assets (no CDN)."""

OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
"""Where the Swagger UI assets are served from (see ``app/api/docs.py``)."""

API_SPEC_OPTIONS: dict[str, object] = {
    "info": {
        "description": (
            "Publish and read the solutions, adoptions and vocabularies of Gjenbrukskatalogen, "
            "the reuse catalogue of the Trøndelag kommuner. Reads are public; writes need a "
            "bearer token of the publishing organisation (`flask --app wsgi tokens create`). "
            "Every changeable resource has an ETag; PUT, PATCH and DELETE need `If-Match`."
        ),
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API token"}
        }
    },
}
"""Extra content of the OpenAPI document."""

SEARCH_WRITE_TIMEOUT: float = 30.0
"""Seconds an indexer waits for the Whoosh write lock before giving up for this round."""

PROPAGATE_EXCEPTIONS: bool | None = None
"""Flask default; tests keep it, the 500 handler answers JSON or a Norwegian page."""

SESSION_COOKIE_SECURE: bool | None = None
"""Secure session cookie: ``None`` when the request is HTTPS (``app/security.py``); env
``SESSION_COOKIE_SECURE=true`` forces it (e.g. behind a proxy that does not say it is HTTPS)."""

SESSION_COOKIE_HTTPONLY = True
"""Scripts never see the session cookie."""

SESSION_COOKIE_SAMESITE = "Lax"
"""The session cookie is not sent with cross-site posts (a second guard beside CSRF tokens)."""

PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
"""How long a login lasts: one working day."""

WTF_CSRF_CHECK_DEFAULT = False
"""CSRF is checked by ``app/security.py`` for site forms only (the API uses bearer tokens)."""

WTF_CSRF_TIME_LIMIT: int | None = None
"""A form's CSRF token is valid as long as the session, so a long edit never fails for it."""

RATELIMIT_STORAGE_URI = "memory://"
"""Where rate-limit counts live; memory is per worker. Env: ``RATELIMIT_STORAGE_URI``."""

RATELIMIT_STRATEGY = "moving-window"
"""How flask-limiter counts: a moving window has no burst at the window's edge."""

RATELIMIT_HEADERS_ENABLED = True
"""Tell clients their limit and when to retry (``X-RateLimit-*``, ``Retry-After``)."""

RATELIMIT_WRITES = "120 per minute; 2000 per hour"
"""Writes (API and site forms) per client: token, else address. Env: ``RATELIMIT_WRITES``."""

RATELIMIT_LOGIN = "10 per minute; 100 per hour"
"""Login attempts per client address. Env: ``RATELIMIT_LOGIN``."""

OIDC_ISSUER: str | None = None
"""Single sign-on provider (OpenID Connect issuer URL); unset: local login only."""

OIDC_CLIENT_ID: str | None = None
"""The catalogue's client id at the OIDC provider."""

OIDC_CLIENT_SECRET: str | None = None
"""The catalogue's client secret at the OIDC provider."""

OIDC_SCOPES = "openid email profile"
"""Scopes asked for: the email claim matches the account."""

OIDC_PROVIDER_NAME = "Single sign-on"
"""What the login page calls the provider ("Logg inn med …"), e.g. ``Entra ID``."""

HOUR_RATE_NOK: int = 700
"""What an hour of a kommune employee's time is worth in NOK (wages, social costs, overhead):
turns hours saved and internal effort into kroner in net gains and payback. Env:
``HOUR_RATE_NOK``."""

WEBHOOK_ALLOW_LOOPBACK: bool = False
"""Let webhooks call plain-HTTP addresses on this machine (127.0.0.1, ::1, localhost). Only the
tests set it: they deliver to a receiver of their own. Outside tests a webhook is HTTPS and
never points at the catalogue's own machine."""

WEBHOOK_TIMEOUT_SECONDS: float = 5.0
"""Seconds the webhook worker waits for a receiver to connect and answer."""

WEBHOOK_RETRY_BASE_SECONDS: float = 30.0
"""Wait before the first retry of a refused delivery; each retry waits twice as long."""

WEBHOOK_RETRY_MAX_SECONDS: float = 6 * 3600.0
"""The longest wait between two attempts."""

WEBHOOK_MAX_ATTEMPTS: int = 16
"""Attempts before a delivery is given up as failed: with the waits above, the last comes about
38 hours (a day and a half) after the first, so a receiver down over a night and a day still
gets it. Its organisation can send a failed one again from /min-side."""

WEBHOOK_CLAIM_SECONDS: float = 60.0
"""How long a worker holds a delivery it is sending; a worker killed meanwhile lets it go then."""

WEBHOOK_POLL_SECONDS: float = 2.0
"""How often ``flask webhooks run`` looks for new history entries and due deliveries."""

_ENV_KEYS: dict[str, str] = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SEARCH_INDEX_DIR": "SEARCH_INDEX_DIR",
    "CATALOGUE_DATA_DIR": "CATALOGUE_DATA_DIR",
    "SECRET_KEY": "SECRET_KEY",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "RATELIMIT_WRITES": "RATELIMIT_WRITES",
    "RATELIMIT_LOGIN": "RATELIMIT_LOGIN",
    "OIDC_ISSUER": "OIDC_ISSUER",
    "OIDC_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES": "OIDC_SCOPES",
    "OIDC_PROVIDER_NAME": "OIDC_PROVIDER_NAME",
}
"""Environment variable → config key (the names of the contract in DESIGN.md)."""


def load_config(app: Flask, test_config: dict[str, object] | None) -> None:
    """Fill ``app.config``: defaults, then the environment, then the test mapping."""
    app.config.from_object(__name__)
    for env_name, key in _ENV_KEYS.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if os.environ.get("SESSION_COOKIE_SECURE"):
        secure = os.environ["SESSION_COOKIE_SECURE"].strip().lower()
        app.config["SESSION_COOKIE_SECURE"] = secure in ("1", "true", "yes", "on")
    if os.environ.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = int(os.environ["MAX_CONTENT_LENGTH"])
    if os.environ.get("HOUR_RATE_NOK"):
        app.config["HOUR_RATE_NOK"] = int(os.environ["HOUR_RATE_NOK"])
    app.config.from_prefixed_env("CATALOGUE")
    if test_config:
        app.config.update(test_config)

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri:
        uri = f"sqlite:///{Path(app.instance_path) / 'catalogue.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance: Path) -> str:
    """Read or create a random secret kept in the instance folder (shared by all workers)."""
    path = instance / "secret_key"
    if not path.exists():
        import secrets

        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        os.replace(tmp, path) if not path.exists() else tmp.unlink()
    return path.read_text().strip()
