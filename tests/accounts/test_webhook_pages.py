"""An organisation's editors manage its webhooks on /min-side: register one (the secret is shown
once), see its deliveries, send a test, send a delivery again, delete it."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Webhook, WebhookDelivery
from app.services import webhooks
from tests.accounts.conftest import page_text, post_form
from tests.webhook_receiver import Receiver

Clients = Callable[[str | None], FlaskClient]
SECRET = re.compile(r'<p class="secret" id="new-secret">(gkwh_[^<]+)</p>')
PAGE = "/min-side/webhooks"
GOOD_URL = "https://mottak.namsos.kommune.no/gjenbruk"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def _hooks(app: Flask) -> list[Webhook]:
    with app.app_context():
        rows = list(db.session.scalars(select(Webhook).order_by(Webhook.id)))
        db.session.expunge_all()
        return rows


def _deliveries(app: Flask) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def _field_error(response: object, field: str) -> str:
    """Return the error text printed at one field of the form."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    match = re.search(rf'<p class="field__error" id="f-{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error at {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_create_shows_the_secret_once_and_lists_the_webhook(
    app: Flask, client_for: Clients
) -> None:
    editor = client_for("editor")
    empty = editor.get(PAGE)
    assert empty.status_code == 200
    assert "Namsos kommune har ingen webhooker ennå." in page_text(empty)
    html = empty.get_data(as_text=True)
    # Every topic is checked by default, and the hint stands under the URL field.
    for topic in ("solutions", "adoptions", "plans"):
        assert f'id="f-topics-{topic}" name="topics" value="{topic}" checked' in html
    assert "Må begynne med https://" in page_text(empty)
    assert "webhooks run" in html

    created = post_form(editor, PAGE, {"url": GOOD_URL, "topics": ["solutions", "plans"]})
    assert created.status_code == 201
    assert "no-store" in created.headers["Cache-Control"]
    secret = SECRET.search(created.get_data(as_text=True)).group(1)
    text = page_text(created)
    assert "X-Gjenbruk-Signature-256" in text
    assert "<code>sha256=&lt;hex&gt;</code>" in created.get_data(as_text=True)
    assert "HMAC-SHA256" in text
    assert "X-Gjenbruk-Delivery" in text
    [hook] = _hooks(app)
    assert (hook.url, hook.topics, hook.secret) == (GOOD_URL, ["solutions", "plans"], secret)

    listing = editor.get(PAGE)
    assert listing.status_code == 200
    assert secret not in listing.get_data(as_text=True)
    text = page_text(listing)
    assert GOOD_URL in text
    [card] = re.findall(r"<article.*?</article>", listing.get_data(as_text=True), re.S)
    follows = re.search(r"<dt>Varsler om</dt>(.*?)</dd>", card, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", follows) == [
        "Endringer i våre løsninger",
        "Andre planlegger det samme som oss",
    ]
    assert "Ikke forsøkt ennå" in text
    assert "Ingen leveranser ennå." in text


def test_an_admin_manages_another_organisations_webhooks(app: Flask, client_for: Clients) -> None:
    admin = client_for("admin")
    created = post_form(admin, PAGE, {"url": GOOD_URL, "topics": ["adoptions"], "org": "5007"})
    assert created.status_code == 201
    [hook] = _hooks(app)
    with app.app_context():
        assert db.session.get(Webhook, hook.id).organisation.kommunenummer == "5007"
    assert GOOD_URL in page_text(admin.get(f"{PAGE}?org=5007"))
    assert GOOD_URL not in page_text(admin.get(PAGE))  # their own is Trondheim


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mottak.namsos.kommune.no/hook", "Må begynne med https://"),
        ("https://127.0.0.1/hook", "katalogens egen maskin"),
        ("https://localhost:8443/hook", "katalogens egen maskin"),
        ("https://169.254.169.254/latest/meta-data", "lenkelokal"),
        ("https://kari:hemmelig@mottak.namsos.kommune.no/hook", "brukernavn eller passord"),
        ("mottak.namsos.kommune.no", "for eksempel https://mottak.kommune.no/webhook"),
        ("", "Skriv adressen webhooken skal sende til"),
    ],
)
def test_a_bad_url_is_explained_at_the_field(
    app: Flask, client_for: Clients, url: str, message: str
) -> None:
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = False
    editor = client_for("editor")
    refused = post_form(editor, PAGE, {"url": url, "topics": ["solutions"]})
    assert refused.status_code == 422
    assert message in _field_error(refused, "url")
    html = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert 'href="#f-url"' in html  # the summary links to the field
    assert "Verdien er ugyldig." not in page_text(refused)  # every message is translated
    # What was typed and chosen stays in the form.
    assert f'value="{url}"' in html
    assert 'value="solutions" checked' in html
    assert 'value="plans" checked' not in html
    assert _hooks(app) == []


