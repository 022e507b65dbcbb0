"""The snapshots of the history: what an entry keeps of a solution, adoption, benefit,
measurement, cost or organisation (the dict in ``HistoryEntry.snapshot``), and the changes
between two snapshots (``HistoryEntry.changes``).

Plain functions of the objects, with no session and no database: the listeners in
``app/models/history_listeners.py`` use them to write the entries, the edit forms to compare
what a form was opened on with what is stored now.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def snapshot_amount(value: Decimal | float | None) -> str | None:
    """Return a number as snapshots keep it: two decimals, as the columns store them (120,
    120.0 in memory and 120.00 read back are one value, never a change)."""
    return None if value is None else format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


_amount = snapshot_amount


def solution_snapshot(solution: Any) -> dict[str, Any]:
    """Return a solution as its history keeps it: the shape of the API's solution body."""
    return {
        "name": solution.name,
        "summary": solution.summary,
        "description": solution.description or "",
        "kind": solution.kind,
        "status": solution.status,
        "owner": solution.owner.slug if solution.owner else None,
        "themes": sorted(theme.slug for theme in solution.themes),
        "standards": sorted(standard.slug for standard in solution.standards),
        "tags": sorted(row.tag for row in solution.tag_rows),
        "vendor": solution.vendor,
        "vendor_organisation": (
            solution.vendor_organisation.slug if solution.vendor_organisation else None
        ),
        "licence": solution.licence,
        "links": {
            "homepage": solution.homepage_url,
            "documentation": solution.documentation_url,
            "source_code": solution.source_code_url,
        },
        "contact": {
            "name": solution.contact_name,
            "role": solution.contact_role,
            "email": solution.contact_email,
        },
        "adoption_cost": {
            "one_off_nok": _amount(solution.adoption_one_off_cost),
            "yearly_nok": _amount(solution.adoption_yearly_cost),
            "effort_hours": _amount(solution.adoption_effort_hours),
            "lead_time_weeks": solution.adoption_lead_time_weeks,
        },
        "retired_reason": getattr(solution, "retired_reason", None),
        "based_on": solution.based_on.slug if getattr(solution, "based_on", None) else None,
        "based_on_kind": getattr(solution, "based_on_kind", None),
        "is_draft": bool(getattr(solution, "is_draft", False)),
    }


def adoption_snapshot(adoption: Any) -> dict[str, Any]:
    """Return an adoption as its history keeps it."""
    return {
        "organisation": adoption.organisation.slug,
        "status": adoption.status,
        "since": _iso(adoption.since),
        "wanted_on": _iso(adoption.wanted_on),
        "notes": adoption.notes or "",
        "contact": {
            "name": adoption.contact_name,
            "role": adoption.contact_role,
            "email": adoption.contact_email,
        },
    }


def benefit_snapshot(benefit: Any) -> dict[str, Any]:
    """Return a benefit as its history keeps it."""
    return {
        "organisation": benefit.adoption.organisation.slug,
        "category": benefit.category,
        "unit": benefit.unit,
        "description": benefit.description or "",
        "baseline": _amount(benefit.baseline),
        "expected_value": _amount(benefit.expected_value),
        "realised_value": _amount(benefit.realised_value),
        "measured_on": _iso(benefit.measured_on),
        "method": benefit.method or "",
        "is_measured": bool(benefit.is_measured),
        "owner": benefit.owner or "",
        "indicator": benefit.indicator or "",
        "baseline_on": _iso(benefit.baseline_on),
        "target_on": _iso(benefit.target_on),
        "freed_time_use": benefit.freed_time_use or "",
        "review_on": _iso(benefit.review_on),
    }


def measurement_snapshot(measurement: Any) -> dict[str, Any]:
    """Return a measurement of a benefit as its history keeps it."""
    return {
        "organisation": measurement.benefit.adoption.organisation.slug,
        "benefit": measurement.benefit_id,
        "measured_on": _iso(measurement.measured_on),
        "value": _amount(measurement.value),
        "is_measured": bool(measurement.is_measured),
        "note": measurement.note or "",
    }


SHARE_PLACES = Decimal("0.000001")


def cost_snapshot(cost: Any) -> dict[str, Any]:
    """Return a cost of an adoption as its history keeps it."""
    return {
        "organisation": cost.adoption.organisation.slug,
        "kind": cost.kind,
        "category": cost.category,
        "unit": cost.unit,
        "amount": _amount(cost.amount),
        "effort_hours": _amount(cost.effort_hours),
        "payer": cost.payer,
        "payer_organisation": cost.payer_organisation.slug if cost.payer_organisation else None,
        "funding_source": cost.funding_source or "",
        "incurred_on": _iso(cost.incurred_on),
        "ends_on": _iso(cost.ends_on),
        "split_rule": cost.split_rule,
        "shares": {
            share.organisation.slug: format(
                Decimal(share.fraction).quantize(Decimal("0.000001")), "f"
            )
            for share in cost.shares
        },
        "description": cost.description or "",
    }


def organisation_snapshot(organisation: Any) -> dict[str, Any]:
    """Return an organisation as its history keeps it."""
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "kommunenummer": organisation.kommunenummer,
        "orgnr": organisation.orgnr,
        "website": organisation.website,
        "email": organisation.email,
        "population": organisation.population,
        "members": sorted(m.kommunenummer or m.slug for m in organisation.members),
    }


def flatten(snapshot: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Return ``{"links.homepage": …}`` from ``{"links": {"homepage": …}}``."""
    flat: dict[str, Any] = {}
    for key, value in (snapshot or {}).items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for every field whose value differs."""
    old, new = flatten(before), flatten(after)
    return {
        name: [old.get(name), new.get(name)]
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }
