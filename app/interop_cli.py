"""`flask import publiccode …` and `flask catalogue export|import`: files in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from app.schema_upgrade import upgrade_schema
from app.services import backup
from app.services import publiccode as publiccode_service
from app.services.errors import DomainError
from app.services.permissions import SYSTEM

SUFFIXES = (".yml", ".yaml")


@click.group("import", help="Import data from files.")
def import_cli() -> None:
    """Group of the import commands."""


def _files(paths: tuple[Path, ...]) -> list[Path]:
    """Return the files named, and the YAML files inside the folders named, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


@import_cli.command("publiccode")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--owner", default=None, help="owning organisation: kommunenummer or slug")
@click.option("--theme", "themes", multiple=True, help="LOS theme slug (repeatable)")
@with_appcontext
def import_publiccode_command(
    paths: tuple[Path, ...], owner: str | None, themes: tuple[str, ...]
) -> None:
    """Import publiccode.yml files (and folders of them); each file is all or nothing."""
    failed = 0
    files = _files(paths)
    for path in files:
        try:
            result = publiccode_service.import_publiccode(
                path.read_bytes(), actor=SYSTEM, owner_ref=owner, theme_slugs=themes
            )
        except DomainError as exc:
            failed += 1
            click.echo(f"{path}: refused — {exc.message}", err=True)
            for key, messages in exc.errors.items():
                for message in messages:
                    click.echo(f"  {key}: {message}", err=True)
            continue
        verb = "created" if result.created else ("updated" if result.changed else "unchanged")
        click.echo(f"{path}: {verb} {result.solution.slug}")
        for warning in result.warnings:
            click.echo(f"  warning {warning.as_text()}")
        if result.adoptions_recorded:
            click.echo(f"  adoptions recorded: {', '.join(result.adoptions_recorded)}")
        if result.used_by_unmatched:
            click.echo(f"  usedBy not matched: {', '.join(result.used_by_unmatched)}")
    click.echo(f"{len(files) - failed} of {len(files)} files imported.")
    if failed:
        sys.exit(1)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Write the whole catalogue (a backup) to one JSON file."""
    with click.progressbar(length=len(backup.tables()), label="Exporting") as bar:
        counts = backup.export_catalogue(file, progress=lambda _name, _n: bar.update(1))
    click.echo("Exported " + ", ".join(f"{n} {key}" for key, n in counts.items()) + f" to {file}.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore a backup written by `catalogue export` into an empty database (new or migrated)."""
    try:
        document = backup.read_backup(file)  # a file that is no backup changes nothing
        upgrade_schema()
        total = backup.row_count(document)
        with click.progressbar(length=total, label="Restoring") as bar:
            counts = backup.restore_catalogue(document, progress=lambda _name, n: bar.update(n))
    except DomainError as exc:
        click.echo(f"{file}: {exc.message}", err=True)
        for key, messages in exc.errors.items():
            click.echo(f"  {key}: {'; '.join(messages)}", err=True)
        sys.exit(1)
    click.echo("Restored " + ", ".join(f"{n} {key}" for key, n in counts.items()) + ".")
    click.echo("Rebuilding the search index …")
    count = backup.rebuild_search()
    click.echo(f"Search index built with {count} solutions.")


CATALOGUE_COMMANDS = (export_command, restore_command)
"""The commands of `flask catalogue …` defined here (``app/cli.py`` adds them to its group)."""


def init_app(app: Flask) -> None:
    """Register `flask import …`."""
    app.cli.add_command(import_cli)
