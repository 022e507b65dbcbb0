"""Who may change what. The single place for write permissions of the API and the web."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """Whoever asks for a change: a token (later also a person), or the system itself."""

    organisation_id: int | None
    organisation_slug: str | None
    role: str  # "publisher" | "admin" | "system"
    token_id: int | None = None

    @property
    def is_admin(self) -> bool:
        """Return whether the actor may change anything."""
        return self.role in ("admin", "system")


SYSTEM = Actor(organisation_id=None, organisation_slug=None, role="system")
"""The CLI and the data loader act as the system."""


def require_acts_for(actor: Actor, organisation_id: int, action: str) -> None:
    """Raise PermissionDenied unless ``actor`` may ``action`` on behalf of that organisation."""
    if actor.is_admin or actor.organisation_id == organisation_id:
        return
    raise PermissionDenied(
        f"Your token belongs to '{actor.organisation_slug}' and may only {action} "
        "for that organisation."
    )