def test_no_topic_is_explained_at_the_fieldset(app: Flask, client_for: Clients) -> None:
    refused = post_form(client_for("editor"), PAGE, {"url": GOOD_URL})
    assert refused.status_code == 422
    assert "Velg minst én ting webhooken skal varsle om." in _field_error(refused, "topics")
    assert 'href="#f-topics"' in refused.get_data(as_text=True)
    unknown = post_form(client_for("editor"), PAGE, {"url": GOOD_URL, "topics": ["alt"]})
    assert unknown.status_code == 422
    assert "Velg blant det som står i listen." in _field_error(unknown, "topics")
    assert _hooks(app) == []


def test_at_most_the_limit_of_webhooks(app: Flask, client_for: Clients) -> None:
    from app.limits import MAX_WEBHOOKS_PER_ORGANISATION

    with app.app_context():
        for n in range(MAX_WEBHOOKS_PER_ORGANISATION):
            webhooks.create_webhook("5007", {"url": f"{GOOD_URL}/{n}"})
    refused = post_form(client_for("editor"), PAGE, {"url": GOOD_URL, "topics": ["plans"]})
    assert refused.status_code == 422
    assert f"høyst {MAX_WEBHOOKS_PER_ORGANISATION} webhooker" in _field_error(refused, "url")


def test_ping_retry_and_delete(app: Flask, client_for: Clients) -> None:
    editor = client_for("editor")
    post_form(editor, PAGE, {"url": GOOD_URL, "topics": ["solutions"]})
    [hook] = _hooks(app)

    pinged = post_form(editor, f"{PAGE}/{hook.id}/test")
    assert pinged.status_code == 303
    [delivery] = _deliveries(app)
    assert (delivery.event, delivery.status, delivery.attempts) == ("ping", "pending", 0)
    page = editor.get(PAGE)
    text = page_text(page)
    assert "Testvarsel lagt i kø" in text
    assert "1 leveranse" in text  # waiting to be sent
    assert "Testvarsel ping Venter 0" in text
    assert f'action="/min-side/webhooks/{hook.id}/leveranser/' not in page.get_data(as_text=True)

    # Every attempt refused: it fails, and can be sent again from the page.
    with app.app_context():
        row = db.session.get(WebhookDelivery, delivery.id)
        row.status, row.attempts, row.response_status = "failed", 12, 503
        db.session.commit()
    text = page_text(editor.get(PAGE))
    assert "Feilet" in text
    assert "HTTP 503" in text
    assert "0 leveranser" in text
    retried = post_form(editor, f"{PAGE}/{hook.id}/leveranser/{delivery.id}/send-igjen")
    assert retried.status_code == 303
    [delivery] = _deliveries(app)
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert "er lagt i kø igjen" in page_text(editor.get(PAGE))

    deleted = post_form(editor, f"{PAGE}/{hook.id}/slett")
    assert deleted.status_code == 303
    assert _hooks(app) == []
    assert _deliveries(app) == []
    text = page_text(editor.get(PAGE))
    assert "er slettet" in text
    assert "Namsos kommune har ingen webhooker ennå." in text


