"""Accounts of people: create, sign in (slowed down after failures), change password, SSO.

Login errors never tell whether an account exists: a wrong password, an unknown address and a
deactivated account give the same ``LoginFailed``, take about the same time (an unknown address
is checked against a dummy hash), and count towards the same per-address throttle.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import User
from app.models.base import as_utc, utcnow
from app.models.user import LoginThrottle
from app.schemas.user import UserCreateSchema
from app.services.errors import Conflict, DomainError, InvalidData, NotAuthenticated, NotFound
from app.services.permissions import SYSTEM, Actor, require_admin
from app.services.references import get_organisation

PASSWORD_MIN_LENGTH = 12
"""Shortest password a person may choose (length is what makes a password strong: NIST 800-63B)."""

PASSWORD_MAX_LENGTH = 256
"""Longest password accepted, so a huge body cannot keep Argon2 busy."""

ONE_TIME_PASSWORD_BYTES = 12
"""Randomness of a password ``users create`` makes (16 characters, changed at first login)."""

THROTTLE_FREE_ATTEMPTS = 5
"""Failed logins for one address before each further attempt has to wait."""

THROTTLE_BASE_SECONDS = 30
"""The first wait; it doubles with each further failure."""

THROTTLE_MAX_SECONDS = 15 * 60
"""The longest wait, so a person who forgot the password is never locked out for long."""

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters


class LoginFailed(NotAuthenticated):
    """Wrong address or password, or an inactive account: the caller learns no more than that."""


class LoginThrottled(DomainError):
    """Too many failed logins for this address: wait ``retry_after`` seconds (429)."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed logins; try again in {retry_after} seconds.")
        self.retry_after = retry_after


def normalise_email(email: str) -> str:
    """Return the form an address is stored and compared in."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password``."""
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash nobody knows the password of: unknown addresses are checked against it."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, *, email: str = "", current: str | None = None) -> list[str]:
    """Return why ``password`` may not be chosen (empty: it may)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"Shorter than minimum length {PASSWORD_MIN_LENGTH}.")
    elif len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"Longer than maximum length {PASSWORD_MAX_LENGTH}.")
    elif len(set(password)) < 4:
        problems.append("Too simple: use more different characters.")
    elif email and normalise_email(password) == normalise_email(email):
        problems.append("Must not be the email address.")
    elif current is not None and password == current:
        problems.append("Must differ from the current password.")
    return problems


def create_user(
    data: dict[str, object], *, password: str | None = None, actor: Actor = SYSTEM
) -> tuple[User, str | None]:
    """Create an account; return it and the one-time password made for it (None if given).

    ``data`` holds email, organisation (kommunenummer or slug), role and name. A made password
    must be changed at the first login; a given one (scripts) need not.
    """
    require_admin(actor, "create accounts")
    try:
        fields = UserCreateSchema().load(data)
    except ValidationError as exc:
        raise InvalidData("Validation failed.", exc.normalized_messages()) from None  # type: ignore[arg-type]
    email = normalise_email(fields["email"])
    organisation = get_organisation(fields["organisation"])
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"An account with the email '{email}' already exists.")
    one_time = None
    if password is None:
        one_time = password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    else:
        problems = password_problems(password, email=email)
        if problems:
            raise InvalidData("Validation failed.", {"password": problems})
    user = User(
        email=email,
        name=fields.get("name") or "",
        organisation=organisation,
        role=fields["role"],
        password_hash=hash_password(password),
        must_change_password=one_time is not None,
        active=True,
        session_version=1,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"An account with the email '{email}' already exists.") from None
    return user, one_time


def _throttle_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def _record_failure(key: str) -> None:
    """Count a failed login for the address; past the free attempts, make the next one wait."""
    now = utcnow()
    for _ in range(2):  # a concurrent first failure may insert the row first: then update it
        throttle = db.session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
        throttle.failures += 1
        over = throttle.failures - THROTTLE_FREE_ATTEMPTS
        if over >= 0:
            wait = min(THROTTLE_BASE_SECONDS * 2**over, THROTTLE_MAX_SECONDS)
            throttle.blocked_until = now + timedelta(seconds=wait)
        db.session.add(throttle)
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()


def login_wait(email: str) -> int:
    """Return how many seconds the address must wait before the next attempt (0: none)."""
    throttle = db.session.get(LoginThrottle, _throttle_key(email))
    if throttle is None or throttle.blocked_until is None:
        return 0
    left = (as_utc(throttle.blocked_until) - utcnow()).total_seconds()
    return max(0, int(left) + 1) if left > 0 else 0


def authenticate(email: str, password: str) -> User:
    """Return the active account with this address and password, or raise.

    Raises LoginThrottled while the address must wait (whether or not an account has it) and
    LoginFailed otherwise; a success clears the address's failures.
    """
    wait = login_wait(email)
    if wait:
        raise LoginThrottled(wait)
    user = db.session.scalar(
        select(User)
        .where(User.email == normalise_email(email))
        .options(selectinload(User.organisation))
    )
    valid = _verify(user.password_hash if user else None, password[:PASSWORD_MAX_LENGTH])
    if user is None or not valid or not user.active or user.password_hash is None:
        _record_failure(_throttle_key(email))
        raise LoginFailed("Wrong email or password.")
    throttle = db.session.get(LoginThrottle, _throttle_key(email))
    if throttle is not None:
        db.session.delete(throttle)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def change_password(user_id: int, current: str, new: str) -> User:
    """Set a new password (the current one is asked again); other sessions end."""
    user = get_user(user_id)
    errors: dict[str, list[str]] = {}
    if not _verify(user.password_hash, current[:PASSWORD_MAX_LENGTH]):
        errors["current_password"] = ["Wrong password."]
    problems = password_problems(new, email=user.email, current=current)
    if problems:
        errors["new_password"] = problems
    if errors:
        raise InvalidData("Validation failed.", errors)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    user.session_version += 1
    db.session.commit()
    return user


def get_user(user_id: int) -> User:
    """Return the account with this id, or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    return user


