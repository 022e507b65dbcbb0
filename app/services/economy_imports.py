"""Import one organisation's costs or benefits from a CSV or XLSX sheet, with a dry run.

Each row names a solution (its slug) the organisation has adopted and one cost or benefit,
in the columns the API names its fields. A row with an ``id`` changes that cost or benefit;
a row without one adds a new one. Every row is loaded with the API's schema and applied with
the services' own rules (``build_cost``/``build_benefit`` and their checks), inside one
transaction: a dry run, or a sheet with any bad cell, is rolled back, so what a dry run says
is exactly what the real run does. Each bad cell is reported with its row, column and why.

Numbers may be written the Norwegian way (``12 500,50``); ``is_measured`` takes
ja/nei/true/false/1/0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select

from app.extensions import db
from app.interop.spreadsheets import SheetError, read_table
from app.models import Adoption, AdoptionCost, Benefit, Solution
from app.schemas.benefit import BenefitSchema
from app.schemas.cost import CostSchema
from app.services import benefits as benefit_service
from app.services import costs as cost_service
from app.services.adoption_imports import RowResult
from app.services.errors import DomainError, InvalidData
from app.services.permissions import Actor, require_acts_for
from app.services.references import get_organisation, is_slug
from app.services.transaction import commit

TRUE = frozenset({"ja", "true", "1", "x", "yes"})
FALSE = frozenset({"nei", "false", "0", "no", ""})


@dataclass(frozen=True)
class SheetKind:
    """What a sheet of one kind holds and how its rows are applied."""

    name: str  # costs | benefits
    schema: Callable[[], Schema]
    columns: tuple[str, ...]  # besides solution and id
    numbers: frozenset[str]
    booleans: frozenset[str]
    model: type
    build: Callable[[Adoption, dict[str, Any]], Any]
    change: Callable[[Any, dict[str, Any]], None]


def _change_cost(cost: AdoptionCost, data: dict[str, Any]) -> None:
    cost_service.apply_cost(cost, data)


def _change_benefit(benefit: Benefit, data: dict[str, Any]) -> None:
    benefit_service.apply_benefit(benefit, data)


COSTS = SheetKind(
    name="costs",
    schema=CostSchema,
    columns=(
        "kind",
        "category",
        "amount",
        "effort_hours",
        "payer",
        "payer_organisation",
        "funding_source",
        "incurred_on",
        "ends_on",
        "split_rule",
        "description",
    ),
    numbers=frozenset({"amount", "effort_hours"}),
    booleans=frozenset(),
    model=AdoptionCost,
    build=cost_service.build_cost,
    change=_change_cost,
)

BENEFITS = SheetKind(
    name="benefits",
    schema=BenefitSchema,
    columns=(
        "category",
        "unit",
        "description",
        "indicator",
        "owner",
        "baseline",
        "baseline_on",
        "expected_value",
        "target_on",
        "realised_value",
        "measured_on",
        "is_measured",
        "method",
        "freed_time_use",
        "review_on",
    ),
    numbers=frozenset({"baseline", "expected_value", "realised_value"}),
    booleans=frozenset({"is_measured"}),
    model=Benefit,
    build=benefit_service.build_benefit,
    change=_change_benefit,
)

KINDS = {kind.name: kind for kind in (COSTS, BENEFITS)}


@dataclass
class RecordImport:
    """The outcome of an import (or dry run) of one organisation's costs or benefits."""

    organisation: str
    kind: str
    dry_run: bool
    applied: bool
    rows: list[RowResult]

    @property
    def summary(self) -> dict[str, int]:
        """Return how many rows create, update or have errors."""
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def _cell_data(kind: SheetKind, values: dict[str, str], present: set[str]) -> tuple[dict, list]:
    """Return a row as the API's body, and the cells that cannot be read at all."""
    data: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for column in kind.columns:
        if column not in present:
            continue
        value = values.get(column, "").strip()
        if column in kind.numbers:
            number = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            data[column] = number or None
        elif column in kind.booleans:
            if value.lower() not in TRUE | FALSE:
                errors.append({"column": column, "message": "Write ja or nei."})
            data[column] = value.lower() in TRUE
        elif value:
            data[column] = value
    return data, errors