def test_a_real_delivery_shows_as_delivered(
    app: Flask, client_for: Clients, receiver: Receiver
) -> None:
    editor = client_for("editor")
    created = post_form(editor, PAGE, {"url": receiver.url, "topics": ["solutions"]})
    assert created.status_code == 201
    secret = SECRET.search(created.get_data(as_text=True)).group(1)
    [hook] = _hooks(app)
    post_form(editor, f"{PAGE}/{hook.id}/test")
    with app.app_context():
        assert webhooks.work_once()["delivered"] == 1
    [received] = receiver.received
    # What the page explains is what the receiver gets.
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Gjenbruk-Signature-256"] == expected
    [delivery] = _deliveries(app)
    assert received.headers["X-Gjenbruk-Delivery"] == str(delivery.id)

    text = page_text(editor.get(PAGE))
    assert "Resultat Levert (HTTP 204)" in text
    assert "Testvarsel ping Levert" in text
    assert "HTTP 204" in text
    assert "Sist forsøkt Aldri" not in text


def test_a_refused_attempt_shows_the_status(
    app: Flask, client_for: Clients, receiver: Receiver
) -> None:
    receiver.status = 500
    editor = client_for("editor")
    post_form(editor, PAGE, {"url": receiver.url, "topics": ["solutions"]})
    [hook] = _hooks(app)
    post_form(editor, f"{PAGE}/{hook.id}/test")
    with app.app_context():
        assert webhooks.work_once()["refused"] == 1
    page = editor.get(PAGE)
    text = page_text(page)
    assert "Resultat Avvist (HTTP 500)" in text
    assert "Venter, neste forsøk" in text
    [delivery] = _deliveries(app)
    assert f"/leveranser/{delivery.id}/send-igjen" in page.get_data(as_text=True)


def test_another_organisations_webhook_is_not_found(app: Flask, client_for: Clients) -> None:
    editor, other = client_for("editor"), client_for("other")
    post_form(editor, PAGE, {"url": GOOD_URL, "topics": ["solutions"]})
    [hook] = _hooks(app)
    post_form(editor, f"{PAGE}/{hook.id}/test")
    [delivery] = _deliveries(app)
    # Their page lists their own organisation's webhooks only; a forged org is ignored.
    assert GOOD_URL not in page_text(other.get(f"{PAGE}?org=5007"))
    for path in (
        f"{PAGE}/{hook.id}/slett",
        f"{PAGE}/{hook.id}/test",
        f"{PAGE}/{hook.id}/leveranser/{delivery.id}/send-igjen",
        f"{PAGE}/{hook.id + 1000}/test",
    ):
        assert post_form(other, path).status_code == 404, path
    assert (
        post_form(
            editor, f"{PAGE}/{hook.id}/leveranser/{delivery.id + 1000}/send-igjen"
        ).status_code
        == 404
    )
    assert len(_hooks(app)) == 1
    assert len(_deliveries(app)) == 1


def test_not_signed_in_goes_to_the_login(app: Flask, client_for: Clients) -> None:
    anonymous = client_for(None)
    response = anonymous.get(PAGE)
    assert response.status_code == 302
    assert "/logg-inn" in response.headers["Location"]
    assert post_form(anonymous, f"{PAGE}/1/slett").status_code == 302


def test_min_side_links_to_the_page(client_for: Clients) -> None:
    editor = client_for("editor")
    assert f'href="{PAGE}"' in editor.get("/min-side").get_data(as_text=True)
    assert 'href="/min-side/api-nokler"' in editor.get(PAGE).get_data(as_text=True)


def test_the_retry_window_follows_the_configuration(app: Flask) -> None:
    from app.web.webhook_views import retry_window_text

    with app.test_request_context():
        assert retry_window_text() == "omtrent halvannet døgn"  # the defaults
        app.config.update(WEBHOOK_RETRY_BASE_SECONDS=30.0, WEBHOOK_MAX_ATTEMPTS=12)
        assert retry_window_text() == "omtrent 15 timer"
        app.config.update(WEBHOOK_RETRY_MAX_SECONDS=12 * 3600.0, WEBHOOK_MAX_ATTEMPTS=14)
        assert retry_window_text() == "omtrent halvannet døgn"
        app.config.update(WEBHOOK_MAX_ATTEMPTS=2)
        assert retry_window_text() == "omtrent 1 minutt"
