"""The web catalogue: server-rendered Norwegian pages (``web`` blueprint)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages, their Jinja filters and the Norwegian error pages."""
    # Importing the page modules adds their routes to the blueprint.
    from app.web import (  # noqa: F401
        account_views,
        auth,
        auth_views,
        catalogue_views,
        economy_import_views,
        economy_views,
        edit_views,
        errors,
        feeds,
        filters,
        gains_views,
        history_views,
        import_views,
        organisation_views,
        plan_views,
        portfolio_views,
        search_views,
        sso,
        token_views,
        views,
        webhook_views,
    )
    from app.web.blueprint import web

    app.register_blueprint(web)
    app.register_blueprint(feeds.feeds)
    filters.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    sso.init_app(app)
