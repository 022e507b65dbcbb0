"""The history of a solution as the API shows it."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from app.models import HistoryEntry
from app.schemas.common import UtcDateTime


class HistoryActorSchema(Schema):
    """Who made a change: a person, a token (by name) or the system."""

    type = fields.String(metadata={"description": "user, token or system"})
    name = fields.String(metadata={"description": "the person's or the token's name"})
    organisation = fields.String(metadata={"description": "the organisation they acted for"})


class HistoryEntrySchema(Schema):
    """One change: when, by whom, what, and each changed field before and after."""

    id = fields.Integer()
    created_at = UtcDateTime()
    action = fields.String(
        metadata={"description": "created, updated, published, restored or deleted"}
    )
    entity_type = fields.String(
        metadata={"description": "solution, adoption, benefit, measurement, cost or organisation"}
    )
    entity_id = fields.Integer()
    label = fields.String(metadata={"description": "the solution's or organisation's name"})
    version = fields.Integer(allow_none=True, metadata={"description": "version after the change"})
    restored_from = fields.Integer(
        attribute="restored_from_id", allow_none=True, metadata={"description": "entry copied"}
    )
    actor = fields.Method("_actor", metadata={"type": "object"})
    changes = fields.Method(
        "_changes",
        metadata={
            "type": "object",
            "description": 'field → {"old": …, "new": …}; nested fields are dotted '
            "(links.homepage)",
        },
    )

    def _actor(self, entry: HistoryEntry) -> dict[str, Any]:
        return {
            "type": entry.actor_type,
            "name": entry.actor_name,
            "organisation": entry.actor_organisation,
        }

    def _changes(self, entry: HistoryEntry) -> dict[str, dict[str, Any]]:
        return {field: {"old": old, "new": new} for field, (old, new) in entry.changes.items()}
