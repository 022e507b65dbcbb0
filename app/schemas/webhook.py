"""Webhooks as an organisation registers them, and their deliveries as it sees them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.limits import MAX_WEBHOOK_URL_LENGTH
from app.models.webhook import WEBHOOK_TOPICS
from app.schemas.common import Text, UtcDateTime


class WebhookCreateSchema(Schema):
    """A new webhook: where to send, and what to follow."""

    url = Text(
        required=True,
        validate=validate.Length(min=1, max=MAX_WEBHOOK_URL_LENGTH),
        metadata={"description": "An https:// URL the receiver answers with 2xx."},
    )
    topics = fields.List(
        fields.String(validate=validate.OneOf(WEBHOOK_TOPICS)),
        load_default=lambda: list(WEBHOOK_TOPICS),
        validate=validate.Length(min=1, max=len(WEBHOOK_TOPICS)),
        metadata={
            "description": (
                "What to be told of: `solutions` (changes to the organisation's solutions), "
                "`adoptions` (its adoptions, and adoptions of its solutions), `plans` (another "
                "organisation considers or plans a solution it plans too). Default: all."
            )
        },
    )


class WebhookSchema(Schema):
    """A webhook and how its last delivery went (its secret is shown only when created)."""

    id = fields.Integer(dump_only=True)
    organisation = fields.Function(lambda hook: hook.organisation.slug, dump_only=True)
    url = fields.String(dump_only=True)
    topics = fields.List(fields.String(), dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    last_attempt_at = UtcDateTime(dump_only=True, allow_none=True)
    last_outcome = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "`delivered` or `refused` (the last attempt), null before one."},
    )
    last_response = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True)


class CreatedWebhookSchema(WebhookSchema):
    """A webhook just created, with its signing secret: keep it, it is not shown again."""

    secret = fields.String(
        dump_only=True,
        metadata={
            "description": (
                "Key of the HMAC-SHA256 signature each delivery carries in "
                "`X-Gjenbruk-Signature-256: sha256=<hex>`, computed over the raw body."
            )
        },
    )


class WebhookDeliverySchema(Schema):
    """One event sent (or being sent) to a webhook."""

    id = fields.Integer(dump_only=True)
    event = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    attempts = fields.Integer(dump_only=True)
    next_attempt_at = UtcDateTime(dump_only=True)
    response_status = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    delivered_at = UtcDateTime(dump_only=True, allow_none=True)


class WebhookActionSchema(Schema):
    """The body of a ping or a retry: an empty JSON object (``{}``)."""
