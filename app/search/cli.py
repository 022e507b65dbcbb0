"""`flask search rebuild` and `flask search check`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app import search


@click.group("search", help="Build and check the search index.")
def search_cli() -> None:
    """Group of the search commands."""


@search_cli.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Build a fresh index from the database beside the live one and swap it in."""
    bar: list[click.progressbar] = []  # type: ignore[type-arg]

    def progress(done: int, total: int) -> None:
        if not bar:
            bar.append(click.progressbar(length=max(total, 1), label="Indekserer løsninger"))
            bar[0].__enter__()
        bar[0].update(done - bar[0].pos)

    count = search.rebuild(progress)
    if bar:
        bar[0].__exit__(None, None, None)
    click.echo(f"Indexed {count} solutions into {search.store().live_dir()}.")


@search_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Compare the database and the index; exit 1 listing the differences."""
    try:
        problems = search.check()
    except search.SearchUnavailable as exc:
        click.echo(f"index unusable: {exc}", err=True)
        sys.exit(2)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} difference(s) between database and index.", err=True)
        sys.exit(1)
    click.echo("Database and search index are in step.")
