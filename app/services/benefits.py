"""Record, change and remove the benefits (gevinster) of an adoption."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, Benefit, BenefitMeasurement
from app.models.benefit import FIXED_UNITS
from app.services.adoptions import get_adoption
from app.services.errors import InvalidData, NotFound
from app.services.permissions import Actor, require_acts_for
from app.services.transaction import check_version, commit

AMOUNTS = ("baseline", "expected_value", "realised_value")
PLAIN = ("category", "unit", "description", "measured_on", "method", "is_measured")
PLAN_TEXTS = ("owner", "indicator", "freed_time_use")
PLAN_DATES = ("baseline_on", "target_on", "review_on")
MEASUREMENT_FIELDS = ("measured_on", "is_measured", "note")


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
    if benefit.baseline_on and benefit.target_on and benefit.target_on < benefit.baseline_on:
        errors["target_on"] = ["The target date cannot be before the baseline date."]
    if benefit.baseline_on:
        early = [m for m in benefit.measurements if m.measured_on < benefit.baseline_on]
        if early:
            errors["baseline_on"] = [
                f"{len(early)} measurement(s) are dated before this baseline date "
                f"(the first on {early[0].measured_on.isoformat()})."
            ]
    if errors:
        raise InvalidData("Validation failed.", errors)


def _amount(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _apply(benefit: Benefit, data: dict[str, Any]) -> None:
    realised_before = (benefit.realised_value, benefit.measured_on)
    for name in (*PLAIN, *PLAN_DATES):
        if name in data:
            setattr(benefit, name, data[name])
    for name in PLAN_TEXTS:
        if name in data:
            setattr(benefit, name, data[name] or "")
    for name in AMOUNTS:
        if name in data:
            setattr(benefit, name, _amount(data[name]))
    if (benefit.realised_value, benefit.measured_on) != realised_before:
        _realised_value_written(benefit)
    if not benefit.unit and benefit.category in FIXED_UNITS:
        benefit.unit = FIXED_UNITS[benefit.category]
    if benefit.unit is None:
        benefit.unit = ""
    _check(benefit)


def _realised_value_written(benefit: Benefit) -> None:
    """Keep the measurements in step with a realised value written on the benefit itself.

    Clients of the first API write ``realised_value`` with ``measured_on``: that is the
    measurement of that date (added, or its value changed). Clearing the value while dated
    measurements exist would lose them: that is refused.
    """
    if benefit.realised_value is None:
        if benefit.measurements:
            raise InvalidData(
                "Validation failed.",
                {
                    "realised_value": [
                        f"The benefit has {len(benefit.measurements)} measurement(s); remove "
                        "them (…/measurements/ID) to clear its realised value."
                    ]
                },
            )
        return
    if benefit.measured_on is None:
        return  # _check names the missing date
    same_day = next((m for m in benefit.measurements if m.measured_on == benefit.measured_on), None)
    if same_day is None:
        same_day = BenefitMeasurement(measured_on=benefit.measured_on, note="")
        benefit.measurements.append(same_day)
        db.session.add(same_day)
    same_day.value = benefit.realised_value
    same_day.is_measured = bool(benefit.is_measured)
    _sync_latest(benefit)


def _sync_latest(benefit: Benefit, *, removed: BenefitMeasurement | None = None) -> None:
    """Make ``realised_value`` and ``measured_on`` the latest measurement (or none)."""
    measurements = sorted(
        (m for m in benefit.measurements if m is not removed),
        key=lambda m: (m.measured_on, m.id or 0),
    )
    if measurements:
        latest = measurements[-1]
        benefit.realised_value = latest.value
        benefit.measured_on = latest.measured_on
        benefit.is_measured = bool(latest.is_measured)
    else:
        benefit.realised_value = None
        benefit.measured_on = None
        benefit.is_measured = False


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


def apply_benefit(benefit: Benefit, data: dict[str, Any]) -> None:
    """Change a benefit without committing (imports commit once); raises ``InvalidData``."""
    with db.session.no_autoflush:
        _apply(benefit, data)


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


# --- Measurements: several dated realised values of one benefit ------------------------------


def get_measurement(
    solution_slug: str, organisation_ref: str, benefit_id: int, measurement_id: int
) -> BenefitMeasurement:
    """Return one measurement of a benefit, or raise NotFound."""
    benefit = get_benefit(solution_slug, organisation_ref, benefit_id)
    measurement = next((m for m in benefit.measurements if m.id == measurement_id), None)
    if measurement is None:
        raise NotFound(f"The benefit has no measurement {measurement_id}.")
    return measurement


def _apply_measurement(measurement: BenefitMeasurement, data: dict[str, Any]) -> None:
    for name in MEASUREMENT_FIELDS:
        if name in data:
            setattr(measurement, name, data[name] if data[name] is not None else "")
    if "value" in data:
        measurement.value = _amount(data["value"])  # type: ignore[assignment]
    benefit = measurement.benefit
    errors: dict[str, list[str]] = {}
    if measurement.measured_on is None:
        errors["measured_on"] = ["Give the date of the measurement."]
    elif benefit.baseline_on and measurement.measured_on < benefit.baseline_on:
        errors["measured_on"] = [
            "A measurement cannot be dated before the baseline (nullpunktsmåling) of "
            f"{benefit.baseline_on.isoformat()}."
        ]
    elif any(
        m is not measurement and m.measured_on == measurement.measured_on
        for m in benefit.measurements
    ):
        errors["measured_on"] = ["The benefit already has a measurement of this date."]
    if measurement.value is None:
        errors["value"] = ["Give the measured value."]
    if errors:
        raise InvalidData("Validation failed.", errors)
    _sync_latest(benefit)
    _check(benefit)


def build_measurement(benefit: Benefit, data: dict[str, Any]) -> BenefitMeasurement:
    """Add a measurement to a benefit without committing (bulk loads commit once)."""
    measurement = BenefitMeasurement(benefit=benefit, note="", is_measured=True)
    with db.session.no_autoflush:
        try:
            _apply_measurement(measurement, data)
        except InvalidData:
            benefit.measurements.remove(measurement)
            raise
    db.session.add(measurement)
    return measurement


def record_measurement(
    solution_slug: str,
    organisation_ref: str,
    benefit_id: int,
    data: dict[str, Any],
    *,
    actor: Actor,
) -> BenefitMeasurement:
    """Record a dated realised value of a benefit; the latest one is its realised value."""
    benefit = get_benefit(solution_slug, organisation_ref, benefit_id)
    require_acts_for(actor, benefit.adoption.organisation_id, "record measurements")
    measurement = build_measurement(benefit, data)
    commit(actor=actor)
    return measurement


def update_measurement(
    solution_slug: str,
    organisation_ref: str,
    benefit_id: int,
    measurement_id: int,
    data: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None,
) -> BenefitMeasurement:
    """Change a measurement (PUT gives every field, PATCH some)."""
    measurement = get_measurement(solution_slug, organisation_ref, benefit_id, measurement_id)
    require_acts_for(actor, measurement.benefit.adoption.organisation_id, "change measurements")
    check_version(measurement.version, expected_version)
    with db.session.no_autoflush:
        try:
            _apply_measurement(measurement, data)
        except InvalidData:
            db.session.rollback()
            raise
    commit(actor=actor)
    return measurement


def delete_measurement(
    solution_slug: str,
    organisation_ref: str,
    benefit_id: int,
    measurement_id: int,
    *,
    actor: Actor,
    expected_version: int | None,
) -> None:
    """Remove a measurement; the benefit's realised value becomes the latest one left."""
    measurement = get_measurement(solution_slug, organisation_ref, benefit_id, measurement_id)
    benefit = measurement.benefit
    require_acts_for(actor, benefit.adoption.organisation_id, "remove measurements")
    check_version(measurement.version, expected_version)
    with db.session.no_autoflush:
        _sync_latest(benefit, removed=measurement)
    db.session.delete(measurement)
    commit(actor=actor)
