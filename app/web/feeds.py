"""Atom feeds of new and changed solutions: /feed.atom, /tema/<slug>/feed.atom,
/kommuner/<ref>/feed.atom; and of shared plans: /samarbeid-muligheter.atom,
/kommuner/<ref>/samarbeid.atom (``feeds`` blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from app.interop.atom import ATOM_TYPE, Entry, write_feed
from app.models.base import utcnow
from app.services import feeds as service
from app.services import shared_plans
from app.services.feeds import FeedContent
from app.services.references import get_organisation
from app.web.filters import date_nb

feeds = Blueprint("feeds", __name__)

AUTHOR = "Gjenbrukskatalogen"


def _absolute(path: str) -> str:
    return request.url_root.rstrip("/") + path


def _response(content: FeedContent, title: str, page: str) -> Response:
    entries = [
        Entry(
            id=_absolute(f"/losninger/{s.slug}"),
            title=s.name,
            link=_absolute(f"/losninger/{s.slug}"),
            updated=s.updated_at,
            published=s.created_at,
            summary=s.summary,
            author=s.owner.name,
            categories=[(t.uri, t.name) for t in s.themes],
        )
        for s in content.solutions
    ]
    # An empty feed has no change to date itself by; "now" keeps it valid Atom.
    updated = max((s.updated_at for s in content.solutions), default=None) or utcnow()
    body = write_feed(
        feed_id=_absolute(request.path),
        title=title,
        self_link=_absolute(request.path),
        alternate_link=_absolute(page),
        updated=updated,
        author=AUTHOR,
        entries=entries,
    )
    return Response(body, mimetype=ATOM_TYPE)


@feeds.get("/feed.atom")
def catalogue_feed() -> Response:
    """Nye og endrede løsninger i hele katalogen."""
    return _response(service.catalogue_feed(), "Gjenbrukskatalogen: nye og endrede løsninger", "/")


@feeds.get("/tema/<slug>/feed.atom")
def theme_feed(slug: str) -> Response:
    """Nye og endrede løsninger innen ett tema."""
    content = service.theme_feed(slug)
    assert content.theme is not None
    title = f"Gjenbrukskatalogen: nye og endrede løsninger – {content.theme.name}"
    return _response(content, title, f"/tema/{slug}")


@feeds.get("/kommuner/<ref>/feed.atom")
def organisation_feed(ref: str) -> Response:
    """Nye og endrede løsninger som én organisasjon deler."""
    content = service.organisation_feed(ref)
    assert content.organisation is not None
    title = f"Gjenbrukskatalogen: nye og endrede løsninger fra {content.organisation.name}"
    return _response(content, title, f"/kommuner/{content.organisation.slug}")


def _plan_summary(plan: shared_plans.SharedPlan) -> str:
    """Return who plans the solution, how far and by when, as one line."""
    labels = {"considering": "vurderer", "planned": "planlagt"}
    parts = [
        f"{a.organisation.name} ({labels[a.status]}"
        + (f", ønsket {date_nb(a.wanted_on)})" if a.wanted_on else ")")
        for a in plan.plans
    ]
    return f"{len(plan.plans)} organisasjoner har planer: " + ", ".join(parts) + "."


def _plans_response(plans: list[shared_plans.SharedPlan], title: str, page: str) -> Response:
    # An entry per solution, updated when a plan of it changes or a new partner joins.
    entries = [
        Entry(
            id=_absolute(f"/losninger/{p.solution.slug}#planer"),
            title=p.solution.name,
            link=_absolute(f"/losninger/{p.solution.slug}"),
            updated=p.updated,
            published=min(a.created_at for a in p.plans),
            summary=_plan_summary(p),
            author=p.solution.owner.name,
            categories=[(t.uri, t.name) for t in p.solution.themes],
        )
        for p in sorted(plans, key=lambda p: p.updated, reverse=True)
    ]
    body = write_feed(
        feed_id=_absolute(request.path),
        title=title,
        self_link=_absolute(request.path),
        alternate_link=_absolute(page),
        updated=max((p.updated for p in plans), default=None) or utcnow(),
        author=AUTHOR,
        entries=entries,
    )
    return Response(body, mimetype=ATOM_TYPE)


@feeds.get("/samarbeid-muligheter.atom")
def shared_plans_feed() -> Response:
    """Løsninger som flere kommuner planlegger: nye samarbeidsmuligheter."""
    return _plans_response(
        shared_plans.shared_plans_page(page_size=service.FEED_SIZE, newest_first=True)[0],
        "Gjenbrukskatalogen: samarbeidsmuligheter",
        "/samarbeid-muligheter",
    )


@feeds.get("/kommuner/<ref>/samarbeid.atom")
def organisation_shared_plans_feed(ref: str) -> Response:
    """Planer én organisasjon deler med andre: nye partnere."""
    organisation = get_organisation(ref)
    return _plans_response(
        shared_plans.shared_plans_page(
            organisation.slug, page_size=service.FEED_SIZE, newest_first=True
        )[0],
        f"Gjenbrukskatalogen: planer {organisation.name} deler med andre",
        f"/kommuner/{organisation.kommunenummer or organisation.slug}",
    )
