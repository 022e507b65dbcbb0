"""Record, change and remove what an adoption costs, and split a samarbeid's costs.

Every rule about costs lives here: the unit follows the kind (kroner for a one-off cost,
kroner a year for a running cost), amounts are never negative, a running cost ends after it
starts, who paid is named, and a samarbeid's cost is split between its members by a rule whose
shares add up to the whole. The API, the web forms and the spreadsheet import call these
functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import COST_UNITS, Adoption, AdoptionCost, CostShare, Organisation
from app.services.adoptions import get_adoption
from app.services.errors import InvalidData, NotFound
from app.services.permissions import Actor, require_acts_for
from app.services.references import resolve_organisation
from app.services.transaction import check_version, commit

PLAIN = ("kind", "category", "funding_source", "incurred_on", "ends_on", "description")
AMOUNTS = ("amount", "effort_hours")

SHARE_TOLERANCE = Decimal("0.0001")
"""How far explicit shares may be from 1 in all (rounding of thirds and the like)."""


@dataclass(frozen=True)
class MemberShare:
    """One member's part of a samarbeid's cost: the fraction and what it comes to."""

    organisation_id: int
    fraction: Decimal


def _check(cost: AdoptionCost, adoption: Adoption) -> None:
    """Raise InvalidData unless the cost, as it now stands, keeps the rules."""
    errors: dict[str, list[str]] = {}
    unit = COST_UNITS.get(cost.kind)
    if unit and cost.unit != unit:
        errors["unit"] = [
            f"The unit of a {cost.kind} cost is {unit} "
            f"({'kroner once' if cost.kind == 'one_off' else 'kroner a year'})."
        ]
    if cost.amount is None and cost.effort_hours is None:
        errors["amount"] = ["Give the amount in NOK, the internal effort in hours, or both."]
    if cost.incurred_on and cost.ends_on and cost.ends_on < cost.incurred_on:
        errors["ends_on"] = ["A cost cannot end before it starts (incurred_on)."]
    if cost.ends_on and cost.kind != "yearly":
        errors["ends_on"] = ["Only a yearly cost has an end date."]
    if cost.payer == "samarbeid":
        payer = cost.payer_organisation
        if payer is None:
            errors["payer_organisation"] = ["Name the samarbeid that paid."]
        elif payer.kind != "samarbeid":
            errors["payer_organisation"] = [f"'{payer.slug}' is not a samarbeid."]
    elif cost.payer_organisation is not None and cost.payer == "self":
        errors["payer_organisation"] = ["Leave out payer_organisation when the adopter paid."]
    is_collaboration = adoption.organisation.kind == "samarbeid"
    if cost.split_rule and not is_collaboration:
        errors["split_rule"] = [
            "Only a samarbeid's cost is split between members; this adopter is "
            f"'{adoption.organisation.slug}'."
        ]
    if cost.split_rule == "custom":
        errors.update(_share_errors(cost, adoption.organisation))
    elif cost.shares:
        errors["shares"] = ["Shares are given only with split_rule custom."]
    if cost.split_rule == "population" and is_collaboration:
        missing = [m.slug for m in adoption.organisation.members if not m.population]
        if missing:
            errors["split_rule"] = [
                "The population of these members is not known: " + ", ".join(missing) + "."
            ]
    if errors:
        raise InvalidData("Validation failed.", errors)


def _share_errors(cost: AdoptionCost, collaboration: Organisation) -> dict[str, list[str]]:
    members = {m.id for m in collaboration.members}
    if not cost.shares:
        return {"shares": ["Give each member's share with split_rule custom."]}
    outsiders = [s.organisation.slug for s in cost.shares if s.organisation_id not in members]
    if outsiders:
        return {"shares": [f"Not members of {collaboration.slug}: {', '.join(outsiders)}."]}
    total = sum((Decimal(s.fraction) for s in cost.shares), Decimal(0))
    if abs(total - 1) > SHARE_TOLERANCE:
        return {"shares": [f"The shares add up to {total:.4f}; they must add up to 1 (the whole)."]}
    return {}


def _apply(cost: AdoptionCost, adoption: Adoption, data: dict[str, Any]) -> None:
    for name in PLAIN:
        if name in data:
            setattr(cost, name, data[name])
    for name in AMOUNTS:
        if name in data:
            value = data[name]
            setattr(cost, name, None if value is None else Decimal(str(round(value, 2))))
    if "unit" in data and data["unit"]:
        cost.unit = data["unit"]
    elif not cost.unit or "kind" in data and not data.get("unit"):
        cost.unit = COST_UNITS.get(cost.kind, "")
    if "payer" in data:
        cost.payer = data["payer"] or "self"
    if "payer_organisation" in data:
        ref = data["payer_organisation"]
        cost.payer_organisation = resolve_organisation(ref, "payer_organisation") if ref else None
    if "split_rule" in data:
        cost.split_rule = data["split_rule"]
    if adoption.organisation.kind == "samarbeid" and not cost.split_rule:
        cost.split_rule = "equal"
    if "shares" in data:
        wanted: dict[int, Decimal] = {}
        for n, share in enumerate(data["shares"] or []):
            member = resolve_organisation(share["organisation"], f"shares.{n}.organisation")
            wanted[member.id] = Decimal(str(share["fraction"]))
        kept = {s.organisation_id: s for s in cost.shares}
        rows = []
        for organisation_id, fraction in wanted.items():
            row = kept.get(organisation_id) or CostShare(organisation_id=organisation_id)
            row.fraction = fraction
            row.organisation = db.session.get(Organisation, organisation_id)  # type: ignore[assignment]
            rows.append(row)
        cost.shares = rows
    _check(cost, adoption)


def list_costs(solution_slug: str, organisation_ref: str) -> list[AdoptionCost]:
    """Return the costs of one adoption."""
    return list(get_adoption(solution_slug, organisation_ref).costs)


def get_cost(solution_slug: str, organisation_ref: str, cost_id: int) -> AdoptionCost:
    """Return one cost of an adoption, or raise NotFound."""
    adoption = get_adoption(solution_slug, organisation_ref)
    cost = db.session.scalar(
        select(AdoptionCost)
        .where(AdoptionCost.id == cost_id, AdoptionCost.adoption_id == adoption.id)
        .options(
            selectinload(AdoptionCost.adoption).selectinload(Adoption.organisation),
            selectinload(AdoptionCost.shares).selectinload(CostShare.organisation),
        )
    )
    if cost is None:
        raise NotFound(f"The adoption has no cost {cost_id}.")
    return cost


def build_cost(adoption: Adoption, data: dict[str, Any]) -> AdoptionCost:
    """Add a cost to an adoption without committing (bulk loads commit once)."""
    cost = AdoptionCost(adoption=adoption, unit="", payer="self", funding_source="", description="")
    with db.session.no_autoflush:
        try:
            _apply(cost, adoption, data)
        except InvalidData:
            adoption.costs.remove(cost)
            raise
    db.session.add(cost)
    return cost


def apply_cost(cost: AdoptionCost, data: dict[str, Any]) -> None:
    """Change a cost without committing (imports commit once); raises ``InvalidData``."""
    with db.session.no_autoflush:
        _apply(cost, cost.adoption, data)


def record_cost(
    solution_slug: str, organisation_ref: str, data: dict[str, Any], *, actor: Actor
) -> AdoptionCost:
    """Record a cost of an organisation's adoption (that organisation or an admin)."""
    adoption = get_adoption(solution_slug, organisation_ref)
    require_acts_for(actor, adoption.organisation_id, "record costs")
    cost = build_cost(adoption, data)
    commit(actor=actor)
    return cost


