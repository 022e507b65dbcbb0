"""/api/v1/organisations/{ref}/webhooks: where an organisation is told of changes."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.responses import documents_errors
from app.api.writes import protect_writes
from app.models import Webhook, WebhookDelivery
from app.schemas.webhook import (
    CreatedWebhookSchema,
    WebhookActionSchema,
    WebhookCreateSchema,
    WebhookDeliverySchema,
    WebhookSchema,
)
from app.services import webhooks as service

blp = Blueprint(
    "webhooks",
    __name__,
    description=(
        "Webhooks: HTTPS endpoints an organisation registers to be told of changes to its "
        "solutions, of adoptions (its own, and others' of its solutions) and of matches on its "
        "plans. Each delivery is a JSON POST with `X-Gjenbruk-Event`, `X-Gjenbruk-Delivery` (the "
        "same id on a repeat: deliveries are at least once) and `X-Gjenbruk-Signature-256: "
        "sha256=<hex>`, the HMAC-SHA256 of the raw body keyed with the secret shown when the "
        "webhook was created. A receiver answers 2xx; anything else is retried with a doubling "
        "wait. Only the organisation's tokens (or an admin's) see and change its webhooks."
    ),
)

protect_writes(blp)

BASE = "/organisations/<ref>/webhooks"


@blp.route(BASE)
class Webhooks(MethodView):
    """An organisation's webhooks."""

    @blp.response(200, WebhookSchema(many=True))
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def get(self, ref: str) -> list[Webhook]:
        """List an organisation's webhooks and how their last delivery went"""
        return service.list_webhooks(ref, actor=current_actor())

    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, CreatedWebhookSchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404, 413)
    def post(self, data: dict[str, Any], ref: str) -> Any:
        """Register a webhook (the response holds its secret, shown only this once)"""
        hook, _secret = service.create_webhook(ref, data, actor=current_actor())
        return hook, 201  # CreatedWebhookSchema shows hook.secret, this once


@blp.route(f"{BASE}/<int:webhook_id>")
class WebhookById(MethodView):
    """One webhook."""

    @blp.response(200, WebhookSchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def get(self, ref: str, webhook_id: int) -> Webhook:
        """Get a webhook"""
        return service.get_webhook(webhook_id, actor=current_actor(), organisation_ref=ref)

    @blp.response(204)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def delete(self, ref: str, webhook_id: int) -> None:
        """Remove a webhook and the deliveries queued for it"""
        service.delete_webhook(webhook_id, actor=current_actor(), organisation_ref=ref)


@blp.route(f"{BASE}/<int:webhook_id>/deliveries")
class Deliveries(MethodView):
    """What was sent to one webhook."""

    @blp.response(200, WebhookDeliverySchema(many=True))
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404)
    def get(self, ref: str, webhook_id: int) -> list[WebhookDelivery]:
        """List a webhook's newest deliveries (at most 20)"""
        hook = service.get_webhook(webhook_id, actor=current_actor(), organisation_ref=ref)
        return service.recent_deliveries(hook)


@blp.route(f"{BASE}/<int:webhook_id>/ping")
class Ping(MethodView):
    """A test delivery."""

    @blp.arguments(WebhookActionSchema)
    @blp.response(202, WebhookDeliverySchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404, 413)
    def post(self, _body: dict[str, Any], ref: str, webhook_id: int) -> WebhookDelivery:
        """Queue a `ping` delivery, to check that the receiver takes deliveries"""
        return service.ping(webhook_id, actor=current_actor(), organisation_ref=ref)


@blp.route(f"{BASE}/<int:webhook_id>/deliveries/<int:delivery_id>/retry")
class Retry(MethodView):
    """Sending a delivery again."""

    @blp.arguments(WebhookActionSchema)
    @blp.response(202, WebhookDeliverySchema)
    @blp.doc(security=BEARER_SECURITY)
    @documents_errors(blp, 401, 403, 404, 413)
    def post(
        self, _body: dict[str, Any], ref: str, webhook_id: int, delivery_id: int
    ) -> WebhookDelivery:
        """Send a pending or failed delivery again from now, with a fresh round of attempts"""
        return service.retry_delivery(
            webhook_id, delivery_id, actor=current_actor(), organisation_ref=ref
        )