def _load_rows(raw: bytes, xlsx: bool) -> list[dict[str, str]]:
    try:
        return read_table(raw, xlsx=xlsx)
    except SheetError as exc:
        raise InvalidData("The file cannot be read.", {"file": [str(exc)]}) from exc


def import_records(
    kind_name: str,
    organisation_ref: str,
    raw: bytes,
    *,
    xlsx: bool,
    actor: Actor,
    dry_run: bool,
) -> RecordImport:
    """Check (and unless ``dry_run`` apply) a sheet of one organisation's costs or benefits."""
    kind = KINDS[kind_name]
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, f"import {kind.name}")
    rows = _load_rows(raw, xlsx)
    present = set().union(*(row.keys() for row in rows)) if rows else set()
    if "solution" not in present or not rows:
        problem = "No rows." if rows == [] else "Missing column: solution."
        raise InvalidData("The sheet lacks what a row needs.", {"file": [problem]})
    unknown = sorted(present - {"solution", "id", "organisation", *kind.columns})
    adoptions = {
        slug: adoption
        for slug, adoption in db.session.execute(
            select(Solution.slug, Adoption)
            .join(Adoption, Adoption.solution_id == Solution.id)
            .where(
                Adoption.organisation_id == organisation.id,
                Solution.slug.in_(
                    [r.get("solution", "") for r in rows if is_slug(r.get("solution", ""))]
                ),
            )
        )
    }
    results: list[RowResult] = []
    for n, values in enumerate(rows, start=2):
        if not any(values.values()):
            continue
        slug = values.get("solution", "").strip()
        result = RowResult(row=n, solution=slug, action="error")
        results.append(result)
        result.errors.extend(
            {"column": column, "message": "Unknown column."}
            for column in unknown
            if values.get(column)
        )
        adoption = adoptions.get(slug)
        if adoption is None:
            message = f"{organisation.slug} has not recorded its use of '{slug}'."
            result.errors.append({"column": "solution", "message": message})
            continue
        record = None
        if values.get("id", "").strip():
            record = _find(kind, adoption, values["id"].strip())
            if record is None:
                message = f"No {kind.name[:-1]} {values['id']} of this adoption."
                result.errors.append({"column": "id", "message": message})
                continue
        data, cell_errors = _cell_data(kind, values, present)
        result.errors.extend(cell_errors)
        try:
            loaded = kind.schema().load(data, partial=record is not None)
        except ValidationError as exc:
            result.errors.extend(_messages(exc.normalized_messages()))
            continue
        if result.errors:
            continue
        try:
            with db.session.no_autoflush:
                if record is None:
                    kind.build(adoption, loaded)
                else:
                    kind.change(record, loaded)
        except DomainError as exc:
            result.errors.extend(_messages(getattr(exc, "errors", {}) or {"solution": [str(exc)]}))
            continue
        result.action = "create" if record is None else "update"
    report = RecordImport(organisation.slug, kind.name, dry_run, applied=False, rows=results)
    failing = [r for r in results if r.action == "error"]
    if dry_run or failing:
        db.session.rollback()
    if dry_run:
        return report
    if failing:
        errors: dict[str, list[str]] = {}
        for row in failing:
            for error in row.errors:
                errors.setdefault(f"row {row.row}.{error['column']}", []).append(error["message"])
        raise InvalidData(f"{len(failing)} row(s) have errors; nothing was imported.", errors)
    commit(f"A {kind.name[:-1]} changed meanwhile; run the import again.", actor=actor)
    report.applied = True
    return report


def _find(kind: SheetKind, adoption: Adoption, text: str) -> Any | None:
    if not text.isdigit() or len(text) > 12:
        return None
    record = db.session.get(kind.model, int(text))
    return record if record is not None and record.adoption_id == adoption.id else None


def _messages(messages: dict[str, Any]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for column, texts in messages.items():
        if isinstance(texts, dict):  # a nested field: name its first level
            texts = [
                str(t)
                for value in texts.values()
                for t in (value if isinstance(value, list) else [value])
            ]
        for text in texts if isinstance(texts, list) else [texts]:
            out.append({"column": str(column), "message": str(text)})
    return out
