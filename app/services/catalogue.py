"""Load ``catalogue_data/`` into an empty database, validated by the API's own schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organisation, Solution, Standard, Theme
from app.schemas.adoption import SolutionAdoptionCreateSchema
from app.schemas.benefit import BenefitSchema
from app.schemas.organisation import OrganisationSchema
from app.schemas.solution import SolutionSchema
from app.schemas.vocabulary import StandardSchema, ThemeSchema
from app.services.adoptions import build_adoption
from app.services.benefits import build_benefit
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
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _validated(schema: Schema, item: Any, where: str) -> dict[str, Any]:
    try:
        return schema.load(item)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise DataFileError(f"{where}: {exc.messages}") from exc


def load_catalogue_data(
    data_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
    *,
    with_solutions: bool = True,
) -> dict[str, int]:
    """Load the data files into the (empty) database in one transaction; return counts.

    ``with_solutions=False`` loads only vocabularies and organisations (tests start there).
    """
    counts: dict[str, int] = {}
    try:
        for key, model, schema in (
            ("themes", Theme, ThemeSchema()),
            ("standards", Standard, StandardSchema()),
        ):
            items = _read(data_dir / f"{key}.yaml") or []
            for n, item in enumerate(items):
                db.session.add(model(**_validated(schema, item, f"{key}.yaml item {n + 1}")))
            counts[key] = len(items)
            progress(f"{key}: {len(items)}")

        organisations = _read(data_dir / "organisations.yaml") or []
        members: dict[str, list[str]] = {}
        schema = OrganisationSchema()
        for n, item in enumerate(organisations):
            data = _validated(schema, item, f"organisations.yaml item {n + 1}")
            members[data["slug"]] = data.pop("members")
            db.session.add(Organisation(**data))
        db.session.flush()
        for slug, refs in members.items():
            if refs:
                org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
                assert org is not None
                org.members = [resolve_organisation(ref, f"{slug}.members") for ref in refs]
        counts["organisations"] = len(organisations)
        progress(f"organisations: {len(organisations)}")

        doc = _read(data_dir / "solutions.yaml") if with_solutions else {}
        is_example = bool((doc or {}).get("example"))
        solution_schema, adoption_schema = SolutionSchema(), SolutionAdoptionCreateSchema()
        benefit_schema = BenefitSchema()
        adoptions = benefits = 0
        for n, item in enumerate((doc or {}).get("solutions", [])):
            where = f"solutions.yaml item {n + 1} ({item.get('name', '?')})"
            item = dict(item)
            adoption_items = item.pop("adoptions", []) or []
            data = _validated(solution_schema, item, where)
            solution = build_solution(data, actor=SYSTEM, is_example=is_example)
            for m, adoption_item in enumerate(adoption_items):
                adoption_where = f"{where} adoption {m + 1}"
                adoption_item = dict(adoption_item)
                benefit_items = adoption_item.pop("benefits", []) or []
                adoption = _validated(adoption_schema, adoption_item, adoption_where)
                built = build_adoption(
                    solution, adoption.pop("organisation"), adoption, actor=SYSTEM
                )
                adoptions += 1
                for k, benefit_item in enumerate(benefit_items):
                    benefit_where = f"{adoption_where} benefit {k + 1}"
                    build_benefit(built, _validated(benefit_schema, benefit_item, benefit_where))
                    benefits += 1
        counts["solutions"] = db.session.scalar(select(func.count()).select_from(Solution)) or 0
        counts["adoptions"] = adoptions
        counts["benefits"] = benefits
        progress(f"solutions: {counts['solutions']}, adoptions: {adoptions}, benefits: {benefits}")
        db.session.commit()
    except (DomainError, DataFileError) as exc:
        db.session.rollback()
        if isinstance(exc, DomainError):
            raise DataFileError(f"{exc.message} {exc.errors}") from exc
        raise
    return counts
