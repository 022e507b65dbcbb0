"""Import one organisation's adoptions from a CSV or XLSX sheet, with a dry run.

Each row names a solution (its slug) and the adoption's status, and optionally ``since``, the
contact and notes — the columns of the adoptions export. Every row is validated with the API's
``AdoptionSchema``; a dry run reports per row what would happen (create, update, unchanged)
and every row error (row number, column, why). A real run applies all rows in one transaction,
or none when any row has an error. Columns missing from the sheet are left as they are; an
empty cell in a present column clears that field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from app.extensions import db
from app.interop.spreadsheets import SheetError, read_table
from app.models import Adoption, Solution
from app.schemas.adoption import AdoptionPatchSchema, AdoptionSchema
from app.services import adoptions as adoption_service
from app.services.errors import InvalidData
from app.services.permissions import Actor, require_acts_for
from app.services.references import get_organisation, is_slug
from app.services.transaction import commit

CONTACT_COLUMNS = {"contact_name": "name", "contact_role": "role", "contact_email": "email"}
FIELD_COLUMNS = {
    "status": "status",
    "since": "since",
    "wanted_on": "wanted_on",
    "notes": "notes",
}


@dataclass
class RowResult:
    """What one row does, or why it cannot."""

    row: int
    solution: str
    action: str  # create | update | unchanged | error
    changes: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AdoptionImport:
    """The outcome of an import (or dry run) for one organisation."""

    organisation: str
    dry_run: bool
    applied: bool
    rows: list[RowResult]

    @property
    def summary(self) -> dict[str, int]:
        """Return how many rows create, update, stay unchanged or have errors."""
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def _row_data(values: dict[str, str], columns: set[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, name in FIELD_COLUMNS.items():
        if column in columns:
            value = values.get(column, "")
            data[name] = value if value or name == "notes" else None
    contact = {
        name: values.get(column) or None
        for column, name in CONTACT_COLUMNS.items()
        if column in columns
    }
    if contact:
        data["contact"] = contact
    return data


def _column_of(field_path: str) -> str:
    if field_path.startswith("contact."):
        return "contact_" + field_path.split(".", 1)[1]
    return field_path


def _flatten(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        return [
            item
            for key, value in messages.items()
            for item in _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    return [(prefix, str(m)) for m in (messages if isinstance(messages, list) else [messages])]


def _changes(adoption: Adoption, data: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in ("status", "since", "wanted_on", "notes"):
        if name in data and getattr(adoption, name) != data[name]:
            old, new = getattr(adoption, name), data[name]
            changes[name] = [_plain(old), _plain(new)]
    for key, value in data.get("contact", {}).items():
        old = getattr(adoption, f"contact_{key}")
        if old != value:
            changes[f"contact_{key}"] = [old, value]
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def import_adoptions(
    organisation_ref: str, raw: bytes, *, xlsx: bool, actor: Actor, dry_run: bool
) -> AdoptionImport:
    """Check (and unless ``dry_run`` apply) a sheet of adoptions of one organisation."""
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, "record adoptions")
    try:
        rows = read_table(raw, xlsx=xlsx)
    except SheetError as exc:
        raise InvalidData("The file cannot be read.", {"file": [str(exc)]}) from exc
    columns = set().union(*(row.keys() for row in rows)) if rows else set()
    missing = [c for c in ("solution", "status") if c not in columns]
    if missing or not rows:
        raise InvalidData(
            "The sheet lacks what an adoption needs.",
            {"file": [f"Missing column(s): {', '.join(missing)}."] if missing else ["No rows."]},
        )

    slugs = [r.get("solution", "") for r in rows if r]
    solutions = {
        s.slug: s
        for s in db.session.scalars(
            select(Solution).where(Solution.slug.in_([s for s in slugs if is_slug(s)]))
        )
    }
    existing = {
        a.solution_id: a
        for a in db.session.scalars(
            select(Adoption).where(Adoption.organisation_id == organisation.id)
        )
    }
    results: list[RowResult] = []
    planned: list[tuple[RowResult, Solution, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for n, values in enumerate(rows, start=2):
        if not values:
            continue
        slug = values.get("solution", "")
        result = RowResult(row=n, solution=slug, action="error")
        results.append(result)
        if values.get("organisation") and values["organisation"] not in (
            organisation.slug,
            organisation.kommunenummer,
        ):
            result.errors.append(
                {"column": "organisation", "message": f"This sheet is for '{organisation.slug}'."}
            )
        solution = solutions.get(slug)
        if solution is None:
            result.errors.append({"column": "solution", "message": f"No solution '{slug}'."})
        elif slug in seen:
            result.errors.append(
                {"column": "solution", "message": f"Also in row {seen[slug]}; give it once."}
            )
        seen.setdefault(slug, n)
        adoption = existing.get(solution.id) if solution else None
        schema = AdoptionPatchSchema() if adoption else AdoptionSchema()
        try:
            data = schema.load(_row_data(values, columns))
        except ValidationError as exc:
            for path, message in _flatten(exc.messages):
                result.errors.append({"column": _column_of(path), "message": message})
            continue
        if result.errors or solution is None:
            continue
        if adoption is None:
            result.action = "create"
        else:
            result.changes = _changes(adoption, data)
            result.action = "update" if result.changes else "unchanged"
        planned.append((result, solution, data))

    report = AdoptionImport(organisation.slug, dry_run, applied=False, rows=results)
    if dry_run:
        return report
    failing = [r for r in results if r.action == "error"]
    if failing:
        errors: dict[str, list[str]] = {}
        for row in failing:
            for error in row.errors:
                errors.setdefault(f"row {row.row}.{error['column']}", []).append(error["message"])
        raise InvalidData(f"{len(failing)} row(s) have errors; nothing was imported.", errors)
    for result, solution, data in planned:
        if result.action == "create":
            adoption_service.build_adoption(solution, organisation.slug, data, actor=actor)
        elif result.action == "update":
            with db.session.no_autoflush:
                adoption_service.apply_adoption_changes(existing[solution.id], data, partial=True)
    commit("An adoption changed meanwhile; run the import again.", actor=actor)
    report.applied = True
    return report
