"""The REST API (flask-smorest) under ``/api/v1``."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.pagination import PaginationMetadataSchema

from app.extensions import api

URL_PREFIX = "/api/v1"
"""Prefix of every API route (the contract in DESIGN.md)."""


class Blueprint(SmorestBlueprint):
    """A blueprint whose lists page by 20, at most 100 a page."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    def _document_pagination_metadata(self, spec: Any, resp_doc: dict[str, Any]) -> None:
        """Document ``X-Pagination`` as what it is: a JSON object (OpenAPI ``content``).

        flask-smorest documents it with ``schema: object``, which OpenAPI reads as the
        ``simple`` style (``total,38,page,1``), so clients and validators misread the header.
        """
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "Pagination metadata, a JSON object.",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }


def init_app(app: Flask) -> None:
    """Bind the Api, then register the blueprints (flask-smorest wants this order)."""
    from app.api import (
        adoptions,
        benefits,
        comparison,
        costs,
        docs,
        exports,
        health,
        history,
        interop,
        organisations,
        portfolio,
        search,
        shared_plans,
        solutions,
        vocabularies,
        webhooks,
    )

    api.init_app(app)
    for module in (
        solutions,
        history,
        adoptions,
        benefits,
        costs,
        organisations,
        comparison,
        shared_plans,
        portfolio,
        vocabularies,
        search,
        interop,
        exports,
        webhooks,
    ):
        api.register_blueprint(module.blp, url_prefix=URL_PREFIX)
    docs.init_app(app)
    health.init_app(app)
