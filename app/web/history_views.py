"""The history page of a solution (who changed what, when, from what to what), and the
admin's restore of an earlier version."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import flash, render_template, request
from werkzeug.wrappers import Response

from app import labels
from app.models import HistoryEntry
from app.models.base import as_utc
from app.services import history
from app.services.errors import InvalidData, PreconditionFailed
from app.web.auth import current_actor, login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.filters import date_nb
from app.web.messages import label, norwegian_errors

ACTION_LABELS = {
    "created": "Registrert",
    "updated": "Endret",
    "published": "Publisert",
    "restored": "Gjenopprettet",
    "deleted": "Slettet",
}
"""History action → what the page calls it."""

ENTITY_LABELS = {
    "solution": "løsningen",
    "adoption": "bruk",
    "benefit": "gevinst",
    "measurement": "måling av gevinst",
    "cost": "kostnad",
    "organisation": "organisasjonen",
}
"""What an entry is about, as the page says it."""

CODED = {
    "kind": labels.SOLUTION_KIND_LABELS,
    "category": labels.BENEFIT_CATEGORY_LABELS,
}
"""Fields whose stored codes have Norwegian names (status depends on the entity)."""

COST_CODED = {
    "kind": labels.COST_KIND_LABELS,
    "category": labels.COST_CATEGORY_LABELS,
    "payer": labels.COST_PAYER_LABELS,
    "split_rule": labels.SPLIT_RULE_LABELS,
}
"""The coded fields of a cost entry."""

LOCAL_ZONE = "Europe/Oslo"
"""The time zone the history page shows times in."""

DATE_FIELDS = frozenset(
    {"since", "measured_on", "baseline_on", "target_on", "review_on", "incurred_on", "ends_on"}
)
"""Fields that hold dates (ISO in the history)."""


def shown_value(entity_type: str, field: str, value: Any) -> str:
    """Return a stored history value as the page shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "status":
        names = (
            labels.SOLUTION_STATUS_LABELS
            if entity_type == "solution"
            else labels.ADOPTION_STATUS_LABELS
        )
        return names.get(str(value), str(value))
    if entity_type == "cost" and field in COST_CODED:
        return COST_CODED[field].get(str(value), str(value))
    if field in CODED:
        return CODED[field].get(str(value), str(value))
    if field in DATE_FIELDS:
        try:
            return date_nb(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def when_text(entry: HistoryEntry) -> str:
    """Return when a change was made, in Norwegian time: ``3. mars 2025 kl. 14.05``."""
    moment = as_utc(entry.created_at)
    try:
        moment = moment.astimezone(ZoneInfo(LOCAL_ZONE))
    except ZoneInfoNotFoundError:  # no time zone data installed: UTC, and say so
        return f"{date_nb(moment)} kl. {moment:%H.%M} (UTC)"
    return f"{date_nb(moment.date())} kl. {moment:%H.%M}"


def actor_text(entry: HistoryEntry) -> str:
    """Return who made a change, as the page says it."""
    organisation = f", {entry.actor_organisation}" if entry.actor_organisation else ""
    if entry.actor_type == "user":
        return f"{entry.actor_name or 'En bruker'}{organisation}"
    if entry.actor_type == "token":
        name = f" «{entry.actor_name}»" if entry.actor_name else ""
        return f"API-nøkkel{name}{organisation}"
    return "Katalogen (systemet)"


web.add_app_template_global(label, "field_label")
web.add_app_template_global(shown_value, "history_value")
web.add_app_template_global(actor_text, "history_actor")
web.add_app_template_global(when_text, "history_when")
web.add_app_template_global(ACTION_LABELS, "history_actions")
web.add_app_template_global(ENTITY_LABELS, "history_entities")


@web.get("/losninger/<slug>/historikk")
def solution_history(slug: str) -> str:
    """Show every change of a solution, its adoptions and benefits, newest first."""
    actor = current_actor()
    record = history.solution_history(slug, viewer=actor)
    return render_template(
        "web/history/solution_history.html",
        record=record,
        may_restore=actor is not None and actor.is_admin and record.solution is not None,
    )


@web.post("/losninger/<slug>/historikk/<int:entry_id>/gjenopprett")
@login_required
def restore_solution_version(slug: str, entry_id: int) -> Response:
    """Restore the solution as it was after an entry (admins; a new entry in the history)."""
    version = request.form.get("version", "")
    try:
        history.restore_version(
            slug,
            entry_id,
            actor=require_actor(),
            expected_version=int(version) if version.isdigit() and len(version) < 10 else 0,
        )
    except PreconditionFailed:
        flash("Løsningen ble endret mens du så på historikken. Se over og prøv igjen.")
        return redirect_to("web.solution_history", slug=slug)
    except InvalidData as exc:
        problems = "; ".join(
            f"{label(field)}: {' '.join(messages)}"
            for field, messages in norwegian_errors(exc.errors).items()
        )
        flash(f"Versjonen kan ikke gjenopprettes slik den er: {problems}")
        return redirect_to("web.solution_history", slug=slug)
    flash("Den tidligere versjonen er gjenopprettet.")
    return redirect_to("web.solution", slug=slug)