def update_cost(
    solution_slug: str,
    organisation_ref: str,
    cost_id: int,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None,
) -> AdoptionCost:
    """Change a cost (PUT gives every field, PATCH some)."""
    cost = get_cost(solution_slug, organisation_ref, cost_id)
    require_acts_for(actor, cost.adoption.organisation_id, "change costs")
    check_version(cost.version, expected_version)
    with db.session.no_autoflush:
        try:
            _apply(cost, cost.adoption, data)
        except InvalidData:
            db.session.rollback()
            raise
    commit(actor=actor)
    return cost


def delete_cost(
    solution_slug: str,
    organisation_ref: str,
    cost_id: int,
    *,
    actor: Actor,
    expected_version: int | None,
) -> None:
    """Remove a cost."""
    cost = get_cost(solution_slug, organisation_ref, cost_id)
    require_acts_for(actor, cost.adoption.organisation_id, "remove costs")
    check_version(cost.version, expected_version)
    db.session.delete(cost)
    commit(actor=actor)


def member_shares(
    rule: str | None,
    members: list[tuple[int, int | None]],
    explicit: dict[int, Decimal] | None = None,
) -> list[MemberShare]:
    """Return each member's fraction of a samarbeid's cost under ``rule``.

    ``members`` are (organisation id, population) pairs. ``equal`` gives each the same part,
    ``population`` parts in proportion to population, ``custom`` the explicit fractions.
    """
    if not members:
        return []
    if rule == "custom":
        return [MemberShare(oid, fraction) for oid, fraction in (explicit or {}).items()]
    if rule == "population":
        total = sum(population or 0 for _, population in members)
        if total:
            return [
                MemberShare(oid, Decimal(population or 0) / Decimal(total))
                for oid, population in members
            ]
    return [MemberShare(oid, Decimal(1) / Decimal(len(members))) for oid, _ in members]
