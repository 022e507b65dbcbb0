"""Planning together: a plan in one click from a solution's page, /samarbeid-muligheter, the
kommune page's shared plans, and GET /api/v1/shared-plans."""

from __future__ import annotations

from xml.etree import ElementTree

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from tests.accounts.conftest import Person, login, make_person, page_text, post_form
from tests.accounts.test_editing import OTHER, OWNER, Clients, create

ATOM = "{http://www.w3.org/2005/Atom}"

MALVIK = Person("per@malvik.kommune.no", "5031", "editor")
"""An editor of Malvik (5031): a second kommune with a plan."""


def _plan(app: Flask, slug: str, kommunenummer: str) -> Adoption | None:
    with app.app_context():
        found = db.session.scalar(
            select(Adoption)
            .join(Adoption.solution)
            .join(Adoption.organisation)
            .where(Solution.slug == slug, Organisation.kommunenummer == kommunenummer)
        )
        if found is not None:
            db.session.expunge(found)
        return found


def _malvik(app: Flask) -> object:
    make_person(app, MALVIK)
    client = app.test_client()
    assert login(client, MALVIK).status_code == 303
    return client


def test_a_plan_in_one_click_and_the_partners_it_finds(app: Flask, client_for: Clients) -> None:
    slug = create(client_for(OWNER))  # owned by Namsos
    trondheim = client_for(OTHER)
    page = page_text(trondheim.get(f"/losninger/{slug}"))
    assert "Vurderer eller planlegger dere den?" in page
    assert "Vi planlegger den" in page
    assert "Vi planlegger den" not in page_text(client_for(None).get(f"/losninger/{slug}"))

    # One click: only the button.
    done = post_form(trondheim, f"/losninger/{slug}/interesse", {"status": "considering"})
    assert done.status_code == 303
    plan = _plan(app, slug, "5001")
    assert plan is not None
    assert (plan.status, plan.wanted_on) == ("considering", None)
    assert "Planen til Trondheim kommune" in page_text(trondheim.get(f"/losninger/{slug}"))
    # Alone, it is no shared plan yet.
    assert slug not in client_for(None).get("/samarbeid-muligheter").get_data(as_text=True)

    # A second kommune plans it, with a date and a note: now they find each other.
    malvik = _malvik(app)
    form = {"status": "planned", "wanted_on": "2027-08-01", "notes": "Anskaffes i 2027."}
    assert post_form(malvik, f"/losninger/{slug}/interesse", form).status_code == 303
    listing = page_text(client_for(None).get("/samarbeid-muligheter"))
    assert "Trondheim kommune" in listing
    assert "Malvik kommune" in listing
    assert "1. august 2027" in listing
    assert "Anskaffes i 2027." in listing

    kommune = page_text(client_for(None).get("/kommuner/5001"))
    assert "Planer Trondheim kommune deler med andre" in kommune
    assert "sammen med Malvik kommune (planlagt, 1. august 2027)" in kommune

    body = client_for(None).get("/api/v1/shared-plans?organisation=5031").json
    assert [p["slug"] for p in body] == [slug]
    assert [p["organisation"] for p in body[0]["plans"]] == ["malvik", "trondheim"]  # dated first
    assert body[0]["earliest_wanted"] == "2027-08-01"
    assert body[0]["plans"][0]["notes"] == "Anskaffes i 2027."

    # The Atom feeds carry the match, so a coordinator is told.
    feed_data = client_for(None).get("/samarbeid-muligheter.atom").data
    feed = ElementTree.fromstring(feed_data)  # noqa: S314 - our own feed, not untrusted input
    entries = feed.findall(f"{ATOM}entry")
    mine = [e for e in entries if e.find(f"{ATOM}link").get("href").endswith(f"/losninger/{slug}")]
    assert len(mine) == 1
    summary = mine[0].findtext(f"{ATOM}summary")
    assert "Malvik kommune (planlagt, ønsket 1. august 2027)" in summary
    assert "Trondheim kommune (vurderer)" in summary
    own = client_for(None).get("/kommuner/5031/samarbeid.atom")
    assert own.mimetype == "application/atom+xml"
    own_feed = ElementTree.fromstring(own.data)  # noqa: S314 - our own feed
    assert len(own_feed.findall(f"{ATOM}entry")) == 1
    assert client_for(None).get("/kommuner/9999/samarbeid.atom").status_code == 404

    # Changing one's plan keeps the same adoption (and its contact).
    again = post_form(
        trondheim, f"/losninger/{slug}/interesse", {"status": "planned", "version": "1"}
    )
    assert again.status_code == 303
    changed = _plan(app, slug, "5001")
    assert changed is not None
    assert (changed.id, changed.status) == (plan.id, "planned")


def test_bad_plans_answer_4xx_and_change_nothing(app: Flask, client_for: Clients) -> None:
    slug = create(client_for(OWNER))
    trondheim = client_for(OTHER)
    for form, field in (
        ({"status": "in_use"}, "Velg et av alternativene"),
        ({}, "Hvor langt har dere kommet?"),
        ({"status": "planned", "wanted_on": "31.13.2027"}, "Skriv en gyldig dato"),
        ({"status": "planned", "notes": "x" * 5001}, "Skriv høyst 5000 tegn."),
    ):
        refused = post_form(trondheim, f"/losninger/{slug}/interesse", form)
        assert refused.status_code == 422, form
        assert field in page_text(refused)
    assert _plan(app, slug, "5001") is None

    # Someone changed the plan meanwhile: told, not overwritten.
    assert post_form(trondheim, f"/losninger/{slug}/interesse", {"status": "considering"})
    stale = post_form(
        trondheim, f"/losninger/{slug}/interesse", {"status": "planned", "version": "99"}
    )
    assert stale.status_code == 409
    kept = _plan(app, slug, "5001")
    assert kept is not None
    assert kept.status == "considering"

    # An organisation that uses it already changes that on the adoption form.
    owner_uses = post_form(
        client_for(OTHER), f"/losninger/{slug}/bruk", {"status": "in_use", "version": "1"}
    )
    assert owner_uses.status_code == 303
    used = post_form(trondheim, f"/losninger/{slug}/interesse", {"status": "planned"})
    assert used.status_code == 422
    assert "har allerede registrert bruk" in page_text(used)
    assert "Vurderer eller planlegger" not in page_text(trondheim.get(f"/losninger/{slug}"))

    # Signed out: to the login page, nothing saved.
    anonymous = client_for(None).post(f"/losninger/{slug}/interesse", data={"status": "planned"})
    assert anonymous.status_code in (302, 303, 400)


def test_shared_plans_api_is_documented_and_checks_the_organisation(
    app: Flask, client_for: Clients
) -> None:
    client = client_for(None)
    spec = client.get("/api/openapi.json").json
    assert "/api/v1/shared-plans" in spec["paths"]
    assert client.get("/api/v1/shared-plans").json == []
    assert client.get("/api/v1/shared-plans?organisation=9999").status_code == 404
