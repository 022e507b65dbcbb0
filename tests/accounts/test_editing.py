"""Registering, editing, publishing and retiring solutions and recording adoptions in the
browser's forms: the same validation as the API, Norwegian messages at the fields, drafts
nobody else sees, and no silent overwrite of someone else's change."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Solution
from app.web.messages import flatten_errors
from tests.accounts.conftest import page_text, post_form
from tests.conftest import auth, solution_payload

FORM = {
    "name": "Digital startlånsøknad",
    "summary": "Søknad om startlån fra Husbanken, behandlet digitalt.",
    "description": "Innbyggeren søker på nett.",
    "kind": "service",
    "status": "production",
    "themes": ["bygg-og-eiendom"],
    "tags": "startlån, husbanken",
    "links.homepage": "https://namsos.kommune.no/startlan",
    "contact.name": "Kari Nordmann",
    "contact.email": "kari@namsos.kommune.no",
}
"""A valid solution form as a browser posts it."""

Clients = Callable[[str | None], FlaskClient]


def form(**changes: Any) -> dict[str, Any]:
    """Return the valid form with some fields changed."""
    return {**FORM, **changes}


def edit_form(client: FlaskClient, slug: str) -> dict[str, Any]:
    """Return the edit form's fields as the page fills them in (hidden version included)."""
    html = client.get(f"/losninger/{slug}/rediger").get_data(as_text=True)
    values: dict[str, Any] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        if name in ("themes", "standards"):
            continue
        values[name] = value.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")
    for name in ("themes", "standards"):
        values[name] = re.findall(rf'name="{name}" value="([^"]+)" checked', html)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        values[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        values[name] = selected.group(1) if selected else ""
    values.pop("csrf_token", None)
    return values


def create(client: FlaskClient, action: str = "publish", **changes: Any) -> str:
    """Register a solution through the form; return its slug."""
    response = post_form(client, "/losninger/ny", {**form(**changes), "action": action})
    assert response.status_code == 303, page_text(response)
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


# ---- The permission matrix of the forms ----

ANONYMOUS, OWNER, OTHER, ADMIN = None, "editor", "other", "admin"


@pytest.mark.parametrize(
    ("who", "expected"),
    [(ANONYMOUS, 302), (OWNER, 200), (OTHER, 403), (ADMIN, 200)],
)
@pytest.mark.parametrize("page", ["rediger", "avvikle"])
def test_who_may_open_the_edit_and_retire_forms(
    client_for: Clients, who: str | None, expected: int, page: str
) -> None:
    slug = create(client_for(OWNER))
    response = client_for(who).get(f"/losninger/{slug}/{page}")
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/logg-inn")
    if expected == 403:
        assert "Du har ikke tilgang" in page_text(response)


@pytest.mark.parametrize(
    ("who", "expected"),
    [(ANONYMOUS, 302), (OWNER, 303), (OTHER, 403), (ADMIN, 303)],
)
def test_who_may_save_an_edit(
    app: Flask, client_for: Clients, who: str | None, expected: int
) -> None:
    owner = client_for(OWNER)
    slug = create(owner)
    client = client_for(who)
    fields = edit_form(client if who == ADMIN else owner, slug)  # an admin's has the owner
    response = post_form(client, f"/losninger/{slug}/rediger", {**fields, "name": "Nytt navn"})
    assert response.status_code == expected
    with app.app_context():
        name = db.session.query(Solution.name).filter_by(slug=slug).scalar()
    assert (name == "Nytt navn") == (expected == 303)


@pytest.mark.parametrize(
    ("who", "expected"),
    [(ANONYMOUS, 302), (OWNER, 303), (OTHER, 403), (ADMIN, 303)],
)
def test_who_may_retire_a_solution(
    app: Flask, client_for: Clients, who: str | None, expected: int
) -> None:
    slug = create(client_for(OWNER))
    response = post_form(
        client_for(who),
        f"/losninger/{slug}/avvikle",
        {"version": "1", "retired_reason": "Erstattet av en felles løsning."},
    )
    assert response.status_code == expected
    with app.app_context():
        status = db.session.query(Solution.status).filter_by(slug=slug).scalar()
    assert (status == "retired") == (expected == 303)


def test_retiring_a_solution_takes_a_reason_that_its_page_shows(
    app: Flask, client_for: Clients
) -> None:
    owner = client_for(OWNER)
    slug = create(owner)
    without = post_form(owner, f"/losninger/{slug}/avvikle", {"version": "1"})
    assert without.status_code == 422
    assert "Skriv hvorfor løsningen avvikles" in without.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Solution.status).filter_by(slug=slug).scalar() != "retired"

    reason = "Erstattet av den felles løsningen i Trøndelag."
    done = post_form(
        owner, f"/losninger/{slug}/avvikle", {"version": "1", "retired_reason": reason}
    )
    assert done.status_code == 303
    page = owner.get(f"/losninger/{slug}").get_data(as_text=True)
    assert reason in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [(ANONYMOUS, 302), (OWNER, 200), (OTHER, 200), (ADMIN, 200)],
)
def test_who_may_register_a_solution(client_for: Clients, who: str | None, expected: int) -> None:
    assert client_for(who).get("/losninger/ny").status_code == expected


