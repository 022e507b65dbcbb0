"""Record, change and remove the benefits (gevinster) of an adoption."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, Benefit
from app.models.benefit import FIXED_UNITS
from app.services.adoptions import get_adoption
from app.services.errors import InvalidData, NotFound
from app.services.permissions import Actor, require_acts_for
from app.services.transaction import check_version, commit

AMOUNTS = ("baseline", "expected_value", "realised_value")
PLAIN = ("category", "unit", "description", "measured_on", "method", "is_measured")


def _check(benefit: Benefit) -> None:
    """Raise InvalidData unless the benefit, as it now stands, keeps the rules."""
    errors: dict[str, list[str]] = {}
    fixed = FIXED_UNITS.get(benefit.category)
    has_value = any(getattr(benefit, name) is not None for name in AMOUNTS)
    if fixed and benefit.unit != fixed:
        errors["unit"] = [f"The unit of {benefit.category} is {fixed}."]
    elif not fixed and has_value and not benefit.unit:
        errors["unit"] = ["Name the unit of the values (e.g. percent, score, tonnes_co2)."]
    if benefit.realised_value is not None and benefit.measured_on is None:
        errors["measured_on"] = ["A realised value needs the date it was measured."]
    if benefit.is_measured and benefit.realised_value is None:
        errors["realised_value"] = ["A measured benefit needs its realised value."]
    if errors:
        raise InvalidData("Validation failed.", errors)


def _apply(benefit: Benefit, data: dict[str, Any]) -> None:
    for name in PLAIN:
        if name in data:
            setattr(benefit, name, data[name])
    for name in AMOUNTS:
        if name in data:
            value = data[name]
            setattr(benefit, name, None if value is None else Decimal(str(round(value, 2))))
    if not benefit.unit and benefit.category in FIXED_UNITS:
        benefit.unit = FIXED_UNITS[benefit.category]
    if benefit.unit is None:
        benefit.unit = ""
    _check(benefit)


def list_benefits(solution_slug: str, organisation_ref: str) -> list[Benefit]:
    """Return the benefits of one adoption."""
    return list(get_adoption(solution_slug, organisation_ref).benefits)


def get_benefit(solution_slug: str, organisation_ref: str, benefit_id: int) -> Benefit:
    """Return one benefit of an adoption, or raise NotFound."""
    adoption = get_adoption(solution_slug, organisation_ref)
    benefit = db.session.scalar(
        select(Benefit)
        .where(Benefit.id == benefit_id, Benefit.adoption_id == adoption.id)
        .options(selectinload(Benefit.adoption).selectinload(Adoption.organisation))
    )
    if benefit is None:
        raise NotFound(f"The adoption has no benefit {benefit_id}.")
    return benefit


def build_benefit(adoption: Adoption, data: dict[str, Any]) -> Benefit:
    """Add a benefit to an adoption without committing (bulk loads commit once)."""
    benefit = Benefit(adoption=adoption, description="", method="", is_measured=False)
    with db.session.no_autoflush:
        _apply(benefit, data)
    # SQLAlchemy 2 no longer cascades through the backref: add the benefit explicitly.
    db.session.add(benefit)
    return benefit


def record_benefit(
    solution_slug: str, organisation_ref: str, data: dict[str, Any], *, actor: Actor
) -> Benefit:
    """Record a benefit of an organisation's adoption (that organisation or an admin)."""
    adoption = get_adoption(solution_slug, organisation_ref)
    require_acts_for(actor, adoption.organisation_id, "record benefits")
    benefit = build_benefit(adoption, data)
    commit(actor=actor)
    return benefit


def update_benefit(
    solution_slug: str,
    organisation_ref: str,
    benefit_id: int,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None,
) -> Benefit:
    """Change a benefit (PUT gives every field, PATCH some)."""
    benefit = get_benefit(solution_slug, organisation_ref, benefit_id)
    require_acts_for(actor, benefit.adoption.organisation_id, "change benefits")
    check_version(benefit.version, expected_version)
    with db.session.no_autoflush:
        _apply(benefit, data)
    commit(actor=actor)
    return benefit


def delete_benefit(
    solution_slug: str,
    organisation_ref: str,
    benefit_id: int,
    *,
    actor: Actor,
    expected_version: int | None,
) -> None:
    """Remove a benefit."""
    benefit = get_benefit(solution_slug, organisation_ref, benefit_id)
    require_acts_for(actor, benefit.adoption.organisation_id, "remove benefits")
    check_version(benefit.version, expected_version)
    db.session.delete(benefit)
    commit(actor=actor)
