"""Webhooks end to end: history entries become signed deliveries to a real local receiver,
retried while it is down, and nothing is lost when the worker is killed."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import WebhookDelivery
from app.models.base import utcnow
from app.services import adoptions, shared_plans, webhooks
from app.services.errors import InvalidData
from app.services.permissions import SYSTEM
from tests.webhook_receiver import Receiver, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def _register(app: Flask, org: str, url: str, topics: list[str] | None = None) -> tuple[int, str]:
    with app.app_context():
        data: dict[str, Any] = {"url": url}
        if topics is not None:
            data["topics"] = topics
        hook, secret = webhooks.create_webhook(org, data)
        return hook.id, secret


def _round(app: Flask) -> dict[str, int]:
    with app.app_context():
        return webhooks.work_once()


def _deliveries(app: Flask, hook_id: int | None = None) -> list[WebhookDelivery]:
    with app.app_context():
        query = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if hook_id is not None:
            query = query.where(WebhookDelivery.webhook_id == hook_id)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def _make_due(app: Flask) -> None:
    """Let time pass for the retry wait: every pending delivery is due now."""
    with app.app_context():
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "pending")
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_a_change_reaches_the_owner_signed_and_once(
    app: Flask, receiver: Receiver, make_solution: Callable[..., str]
) -> None:
    hook_id, secret = _register(app, "5007", receiver.url)
    assert secret.startswith("gkwh_")
    slug = make_solution(name="Varsling om vannlekkasje")
    counts = _round(app)
    assert counts["delivered"] == 1
    assert receiver.events() == ["solution.created"]
    got = receiver.received[0]
    expected = "sha256=" + hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Gjenbruk-Signature-256"] == expected
    assert got.headers["X-Gjenbruk-Event"] == "solution.created"
    assert got.headers["Content-Type"] == "application/json"
    body = got.json
    assert body["organisation"] == "namsos"
    assert body["data"]["solution"] == {"slug": slug, "name": "Varsling om vannlekkasje"}
    assert body["data"]["snapshot"]["owner"] == "namsos"
    [row] = _deliveries(app, hook_id)
    assert got.headers["X-Gjenbruk-Delivery"] == str(row.id)
    assert (row.status, row.attempts, row.response_status) == ("delivered", 1, 204)
    # Nothing new: a second round sends nothing again.
    assert _round(app) == {"entries": 0, "delivered": 0, "refused": 0}
    assert len(receiver.received) == 1


def test_only_what_a_webhook_follows_and_only_its_organisations(
    app: Flask, receiver: Receiver, make_solution: Callable[..., str]
) -> None:
    other = Receiver().start()
    try:
        _register(app, "5007", receiver.url, ["adoptions"])
        _register(app, "5001", other.url, ["solutions", "adoptions"])
        slug = make_solution()  # Namsos's solution: Namsos follows adoptions only
        with app.app_context():
            adoptions.record_adoption(
                slug, "5001", {"organisation": "5001", "status": "in_use"}, actor=SYSTEM
            )
        _round(app)
        # Namsos owns the solution: told of the adoption, as owner; not of the solution itself.
        assert receiver.events() == ["adoption.created"]
        assert receiver.received[0].json["data"]["role"] == "owner"
        # Trondheim adopted it: told as adopter; the solution is not Trondheim's.
        assert other.events() == ["adoption.created"]
        assert other.received[0].json["data"]["role"] == "adopter"
        assert other.received[0].json["data"]["snapshot"]["organisation"] == "trondheim"
    finally:
        other.stop()


def test_changes_from_before_a_webhook_existed_are_not_sent(
    app: Flask, receiver: Receiver, make_solution: Callable[..., str]
) -> None:
    make_solution(name="Eldre endring")
    _register(app, "5007", receiver.url)
    make_solution(name="Ny endring")
    _round(app)
    assert [r.json["data"]["solution"]["name"] for r in receiver.received] == ["Ny endring"]


def test_plan_matches_tell_every_partner(
    app: Flask, receiver: Receiver, make_solution: Callable[..., str]
) -> None:
    other = Receiver().start()
    try:
        _register(app, "5001", receiver.url, ["plans"])
        _register(app, "5006", other.url, ["plans"])
        slug = make_solution()
        with app.app_context():
            shared_plans.record_interest(slug, "5001", {"status": "planned"}, actor=SYSTEM)
        _round(app)
        assert receiver.received == []  # one kommune alone is no match
        with app.app_context():
            shared_plans.record_interest(
                slug, "5006", {"status": "considering", "wanted_on": date(2027, 8, 1)}, actor=SYSTEM
            )
        _round(app)
        for got in (receiver, other):
            assert got.events() == ["plan.matched"]
            data = got.received[0].json["data"]
            assert data["partners"] == ["steinkjer", "trondheim"]
            assert data["joined"] == {
                "organisation": "steinkjer",
                "status": "considering",
                "wanted_on": "2027-08-01",
            }
    finally:
        other.stop()


def test_a_receiver_that_is_down_gets_it_once_it_is_back(
    app: Flask, make_solution: Callable[..., str]
) -> None:
    port = free_port()
    hook_id, _ = _register(app, "5007", f"http://127.0.0.1:{port}/hook")
    make_solution()
    before = utcnow()
    assert _round(app)["refused"] == 1
    [row] = _deliveries(app, hook_id)
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.response_status is None
    assert "ConnectionRefused" in row.last_error
    wait = row.next_attempt_at.replace(tzinfo=None) - before.replace(tzinfo=None)
    assert wait >= timedelta(seconds=app.config["WEBHOOK_RETRY_BASE_SECONDS"] - 1)
    # Not due yet: nothing is tried.
    assert _round(app)["refused"] == 0
    # A receiver that answers 500 is refused too, and waits twice as long.
    broken = Receiver(port=port, status=500).start()
    _make_due(app)
    assert _round(app)["refused"] == 1
    broken.stop()
    [row] = _deliveries(app, hook_id)
    assert (row.attempts, row.response_status) == (2, 500)
    with app.app_context():
        assert webhooks.retry_delay(2) == 2 * webhooks.retry_delay(1)
        [hook] = webhooks.list_webhooks("5007")
        assert (hook.last_outcome, hook.last_response) == ("refused", 500)
    # Back up: delivered on the next due round.
    back = Receiver(port=port).start()
    try:
        _make_due(app)
        assert _round(app)["delivered"] == 1
        assert back.events() == ["solution.created"]
        [row] = _deliveries(app, hook_id)
        assert (row.status, row.attempts) == ("delivered", 3)
    finally:
        back.stop()


def test_a_delivery_refused_every_time_fails_and_can_be_sent_again(
    app: Flask, make_solution: Callable[..., str]
) -> None:
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    port = free_port()
    hook_id, _ = _register(app, "5007", f"http://127.0.0.1:{port}/hook")
    make_solution()
    _round(app)
    _make_due(app)
    _round(app)
    [row] = _deliveries(app, hook_id)
    assert (row.status, row.attempts) == ("failed", 2)
    back = Receiver(port=port).start()
    try:
        with app.app_context():
            webhooks.retry_delivery(hook_id, row.id, actor=SYSTEM)
        assert _round(app)["delivered"] == 1
        assert len(back.received) == 1
    finally:
        back.stop()


def test_ping(app: Flask, receiver: Receiver) -> None:
    hook_id, _ = _register(app, "5007", receiver.url)
    with app.app_context():
        webhooks.ping(hook_id, actor=SYSTEM)
    _round(app)
    assert receiver.events() == ["ping"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://mottak.namsos.kommune.no/hook", "https://"),
        ("ftp://mottak.namsos.kommune.no/hook", "https://"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://127.8.9.1:8443/hook", "loopback"),
        ("https://[::1]/hook", "loopback"),
        ("https://localhost/hook", "loopback"),
        ("https://api.localhost/hook", "loopback"),
        ("http://127.0.0.1:9000/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://0.0.0.0/hook", "not an address"),
        ("https://kari:hemmelig@mottak.namsos.kommune.no/hook", "user name"),
        ("https:///hook", "URL like"),
        ("mottak.namsos.kommune.no", "URL like"),
        ("https://mottak.namsos.kommune.no:99999/hook", "URL like"),
        ("", "Length must be between 1 and 500."),
    ],
)
def test_urls_outside_tests_are_https_and_never_loopback(app: Flask, url: str, why: str) -> None:
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = False
    with app.app_context(), pytest.raises(InvalidData) as caught:
        webhooks.create_webhook("5007", {"url": url})
    assert list(caught.value.errors) == ["url"]
    assert why in " ".join(caught.value.errors["url"])


def test_a_good_url_and_bad_topics(app: Flask) -> None:
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = False
    with app.app_context():
        hook, _ = webhooks.create_webhook("5007", {"url": "https://10.1.2.3/gjenbruk"})
        assert hook.topics == ["solutions", "adoptions", "plans"]
        with pytest.raises(InvalidData) as caught:
            webhooks.create_webhook("5007", {"url": "https://10.1.2.3/x", "topics": ["alt"]})
        assert list(caught.value.errors) == ["topics"]
        with pytest.raises(InvalidData) as caught:
            webhooks.create_webhook("5007", {"url": "https://10.1.2.3/x", "topics": []})
        assert list(caught.value.errors) == ["topics"]


def test_a_name_that_resolves_to_loopback_is_not_called(app: Flask) -> None:
    # Registered while allowed, then the rule applies at delivery: the address is checked
    # every time it is resolved (a DNS name can change after registration).
    hook_id, _ = _register(app, "5007", "http://127.0.0.1:9/hook")
    with app.app_context():
        webhooks.ping(hook_id, actor=SYSTEM)
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = False
    _round(app)
    [row] = _deliveries(app, hook_id)
    assert row.status == "pending"
    assert "loopback" in row.last_error


WORKER = """
import json, os, sys
from app import create_app
config = json.loads(os.environ["GK_TEST_CONFIG"])
app = create_app(config)
result = app.test_cli_runner().invoke(args=["webhooks", "run"], catch_exceptions=False)
sys.stdout.write(result.output)
"""


def _worker(app: Flask) -> subprocess.Popen[bytes]:
    keys = ("SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "SECRET_KEY", "TESTING")
    config = {key: app.config[key] for key in keys}
    config |= {
        "WEBHOOK_ALLOW_LOOPBACK": True,
        "WEBHOOK_POLL_SECONDS": 0.1,
        "WEBHOOK_CLAIM_SECONDS": 1.0,
        "WEBHOOK_TIMEOUT_SECONDS": 10.0,
    }
    env = {**os.environ, "GK_TEST_CONFIG": json.dumps(config)}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )


def test_nothing_is_lost_when_the_worker_is_killed(
    app: Flask, make_solution: Callable[..., str]
) -> None:
    slow = Receiver(delay=0.5).start()
    try:
        hook_id, _ = _register(app, "5007", slow.url)
        names = [f"Løsning {n}" for n in range(6)]
        for name in names:
            make_solution(name=name)
        worker = _worker(app)
        slow.wait_for(2)
        time.sleep(0.2)  # mid-send of the third
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        assert len(slow.received) < len(names)
        # A new worker picks up where the killed one stopped (its claim runs out after 1 s).
        app.config["WEBHOOK_CLAIM_SECONDS"] = 1.0
        slow.delay = 0
        restarted = _worker(app)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                rows = _deliveries(app, hook_id)
                if len(rows) == len(names) and all(r.status == "delivered" for r in rows):
                    break
                time.sleep(0.1)
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(timeout=10) == 0
        rows = _deliveries(app, hook_id)
        assert [r.status for r in rows] == ["delivered"] * len(names)
        # Every change arrived; one sent when the worker died may have arrived twice, and the
        # receiver tells the repeat by its delivery id.
        got = {r.headers["X-Gjenbruk-Delivery"]: r.json for r in slow.received}
        assert set(got) == {str(r.id) for r in rows}
        assert sorted(b["data"]["solution"]["name"] for b in got.values()) == sorted(names)
        assert len(slow.received) <= len(names) + 1
    finally:
        slow.stop()
