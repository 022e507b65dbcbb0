"""Who may change what. The single place for write permissions of the API and the web."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """Whoever asks for a change: a token, a signed-in person, or the system itself.

    A person with the role ``editor`` acts exactly like a publisher token of their
    organisation; an admin person like an admin token. ``token_id`` or ``user_id`` says who it
    was, for the history.
    """

    organisation_id: int | None
    organisation_slug: str | None
    role: str  # "publisher" | "editor" | "admin" | "system"
    token_id: int | None = None
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        """Return whether the actor may change anything."""
        return self.role in ("admin", "system")

    @property
    def is_system(self) -> bool:
        """Return whether this is the system itself (CLI, data loader), not a token or person."""
        return self.role == "system"

    @property
    def credential(self) -> str:
        """Return what the actor acts with, for messages: a token, or an account."""
        return "account" if self.user_id is not None else "token"

    def may_act_for(self, organisation_id: int | None) -> bool:
        """Return whether the actor may change what that organisation owns or records."""
        return self.is_admin or (
            organisation_id is not None and self.organisation_id == organisation_id
        )


SYSTEM = Actor(organisation_id=None, organisation_slug=None, role="system")
"""The CLI and the data loader act as the system."""


def actor_record(actor: Actor | None) -> dict[str, Any]:
    """Return who acts, as the history listener stores it."""
    if actor is None or actor.is_system:
        return {"type": "system"}
    return {
        "type": "user" if actor.user_id is not None else "token",
        "user_id": actor.user_id,
        "token_id": actor.token_id,
        "organisation_id": actor.organisation_id,
    }


def require_acts_for(actor: Actor, organisation_id: int, action: str) -> None:
    """Raise PermissionDenied unless ``actor`` may ``action`` on behalf of that organisation."""
    if actor.may_act_for(organisation_id):
        return
    raise PermissionDenied(
        f"Your {actor.credential} belongs to '{actor.organisation_slug}' and may only {action} "
        "for that organisation."
    )


def require_may_change_owner(actor: Actor, new_owner_slug: str) -> None:
    """Raise PermissionDenied unless ``actor`` may hand a solution over to another owner.

    Only an admin may: a publisher could otherwise push its solutions onto other organisations,
    which then could not take them back.
    """
    if actor.is_admin:
        return
    raise PermissionDenied(
        f"Only an admin may move a solution to another owner ('{new_owner_slug}'); "
        f"your {actor.credential} belongs to '{actor.organisation_slug}'."
    )


def require_admin(actor: Actor, action: str) -> None:
    """Raise PermissionDenied unless ``actor`` is an admin (or the system)."""
    if actor.is_admin:
        return
    raise PermissionDenied(f"Only an admin may {action}.")
