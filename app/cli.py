"""`flask catalogue …` and `flask tokens …`: setting up and administering the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from app import search
from app.models import TOKEN_ROLES
from app.services import catalogue, tokens
from app.services.errors import DomainError


@click.group("catalogue", help="Set up the catalogue.")
def catalogue_cli() -> None:
    """Group of the catalogue commands."""


@catalogue_cli.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the schema, load catalogue_data/ into an empty database, update search."""
    upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
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
    try:
        token, secret = tokens.create_token(org, role=role, name=name)
    except DomainError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
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
    try:
        tokens.revoke_token(token_id)
    except DomainError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    click.echo(f"Token {token_id} revoked.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(tokens_cli)
