"""Load ``catalogue_data/`` into an empty database, validated by the API's own schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organisation, Solution, Standard, Theme
from app.schemas.adoption import SolutionAdoptionCreateSchema
from app.schemas.benefit import BenefitSchema, MeasurementSchema
from app.schemas.cost import CostSchema
from app.schemas.organisation import OrganisationSchema
from app.schemas.solution import SolutionSchema
from app.schemas.vocabulary import StandardSchema, ThemeSchema
from app.services.adoptions import build_adoption
from app.services.benefits import build_benefit, build_measurement
from app.services.costs import build_cost
from app.services.errors import DomainError
from app.services.permissions import SYSTEM
from app.services.references import resolve_organisation
from app.services.solutions import build_solution


class DataFileError(Exception):
    """A file in ``catalogue_data/`` does not hold valid data; the message names file and item."""


def is_empty() -> bool:
    """Return whether the catalogue holds no organisation yet."""
    return not db.session.scalar(select(func.count()).select_from(Organisation))


def _read(path: Path) -> Any:
    """Return the parsed YAML of ``path``; a missing or unreadable file names itself."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise DataFileError(f"{path.name}: the file is missing from {path.parent}.") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: not readable YAML (UTF-8): {exc}") from None


def _read_list(path: Path) -> list[Any]:
    """Return the items of a file that holds a YAML list (an empty file holds none)."""
    items = _read(path)
    if items is None:
        return []
    if not isinstance(items, list):
        raise DataFileError(f"{path.name}: must hold a list of items, not {type(items).__name__}.")
    return items


def _describe(messages: Any, prefix: str = "") -> list[str]:
    """Flatten marshmallow-style messages into "field.sub: why" lines."""
    if isinstance(messages, dict):
        return [
            line
            for key, value in messages.items()
            for line in _describe(value, f"{prefix}{'.' if prefix else ''}{key}")
        ]
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{prefix}: {' '.join(messages)}" if prefix else " ".join(messages)]
    if isinstance(messages, list):
        return [line for m in messages for line in _describe(m, prefix)]
    return [f"{prefix}: {messages}" if prefix else str(messages)]


