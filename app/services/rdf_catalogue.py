"""The catalogue as DCAT-AP-NO / CPSV-AP-NO: load what the graph shows, hand it to rdflib."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.interop.rdf import CatalogueGraph, serialise
from app.models import Organisation, Solution, Theme
from app.services.solutions import solution_loader_options


def catalogue_rdf(base: str, fmt: str) -> str:
    """Return the whole catalogue as Turtle (``ttl``) or JSON-LD (``jsonld``)."""
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.members))
            .order_by(Organisation.slug)
        )
    )
    themes = list(db.session.scalars(select(Theme).order_by(Theme.slug)))
    solutions = list(
        db.session.scalars(
            select(Solution).options(*solution_loader_options()).order_by(Solution.slug)
        )
    )
    # The regional catalogue is published by the fylkeskommune when the data has one.
    publisher = next((o for o in organisations if o.kind == "fylkeskommune"), None)
    graph = CatalogueGraph(base).build(organisations, themes, solutions, publisher)
    return serialise(graph, fmt)
