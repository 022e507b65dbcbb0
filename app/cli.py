"""`flask catalogue …` and `flask tokens …`: setting up and administering the catalogue."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import interop_cli, search, webhook_cli
from app.models import TOKEN_ROLES, USER_ROLES
from app.schema_upgrade import upgrade_schema
from app.services import catalogue, tokens, users
from app.services.errors import DomainError


@click.group("catalogue", help="Set up the catalogue.")
def catalogue_cli() -> None:
    """Group of the catalogue commands."""


@catalogue_cli.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the schema, load catalogue_data/ into an empty database, update search."""
    upgrade_schema()
    click.echo("Database schema is up to date.")
    if catalogue.is_empty():
        data_dir = Path(current_app.config["CATALOGUE_DATA_DIR"])
        try:
            counts = catalogue.load_catalogue_data(data_dir, progress=click.echo)
        except catalogue.DataFileError as exc:
            click.echo(f"Invalid data in {data_dir}: {exc}", err=True)
            sys.exit(1)
        click.echo("Loaded " + ", ".join(f"{n} {key}" for key, n in counts.items()) + ".")
    else:
        click.echo("The database already holds data; nothing loaded.")
    try:
        applied = search.catch_up()
        problems = search.check()
    except search.SearchUnavailable:
        problems = ["no usable index"]
        applied = 0
    if problems:
        click.echo("Building the search index …")
        count = search.rebuild(None)
        click.echo(f"Search index built with {count} solutions.")
    else:
        click.echo(f"Search index is up to date ({applied} changes applied).")


@click.group("tokens", help="Manage API tokens.")
def tokens_cli() -> None:
    """Group of the token commands."""


@tokens_cli.command("create")
@click.option("--org", "org", required=True, help="kommunenummer or slug of the organisation")
@click.option("--role", type=click.Choice(TOKEN_ROLES), default="publisher", show_default=True)
@click.option("--name", default="", help="what the token is for")
@with_appcontext
def create_token_command(org: str, role: str, name: str) -> None:
    """Create an API token; the token is the last line printed (it is not shown again)."""
    with _exit_on_domain_error():
        token, secret = tokens.create_token(org, role=role, name=name)
    click.echo(f"Created {role} token {token.id} for {token.organisation.name}. Keep it secret:")
    click.echo(secret)


@tokens_cli.command("list")
@click.option("--org", "org", default=None, help="only this organisation's tokens")
@with_appcontext
def list_tokens_command(org: str | None) -> None:
    """List tokens (never their secrets)."""
    for token in tokens.list_tokens(org):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.organisation.slug}\t{token.role}\t{state}\t"
            f"last used {used}\t{token.name}"
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke a token by its id."""
    with _exit_on_domain_error():
        tokens.revoke_token(token_id)
    click.echo(f"Token {token_id} revoked.")


@click.group("users", help="Manage the accounts of people who edit in the browser.")
def users_cli() -> None:
    """Group of the account commands."""


@users_cli.command("create")
@click.option("--email", required=True, help="the person's email address (their login)")
@click.option("--org", "org", required=True, help="kommunenummer or slug of the organisation")
@click.option("--role", type=click.Choice(USER_ROLES), default="editor", show_default=True)
@click.option("--name", default="", help="the person's name, shown in the history")
@click.option(
    "--password",
    "--password-stdin",
    "password_stdin",
    is_flag=True,
    help="read the password from standard input (for scripts) instead of making one",
)
@with_appcontext
def create_user_command(email: str, org: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account; a made one-time password is the last line printed."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    with _exit_on_domain_error():
        user, one_time = users.create_user(
            {"email": email, "organisation": org, "role": role, "name": name}, password=password
        )
    click.echo(f"Created {user.role} account {user.email} for {user.organisation.name}.")
    if one_time is not None:
        click.echo("One-time password (to be changed at the first login):")
        click.echo(one_time)


@users_cli.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password_command(email: str) -> None:
    """Give an account a new one-time password (the last line printed); its sessions end."""
    with _exit_on_domain_error():
        user, one_time = users.reset_password(email)
    click.echo(f"New one-time password for {user.email} (to be changed at the next login):")
    click.echo(one_time)


@users_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_user_command(email: str) -> None:
    """Deactivate an account: it cannot sign in, and its sessions end at once."""
    with _exit_on_domain_error():
        users.set_active(email, False)
    click.echo(f"Account {email} deactivated.")


@users_cli.command("activate")
@click.argument("email")
@with_appcontext
def activate_user_command(email: str) -> None:
    """Activate an account again."""
    with _exit_on_domain_error():
        users.set_active(email, True)
    click.echo(f"Account {email} activated.")


@users_cli.command("list")
@click.option("--org", "org", default=None, help="only this organisation's accounts")
@with_appcontext
def list_users_command(org: str | None) -> None:
    """List accounts (never their passwords)."""
    for user in users.list_users(org):
        used = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
        state = "active" if user.active else "deactivated"
        click.echo(
            f"{user.id}\t{user.email}\t{user.organisation.slug}\t{user.role}\t{state}\t"
            f"last login {used}\t{user.name}"
        )


@contextmanager
def _exit_on_domain_error() -> Iterator[None]:
    """Turn a refusal of the services into its message on stderr and exit status 1."""
    try:
        yield
    except DomainError as exc:
        click.echo(_error_text(exc), err=True)
        sys.exit(1)


def _error_text(exc: DomainError) -> str:
    """Return a domain error with its field messages, for the terminal."""
    details = "; ".join(f"{field}: {' '.join(map(str, m))}" for field, m in exc.errors.items())
    return f"{exc.message} {details}".strip()


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for command in interop_cli.CATALOGUE_COMMANDS:
        catalogue_cli.add_command(command)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(users_cli)
    interop_cli.init_app(app)
    webhook_cli.init_app(app)