def _validated(schema: Schema, item: Any, where: str) -> dict[str, Any]:
    try:
        return schema.load(item)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise DataFileError(f"{where}: {'; '.join(_describe(exc.messages))}") from exc


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Turn a domain error raised while ``where`` is built into a DataFileError naming it."""
    try:
        yield
    except DomainError as exc:
        details = "; ".join(_describe(exc.errors)) if exc.errors else exc.message
        raise DataFileError(f"{where}: {details}") from exc


def _claim(
    seen: dict[tuple[str, str], str], data: dict[str, Any], keys: tuple[str, ...], where: str
) -> None:
    """Refuse an item whose unique keys an earlier item of the same file already holds."""
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if (key, value) in seen:
            raise DataFileError(
                f"{where}: {key} '{value}' is already used by {seen[(key, value)]}."
            )
        seen[(key, value)] = where


def _list_field(item: dict[str, Any], key: str, where: str) -> list[Any]:
    value = item.pop(key, None) or []
    if not isinstance(value, list):
        raise DataFileError(f"{where}: '{key}' must be a list.")
    return value


def load_catalogue_data(
    data_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
    *,
    with_solutions: bool = True,
) -> dict[str, int]:
    """Load the data files into the (empty) database in one transaction; return counts.

    Every item is validated with the API's schema and built by the API's services; any error
    rolls the whole load back and raises DataFileError naming the file and the item.
    ``with_solutions=False`` loads only vocabularies and organisations (tests start there).
    """
    try:
        counts = _load(data_dir, progress, with_solutions=with_solutions)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return counts


def _load(
    data_dir: Path, progress: Callable[[str], None], *, with_solutions: bool
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, model, schema, unique in (
        ("themes", Theme, ThemeSchema(), ("slug", "uri")),
        ("standards", Standard, StandardSchema(), ("slug",)),
    ):
        items = _read_list(data_dir / f"{key}.yaml")
        seen: dict[tuple[str, str], str] = {}
        for n, item in enumerate(items):
            where = f"{key}.yaml item {n + 1}"
            data = _validated(schema, item, where)
            _claim(seen, data, unique, f"{where} ({data['slug']})")
            db.session.add(model(**data))
        counts[key] = len(items)
        progress(f"{key}: {len(items)}")

    organisations = _read_list(data_dir / "organisations.yaml")
    members: dict[str, tuple[str, list[str]]] = {}
    schema = OrganisationSchema()
    seen = {}
    for n, item in enumerate(organisations):
        where = f"organisations.yaml item {n + 1}"
        data = _validated(schema, item, where)
        where = f"{where} ({data['slug']})"
        _claim(seen, data, ("slug", "kommunenummer", "orgnr"), where)
        members[data["slug"]] = (where, data.pop("members"))
        db.session.add(Organisation(**data))
    db.session.flush()
    for slug, (where, refs) in members.items():
        if refs:
            org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
            assert org is not None
            with _naming(where):
                org.members = [resolve_organisation(ref, "members") for ref in refs]
    counts["organisations"] = len(organisations)
    progress(f"organisations: {len(organisations)}")
    if with_solutions:
        counts.update(build_solutions(data_dir, progress))
    return counts


def build_solutions(
    data_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Add the solutions of ``solutions.yaml`` with their adoptions, costs and benefits.

    The vocabularies and organisations must be there already. Nothing is committed: the
    caller commits (or rolls back) once.
    """
    counts: dict[str, int] = {}
    doc = _read(data_dir / "solutions.yaml")
    if not isinstance(doc or {}, dict) or not isinstance((doc or {}).get("solutions", []), list):
        raise DataFileError("solutions.yaml: must hold 'example' and a list of 'solutions'.")
    is_example = bool((doc or {}).get("example"))
    solution_schema, adoption_schema = SolutionSchema(), SolutionAdoptionCreateSchema()
    benefit_schema, cost_schema, measurement_schema = (
        BenefitSchema(),
        CostSchema(),
        MeasurementSchema(),
    )
    adoptions = benefits = costs = measurements = 0
    for n, item in enumerate((doc or {}).get("solutions") or []):
        where = f"solutions.yaml item {n + 1}"
        if not isinstance(item, dict):
            raise DataFileError(f"{where}: must be a mapping of a solution's fields.")
        where = f"{where} ({item.get('name', '?')})"
        item = dict(item)
        adoption_items = _list_field(item, "adoptions", where)
        data = _validated(solution_schema, item, where)
        with _naming(where):
            solution = build_solution(data, actor=SYSTEM, is_example=is_example)
        for m, adoption_item in enumerate(adoption_items):
            adoption_where = f"{where} adoption {m + 1}"
            if not isinstance(adoption_item, dict):
                raise DataFileError(f"{adoption_where}: must be a mapping of an adoption's fields.")
            adoption_item = dict(adoption_item)
            benefit_items = _list_field(adoption_item, "benefits", adoption_where)
            cost_items = _list_field(adoption_item, "costs", adoption_where)
            adoption = _validated(adoption_schema, adoption_item, adoption_where)
            adoption_where = f"{adoption_where} ({adoption['organisation']})"
            with _naming(adoption_where):
                built = build_adoption(
                    solution, adoption.pop("organisation"), adoption, actor=SYSTEM
                )
            adoptions += 1
            for k, cost_item in enumerate(cost_items):
                cost_where = f"{adoption_where} cost {k + 1}"
                cost = _validated(cost_schema, cost_item, cost_where)
                with _naming(cost_where):
                    build_cost(built, cost)
                costs += 1
            for k, benefit_item in enumerate(benefit_items):
                benefit_where = f"{adoption_where} benefit {k + 1}"
                if not isinstance(benefit_item, dict):
                    raise DataFileError(
                        f"{benefit_where}: must be a mapping of a benefit's fields."
                    )
                benefit_item = dict(benefit_item)
                measurement_items = _list_field(benefit_item, "measurements", benefit_where)
                benefit = _validated(benefit_schema, benefit_item, benefit_where)
                with _naming(benefit_where):
                    built_benefit = build_benefit(built, benefit)
                benefits += 1
                for j, measurement_item in enumerate(measurement_items):
                    measurement_where = f"{benefit_where} measurement {j + 1}"
                    measurement = _validated(
                        measurement_schema, measurement_item, measurement_where
                    )
                    with _naming(measurement_where):
                        build_measurement(built_benefit, measurement)
                    measurements += 1
    counts["solutions"] = db.session.scalar(select(func.count()).select_from(Solution)) or 0
    counts["adoptions"] = adoptions
    counts["benefits"] = benefits
    counts["costs"] = costs
    counts["measurements"] = measurements
    progress(
        f"solutions: {counts['solutions']}, adoptions: {adoptions}, benefits: {benefits}, "
        f"measurements: {measurements}, costs: {costs}"
    )
    return counts