def session_user(user_id: object, session_version: object) -> User | None:
    """Return the account a session cookie names, if it is active and the session still valid."""
    if not isinstance(user_id, int) or not isinstance(session_version, int):
        return None
    user = db.session.scalar(
        select(User).where(User.id == user_id).options(selectinload(User.organisation))
    )
    if user is None or not user.active or user.session_version != session_version:
        return None
    return user


def sso_user(email: str) -> User:
    """Return the active account of an address the SSO provider vouched for, or LoginFailed."""
    user = db.session.scalar(
        select(User)
        .where(User.email == normalise_email(email))
        .options(selectinload(User.organisation))
    )
    if user is None or not user.active:
        raise LoginFailed("No active account has this email address.")
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def actor_for(user: User) -> Actor:
    """Return the actor of a signed-in person: an editor acts like its organisation's publisher."""
    return Actor(
        organisation_id=user.organisation_id,
        organisation_slug=user.organisation.slug,
        role="admin" if user.role == "admin" else "editor",
        user_id=user.id,
    )


def set_active(email: str, active: bool, *, actor: Actor = SYSTEM) -> User:
    """Activate or deactivate an account; deactivating ends its sessions at once."""
    require_admin(actor, "deactivate accounts")
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No account with the email '{normalise_email(email)}'.")
    if user.active != active:
        user.active = active
        user.session_version += 1
        db.session.commit()
    return user


def reset_password(email: str, *, actor: Actor = SYSTEM) -> tuple[User, str]:
    """Give an account a new one-time password (to change at next login); sessions end."""
    require_admin(actor, "reset passwords")
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No account with the email '{normalise_email(email)}'.")
    one_time = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    user.session_version += 1
    db.session.commit()
    return user, one_time


def list_users(organisation_ref: str | None = None) -> list[User]:
    """Return the accounts (of one organisation, or all), by email."""
    query = select(User).options(selectinload(User.organisation)).order_by(User.email)
    if organisation_ref:
        query = query.where(User.organisation_id == get_organisation(organisation_ref).id)
    return list(db.session.scalars(query))