def test_an_editor_registers_only_for_their_own_organisation(
    app: Flask, client_for: Clients
) -> None:
    # The owner field is not on an editor's form, and a forged one changes nothing.
    slug = create(client_for(OTHER), owner="5007")
    with app.app_context():
        solution = db.session.query(Solution).filter_by(slug=slug).one()
        assert solution.owner.kommunenummer == "5001"
    slug = create(client_for(ADMIN), owner="namsos")
    with app.app_context():
        assert db.session.query(Solution).filter_by(slug=slug).one().owner.slug == "namsos"


def test_an_editor_cannot_move_a_solution_to_another_owner(app: Flask, client_for: Clients) -> None:
    owner = client_for(OWNER)
    slug = create(owner)
    fields = edit_form(owner, slug)
    assert "owner" not in fields  # admins only
    response = post_form(owner, f"/losninger/{slug}/rediger", {**fields, "owner": "trondheim"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(Solution).filter_by(slug=slug).one().owner.slug == "namsos"


def test_forms_without_a_csrf_token_are_refused(app: Flask, client_for: Clients) -> None:
    client = client_for(OWNER)
    response = client.post("/losninger/ny", data={**FORM, "action": "publish"})
    assert response.status_code == 400
    assert "Skjemaet kunne ikke sendes" in page_text(response)
    response = client.post("/losninger/ny", data={**FORM, "csrf_token": "forfalsket"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Solution).count() == 0


# ---- Validation: the API's rules, Norwegian messages at the fields ----


def test_errors_are_norwegian_next_to_each_field(client_for: Clients) -> None:
    response = post_form(
        client_for(OWNER),
        "/losninger/ny",
        form(
            name="ab",
            summary="",
            themes=[],
            **{"links.homepage": "namsos.no", "contact.email": "kari(at)namsos"},
        ),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    expected = {
        "f-name": "Skriv mellom 3 og 200 tegn.",
        "f-summary": "Fyll ut feltet.",
        "f-themes": "Velg minst ett og høyst 14 temaer.",
        "f-links-homepage": "Skriv en fullstendig nettadresse som begynner med https://.",
        "f-contact-email": "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.",
    }
    for field_id, message in expected.items():
        error = re.search(rf'<p class="field__error" id="{field_id}-error">(.*?)</p>', html, re.S)
        assert error, field_id
        assert message in error.group(1)
        assert f'href="#{field_id}"' in html  # the summary links to the field
        assert re.search(rf'id="{field_id}"[^>]*aria-describedby="[^"]*{field_id}-error', html)
    assert "data-error-summary" in html
    assert "<title>Feil: " in html
    # What was typed is still there.
    assert 'value="namsos.no"' in html


CASES = [
    {"name": "ab"},
    {"summary": "for kort"},
    {"kind": "robot"},
    {"themes": []},
    {"themes": ["finnes-ikke"]},
    {"standards": ["finnes-ikke"]},
    {"tags": "x" * 61},
    {"links.homepage": "ftp:/x"},
    {"contact.email": "ikke-en-adresse"},
    {"description": "nul\x00byte"},
]
"""Invalid inputs that the form and the API must refuse alike."""


def _api_body(case: dict[str, Any]) -> dict[str, Any]:
    body = solution_payload()
    for key, value in case.items():
        if key == "tags":
            body["tags"] = [value]
        elif "." in key:
            group, sub = key.split(".")
            body[group] = {sub: value}
        else:
            body[key] = value
    return body


@pytest.mark.parametrize("case", CASES, ids=[next(iter(c)) for c in CASES])
def test_the_form_refuses_what_the_api_refuses(
    client_for: Clients, make_token: Callable[..., str], case: dict[str, Any]
) -> None:
    api = client_for(None).post(
        "/api/v1/solutions", json=_api_body(case), headers=auth(make_token())
    )
    assert api.status_code == 422
    # The same fields are refused, each named where the form shows it (f-links-homepage).
    api_fields = {
        "f-" + re.sub(r"[._]", "-", field) for field in flatten_errors(api.json["errors"]["json"])
    }
    page = post_form(client_for(OWNER), "/losninger/ny", form(**case))
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert set(re.findall(r'id="(f-[a-z-]+)-error"', html)) == api_fields, api.json
    assert "Verdien er ugyldig." not in html  # every message has a Norwegian text


# ---- Drafts ----


def test_a_draft_is_seen_only_by_its_organisation_and_admins(
    app: Flask, client_for: Clients, make_token: Callable[..., str]
) -> None:
    owner = client_for(OWNER)
    slug = create(owner, action="draft", name="Hemmelig utkast om byggesak")
    anonymous, other, admin = client_for(None), client_for(OTHER), client_for(ADMIN)

    assert "Utkast" in page_text(owner.get(f"/losninger/{slug}"))
    assert admin.get(f"/losninger/{slug}").status_code == 200
    for client in (anonymous, other):
        assert client.get(f"/losninger/{slug}").status_code == 404
        assert client.get(f"/losninger/{slug}/historikk").status_code == 404
        assert client.get(f"/losninger/{slug}/rediger").status_code in (302, 404)
    # Not in the API for others, the lists, search, the organisation, the matrix or feeds.
    assert anonymous.get(f"/api/v1/solutions/{slug}").status_code == 404
    assert (
        anonymous.get(f"/api/v1/solutions/{slug}", headers=auth(make_token("5001"))).status_code
        == 404
    )
    assert (
        anonymous.get(f"/api/v1/solutions/{slug}", headers=auth(make_token("5007"))).status_code
        == 200
    )
    assert anonymous.get(f"/api/v1/solutions/{slug}/history").status_code == 404
    listed = anonymous.get("/api/v1/solutions?page_size=100").json
    assert slug not in [s["slug"] for s in listed]
    assert slug not in [
        s["slug"] for s in anonymous.get("/api/v1/organisations/5007/solutions").json
    ]
    assert "Hemmelig utkast" not in page_text(anonymous.get("/sok?q=hemmelig"))
    assert anonymous.get("/api/v1/search?q=hemmelig").json["total"] == 0
    assert "Hemmelig utkast" not in page_text(anonymous.get("/kommuner/5007"))
    assert "Hemmelig utkast" not in page_text(anonymous.get("/gjenbruksmatrise"))
    assert "Hemmelig utkast" not in page_text(anonymous.get("/"))
    # Its own organisation's page lists it first, marked as a draft.
    assert re.search(r"Hemmelig utkast.*Utkast", page_text(owner.get("/min-side")))

    # Publishing makes it public everywhere, search included.
    fields = edit_form(owner, slug)
    response = post_form(owner, f"/losninger/{slug}/rediger", {**fields, "action": "publish"})
    assert response.status_code == 303
    assert anonymous.get(f"/losninger/{slug}").status_code == 200
    assert "Hemmelig utkast" in page_text(anonymous.get("/sok?q=hemmelig"))
    assert slug in [s["slug"] for s in anonymous.get("/api/v1/solutions?page_size=100").json]


def test_a_published_solution_cannot_become_a_draft_again(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    slug = create(client_for(OWNER))
    client = client_for(None)
    response = client.patch(
        f"/api/v1/solutions/{slug}", json={"is_draft": True}, headers=auth(make_token(), 1)
    )
    assert response.status_code == 422
    assert "is_draft" in response.json["errors"]["json"]


def test_the_api_saves_and_publishes_drafts_too(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    client, token = client_for(None), make_token()
    created = client.post(
        "/api/v1/solutions", json=solution_payload(is_draft=True), headers=auth(token)
    )
    assert created.status_code == 201
    assert created.json["is_draft"] is True
    slug = created.json["slug"]
    assert client.get(f"/api/v1/solutions/{slug}").status_code == 404
    # Left out of a PUT, the draft state stays; is_draft: false publishes.
    put = client.put(
        f"/api/v1/solutions/{slug}", json=solution_payload(name="Nytt navn"), headers=auth(token, 1)
    )
    assert put.json["is_draft"] is True
    published = client.patch(
        f"/api/v1/solutions/{slug}", json={"is_draft": False}, headers=auth(token, 2)
    )
    assert published.json["is_draft"] is False
    assert client.get(f"/api/v1/solutions/{slug}").status_code == 200
    # Adopting waits until it is published.
    draft = client.post(
        "/api/v1/solutions", json=solution_payload(is_draft=True, name="Annet"), headers=auth(token)
    ).json["slug"]
    adoption = client.post(
        f"/api/v1/solutions/{draft}/adoptions",
        json={"organisation": "5007", "status": "pilot"},
        headers=auth(token),
    )
    assert adoption.status_code == 404


# ---- No silent overwrite ----


def test_a_stale_save_is_refused_and_shows_what_changed(
    app: Flask, client_for: Clients, make_token: Callable[..., str]
) -> None:
    first = client_for(OWNER)
    slug = create(first)
    opened = edit_form(first, slug)
    assert opened["version"] == "1"

    # Someone else changes the name and the summary meanwhile (here through the API).
    changed = client_for(None).patch(
        f"/api/v1/solutions/{slug}",
        json={"name": "Startlån på nett", "summary": "Endret av fagsystemet i mellomtiden."},
        headers=auth(make_token(), 1),
    )
    assert changed.status_code == 200

    mine = {**opened, "summary": "Min egen oppsummering av løsningen.", "licence": "MIT"}
    response = post_form(first, f"/losninger/{slug}/rediger", mine)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Ikke lagret: noen andre endret løsningen mens du redigerte" in text
    rows = dict(
        (label, (theirs, yours))
        for label, theirs, yours in re.findall(
            r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', html
        )
    )
    assert rows["Navn"] == ("Startlån på nett", "Digital startlånsøknad")
    assert rows["Kort beskrivelse"] == (
        "Endret av fagsystemet i mellomtiden.",
        "Min egen oppsummering av løsningen.",
    )
    assert "Lisens" not in rows  # only they or only you changed it: nothing to merge
    assert 'name="version" value="2"' in html  # the form may now be saved over version 2
    assert "Min egen oppsummering" in html  # your values are kept in the form
    with app.app_context():
        stored = db.session.query(Solution).filter_by(slug=slug).one()
        assert stored.name == "Startlån på nett"
        assert stored.licence is None

    # Having merged, the editor saves over the current version.
    merged = {**mine, "name": "Startlån på nett", "version": "2"}
    assert post_form(first, f"/losninger/{slug}/rediger", merged).status_code == 303
    with app.app_context():
        stored = db.session.query(Solution).filter_by(slug=slug).one()
        assert (stored.name, stored.licence, stored.version) == ("Startlån på nett", "MIT", 3)


def test_retiring_a_changed_solution_asks_again(app: Flask, client_for: Clients) -> None:
    owner = client_for(OWNER)
    slug = create(owner)
    fields = edit_form(owner, slug)
    assert (
        post_form(owner, f"/losninger/{slug}/rediger", {**fields, "licence": "MIT"}).status_code
        == 303
    )
    response = post_form(owner, f"/losninger/{slug}/avvikle", {"version": "1"})
    assert response.status_code == 409
    assert "ble endret av noen andre" in page_text(response)
    again = {"version": "2", "retired_reason": "Erstattet."}
    assert post_form(owner, f"/losninger/{slug}/avvikle", again).status_code == 303
    assert "Avviklet" in page_text(owner.get(f"/losninger/{slug}"))


# ---- Adoptions ----


def test_record_and_change_an_adoption(app: Flask, client_for: Clients) -> None:
    slug = create(client_for(OWNER))
    other = client_for(OTHER)
    form_page = other.get(f"/losninger/{slug}/bruk")
    assert form_page.status_code == 200
    assert "Registrer bruk av" in page_text(form_page)
    bad = post_form(other, f"/losninger/{slug}/bruk", {"status": "", "since": "i fjor"})
    assert bad.status_code == 422
    assert "Fyll ut feltet." in page_text(bad)
    assert "Skriv en gyldig dato" in page_text(bad)

    # A forged organisation is ignored: an editor records use only for their own.
    saved = post_form(
        other,
        f"/losninger/{slug}/bruk",
        {"status": "pilot", "since": "2025-03-01", "notes": "Prøver i byggesak", "org": "5007"},
    )
    assert saved.status_code == 303
    usage = client_for(None).get(f"/api/v1/solutions/{slug}/adoptions").json
    assert [(a["organisation"]["slug"], a["status"]) for a in usage] == [("trondheim", "pilot")]

    # Changing it needs the version the form was opened at.
    assert 'name="version" value="1"' in other.get(f"/losninger/{slug}/bruk").get_data(as_text=True)
    changed = post_form(
        other, f"/losninger/{slug}/bruk", {"status": "in_use", "version": "1", "since": ""}
    )
    assert changed.status_code == 303
    stale = post_form(other, f"/losninger/{slug}/bruk", {"status": "retired", "version": "1"})
    assert stale.status_code == 409
    assert "noen andre endret bruken" in page_text(stale)

    # An admin may record use for any organisation.
    admin = client_for(ADMIN)
    assert "Organisasjon (administrator)" in page_text(admin.get(f"/losninger/{slug}/bruk"))
    saved = post_form(admin, f"/losninger/{slug}/bruk", {"status": "planned", "org": "steinkjer"})
    assert saved.status_code == 303
    usage = client_for(None).get(f"/api/v1/solutions/{slug}/adoptions").json
    assert {a["organisation"]["slug"] for a in usage} == {"trondheim", "steinkjer"}


def test_the_owner_says_what_adopting_costs_a_newcomer(client: FlaskClient, client_for: Clients):
    owner = client_for(OWNER)
    slug = create(
        owner,
        **{"adoption_cost.one_off_nok": "120 000", "adoption_cost.lead_time_weeks": "12"},
    )
    assert client.get(f"/api/v1/solutions/{slug}").json["adoption_cost"] == {
        "one_off_nok": 120000,
        "yearly_nok": None,
        "effort_hours": None,
        "lead_time_weeks": 12,
    }
    page = client.get(f"/losninger/{slug}").get_data(as_text=True)
    assert "120\u00a0000&nbsp;kr én gang" in page
    edit = owner.get(f"/losninger/{slug}/rediger").get_data(as_text=True)
    assert 'value="120000"' in edit
    bad = post_form(
        owner, "/losninger/ny", {**form(**{"adoption_cost.yearly_nok": "-5"}), "action": "publish"}
    )
    assert bad.status_code == 422
    assert "Årlig kostnad i kroner: Skriv et tall fra 0" in page_text(bad)
