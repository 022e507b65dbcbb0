"""An organisation's webhooks in the browser: register one (the secret is shown once), see how
its deliveries went, send a test, send a refused delivery again, remove it. The rules (who may
manage whose webhooks, which URLs are allowed) live in ``app/services/webhooks.py``, shared
with the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, render_template, request
from werkzeug.wrappers import Response

from app.models.webhook import WEBHOOK_TOPICS, Webhook, WebhookDelivery
from app.services import webhooks as webhook_service
from app.services.errors import InvalidData
from app.services.references import get_organisation
from app.web.auth import login_required, managed_organisation_ref, redirect_to, require_actor
from app.web.blueprint import web
from app.web.messages import norwegian_errors


@dataclass(frozen=True)
class WebhookRow:
    """One webhook as the page shows it: with its queue and its newest deliveries."""

    hook: Webhook
    pending: int
    deliveries: list[WebhookDelivery]


def retry_window_text() -> str:
    """Return, in bokmål, for how long a refused delivery is retried before it fails."""
    seconds = webhook_service.retry_window().total_seconds()
    hours = seconds / 3600
    if hours < 1:
        minutes = max(round(seconds / 60), 1)
        return f"omtrent {minutes} {'minutt' if minutes == 1 else 'minutter'}"
    if 30 <= hours < 42:
        return "omtrent halvannet døgn"
    if hours < 48:
        whole = round(hours)
        return f"omtrent {whole} {'time' if whole == 1 else 'timer'}"
    return f"omtrent {round(hours / 24)} døgn"


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    organisation = get_organisation(managed_organisation_ref())
    rows = [
        WebhookRow(
            hook=hook,
            pending=webhook_service.pending_count(hook),
            deliveries=webhook_service.recent_deliveries(hook),
        )
        for hook in webhook_service.list_webhooks(organisation.slug, actor=require_actor())
    ]
    context.setdefault("errors", {})
    context.setdefault("url", "")
    context.setdefault("topics", list(WEBHOOK_TOPICS))
    page = render_template(
        "web/account/webhooks.html",
        organisation=organisation,
        rows=rows,
        all_topics=WEBHOOK_TOPICS,
        recent_limit=webhook_service.RECENT_DELIVERIES,
        retry_window=retry_window_text(),
        org_param=organisation.slug if require_actor().is_admin else None,
        **context,
    )
    return page, status


def _back() -> Response:
    return redirect_to("web.webhooks", org=request.form.get("org") or None)


@web.route("/min-side/webhooks", methods=["GET", "POST"], endpoint="webhooks")
@login_required
def webhooks_page() -> tuple[str, int]:
    """List the organisation's webhooks; a post registers one and shows its secret once."""
    if request.method == "GET":
        return _page()
    url = request.form.get("url", "")
    topics = request.form.getlist("topics")
    try:
        hook, secret = webhook_service.create_webhook(
            managed_organisation_ref(), {"url": url, "topics": topics}, actor=require_actor()
        )
    except InvalidData as exc:
        return _page(422, errors=norwegian_errors(exc.errors), url=url, topics=topics)
    # Rendered, not redirected: the secret must not pass through the session or a URL.
    return _page(201, created=hook, secret=secret)


@web.post("/min-side/webhooks/<int:webhook_id>/slett")
@login_required
def delete_webhook(webhook_id: int) -> Response:
    """Remove a webhook and what is queued for it."""
    url = webhook_service.delete_webhook(webhook_id, actor=require_actor()).url
    flash(f"Webhooken til {url} er slettet. Katalogen sender ikke mer dit.")
    return _back()


@web.post("/min-side/webhooks/<int:webhook_id>/test")
@login_required
def ping_webhook(webhook_id: int) -> Response:
    """Queue a test delivery, so the owner can see that the receiver answers."""
    delivery = webhook_service.ping(webhook_id, actor=require_actor())
    flash(
        f"Testvarsel lagt i kø til {delivery.webhook.url}. Det sendes i løpet av noen sekunder; "
        "last siden på nytt for å se hvordan det gikk."
    )
    return _back()


@web.post("/min-side/webhooks/<int:webhook_id>/leveranser/<int:delivery_id>/send-igjen")
@login_required
def retry_webhook_delivery(webhook_id: int, delivery_id: int) -> Response:
    """Send a delivery again from now (a failed one gets a fresh round of attempts)."""
    delivery = webhook_service.retry_delivery(webhook_id, delivery_id, actor=require_actor())
    if delivery.status == "delivered":
        flash(f"Leveranse {delivery.id} er allerede levert; den sendes ikke igjen.")
    else:
        flash(f"Leveranse {delivery.id} er lagt i kø igjen og sendes i løpet av noen sekunder.")
    return _back()
