"""Domain errors. ``app/errors.py`` and ``app/web`` map each to one HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a use case raises on purpose."""

    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    """The thing asked for does not exist (404)."""

    status = 404


class PermissionDenied(DomainError):
    """The actor may not do this (403); the message says why."""

    status = 403


class NotAuthenticated(DomainError):
    """No valid credentials (401)."""

    status = 401


class Conflict(DomainError):
    """The change clashes with what the database holds (409), e.g. a duplicate."""

    status = 409


class InvalidData(DomainError):
    """A field refers to something that does not exist or breaks a rule (422).

    ``errors`` maps field names to messages, the same shape as marshmallow's.
    """

    status = 422


class PreconditionRequired(DomainError):
    """A change without ``If-Match`` (428)."""

    status = 428


class PreconditionFailed(DomainError):
    """The resource changed since the client read it (412)."""

    status = 412


class ServiceUnavailable(DomainError):
    """A part the use case needs (search index, database) is not usable right now (503)."""

    status = 503
