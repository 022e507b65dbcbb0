"""Is it still true, in the browser: confirming, what editors see, review on /min-side, lineage."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import Solution
from app.models.quality import months_later, today
from tests.accounts.conftest import page_text, post_form
from tests.accounts.test_editing import ADMIN, OTHER, OWNER, Clients, create, edit_form


def _confirmed(app: Flask, slug: str, day: date | None = None) -> date | None:
    """Set the last confirmed date when ``day`` is given; return the stored one."""
    with app.app_context():
        if day is not None:  # as time passing would: the version stays
            table = Solution.__table__
            db.session.execute(
                update(table).where(table.c.slug == slug).values(last_confirmed_on=day)
            )
            db.session.commit()
        return db.session.query(Solution.last_confirmed_on).filter_by(slug=slug).scalar()


def test_the_owner_confirms_an_old_entry_from_its_page(app: Flask, client_for: Clients) -> None:
    owner = client_for(OWNER)
    slug = create(owner)
    _confirmed(app, slug, months_later(today(), -14))

    anonymous = page_text(client_for(None).get(f"/losninger/{slug}"))
    assert "Bør gjennomgås" in anonymous
    assert "Bekreft at opplysningene stemmer" not in anonymous
    assert "Bekreft at opplysningene stemmer" not in page_text(
        client_for(OTHER).get(f"/losninger/{slug}")
    )

    assert (
        post_form(client_for(OTHER), f"/losninger/{slug}/bekreft", {"version": "1"}).status_code
        == 403
    )
    done = post_form(owner, f"/losninger/{slug}/bekreft", {"version": "1"})
    assert done.status_code == 303
    assert _confirmed(app, slug) == today()
    assert "Oppdatert" in page_text(client_for(None).get(f"/losninger/{slug}"))

    # A confirmation made on an old page (the entry changed meanwhile) is not counted.
    _confirmed(app, slug, months_later(today(), -14))
    stale = post_form(owner, f"/losninger/{slug}/bekreft", {"version": "1"})
    assert stale.status_code == 303
    assert _confirmed(app, slug) != today()


def test_only_editors_see_what_the_entry_lacks(app: Flask, client_for: Clients) -> None:
    slug = create(client_for(OWNER))  # the form has no standards, costs or licence
    for who in (OWNER, ADMIN):
        text = page_text(client_for(who).get(f"/losninger/{slug}"))
        assert "komplett" in text
        assert "Standarder:" in text
        assert "Lisens:" in text
    for who in (None, OTHER):
        assert "komplett" not in page_text(client_for(who).get(f"/losninger/{slug}"))


def test_min_side_lists_the_entries_that_need_review(app: Flask, client_for: Clients) -> None:
    owner = client_for(OWNER)
    fresh = create(owner, name="Fersk løsning")
    old = create(owner, name="Gammel løsning")
    older = create(owner, name="Eldgammel løsning")
    _confirmed(app, old, months_later(today(), -13))
    _confirmed(app, older, months_later(today(), -30))

    text = page_text(owner.get("/min-side"))
    review = text.split("bør gjennomgås", 1)[1].split("Løsningene", 1)[0]
    assert review.index("Eldgammel løsning") < review.index("Gammel løsning")
    assert "Kan være utdatert" in review
    assert "Fersk løsning" not in review

    done = post_form(owner, f"/losninger/{older}/bekreft", {"version": "1", "from": "min-side"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/min-side")
    after = page_text(owner.get("/min-side"))
    assert "1 løsning bør gjennomgås" in after
    assert fresh  # made, and never listed


def test_a_variant_is_registered_in_the_form_and_shown_in_the_family_tree(
    app: Flask, client_for: Clients
) -> None:
    owner = client_for(OWNER)
    original = create(owner, name="Startlån original")
    variant = create(
        client_for(OTHER),
        name="Startlån Trondheim",
        based_on=f"http://localhost/losninger/{original}",
        based_on_kind="variant_of",
    )
    with app.app_context():
        stored = db.session.query(Solution).filter_by(slug=variant).one()
        assert (stored.based_on.slug, stored.based_on_kind) == (original, "variant_of")

    text = page_text(client_for(None).get(f"/losninger/{original}"))
    assert "Slektskap" in text
    assert "Startlån Trondheim – er en variant av Startlån original" in text
    assert "hører til en familie på 2 løsninger" in text

    # The form refuses a loop: the original cannot be based on its own variant.
    fields = edit_form(owner, original)
    loop = post_form(owner, f"/losninger/{original}/rediger", {**fields, "based_on": variant})
    assert loop.status_code == 422
    assert "kan ikke bygge på seg selv" in page_text(loop)


def test_stopping_use_takes_a_reason_that_the_status_history_shows(
    app: Flask, client_for: Clients
) -> None:
    slug = create(client_for(OWNER))
    user = client_for(OTHER)
    assert post_form(user, f"/losninger/{slug}/bruk", {"status": "in_use"}).status_code == 303

    refused = post_form(user, f"/losninger/{slug}/bruk", {"status": "retired", "version": "1"})
    assert refused.status_code == 422
    assert "Skriv hvorfor dere sluttet å bruke løsningen." in page_text(refused)
    reason = "Gikk over til den felles løsningen i Værnesregionen."
    done = post_form(
        user,
        f"/losninger/{slug}/bruk",
        {"status": "retired", "version": "1", "status_reason": reason},
    )
    assert done.status_code == 303
    text = page_text(client_for(None).get(f"/losninger/{slug}"))
    history = text.split("Historikk for Trondheim kommune", 1)[1]
    assert f"Avsluttet – {reason}" in history
    assert "I bruk" in history
