"""Costs, benefits and measurements of an adoption, edited in the browser.

The same rules as the API, from the same places: each form is loaded through the API's schema
(``CostSchema``, ``BenefitSchema``, ``MeasurementSchema``) and saved by the services the API
calls, so permissions, validation, versions and history are one. A form carries the version it
was opened at; a save or removal after someone else's change is refused (409) and the form
shows their values beside yours (the history's snapshot at your version is the base).

Three kinds of record, one set of views: a ``Kind`` says which schema, service calls, snapshot
and form fields belong to costs, benefits or measurements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, render_template, request
from marshmallow import Schema
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import labels
from app.models import Adoption
from app.models.benefit import BENEFIT_CATEGORIES
from app.models.cost import COST_CATEGORIES, COST_KINDS, COST_PAYERS, SPLIT_RULES
from app.models.snapshots import (
    benefit_snapshot,
    cost_snapshot,
    measurement_snapshot,
    snapshot_amount,
)
from app.schemas.benefit import BenefitSchema, MeasurementSchema
from app.schemas.cost import CostSchema
from app.services import adoptions, benefits, costs, history, solutions
from app.services.errors import Conflict, InvalidData, NotFound, PreconditionFailed
from app.services.permissions import Actor, require_acts_for
from app.services.references import get_organisation
from app.web.auth import login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.edit_views import _load, _text, _version, norwegian_number
from app.web.merge import field_conflicts
from app.web.messages import norwegian_errors


@dataclass(frozen=True)
class Field:
    """One input of a record form, named as the API names the field."""

    name: str
    label: str
    type: str = "text"  # text, number, date, select, textarea, checkbox
    options: tuple[tuple[str, str], ...] = ()
    hint: str | None = None
    required: bool = False


def _options(codes: tuple[str, ...], names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((code, names.get(code, code)) for code in codes)


COST_FIELDS = (
    Field(
        "kind",
        "Type kostnad",
        "select",
        _options(COST_KINDS, labels.COST_KIND_LABELS),
        required=True,
    ),
    Field(
        "category",
        "Hva kostnaden gjelder",
        "select",
        _options(COST_CATEGORIES, labels.COST_CATEGORY_LABELS),
    ),
    Field(
        "amount",
        "Beløp i kroner",
        "number",
        hint="Engangskostnad i kroner, eller kroner per år for en årlig kostnad. "
        "Kan stå tomt når kostnaden bare er egen innsats.",
    ),
    Field(
        "effort_hours",
        "Egen innsats i timer",
        "number",
        hint="Timer kommunens egne folk brukte. Regnes om til kroner med katalogens timesats.",
    ),
    Field("payer", "Hvem betalte", "select", _options(COST_PAYERS, labels.COST_PAYER_LABELS)),
    Field(
        "payer_organisation",
        "Samarbeidet som betalte",
        hint="Kortnavnet til samarbeidet (for eksempel fosen-ikt), når et samarbeid betalte.",
    ),
    Field(
        "funding_source",
        "Finansieringskilde",
        hint="For eksempel DigiFin 2024 eller Digdirs medfinansieringsordning.",
    ),
    Field(
        "incurred_on",
        "Dato",
        "date",
        hint="Når engangskostnaden kom, eller når den årlige kostnaden begynte.",
    ),
    Field("ends_on", "Sluttdato for en årlig kostnad", "date"),
    Field(
        "split_rule",
        "Fordeling mellom medlemmene",
        "select",
        _options(SPLIT_RULES[:2], labels.SPLIT_RULE_LABELS),
        hint="Bare når et samarbeid har tatt løsningen i bruk: lik fordeling eller etter "
        "innbyggertall. Egne andeler settes gjennom API-et.",
    ),
    Field("description", "Merknad", "textarea"),
)

BENEFIT_FIELDS = (
    Field(
        "category",
        "Gevinsttype",
        "select",
        _options(BENEFIT_CATEGORIES, labels.BENEFIT_CATEGORY_LABELS),
        required=True,
    ),
    Field(
        "unit",
        "Enhet",
        hint="La stå tomt for timer og kroner per år. For andre gevinster: "
        "for eksempel «dager saksbehandlingstid».",
    ),
    Field("description", "Beskrivelse", "textarea"),
    Field(
        "indicator", "Indikator", hint="Hva som måles, for eksempel behandlingstid per byggesak."
    ),
    Field(
        "owner",
        "Gevinsteier",
        hint="Personen eller rollen i kommunen som har ansvar for å hente ut gevinsten.",
    ),
    Field("baseline", "Utgangsverdi (nullpunktsmåling)", "number"),
    Field("baseline_on", "Dato for nullpunktsmålingen", "date"),
    Field("expected_value", "Forventet verdi (mål)", "number"),
    Field("target_on", "Måldato", "date"),
    Field(
        "realised_value",
        "Oppnådd verdi",
        "number",
        hint="Blir en måling med datoen under. Flere målinger over tid legger du til etterpå.",
    ),
    Field("measured_on", "Målt dato", "date"),
    Field("is_measured", "Verdien er målt (ikke anslått)", "checkbox"),
    Field("method", "Metode eller kilde"),
    Field("freed_time_use", "Hva frigjort tid brukes til", "textarea"),
    Field(
        "review_on",
        "Neste oppfølging",
        "date",
        hint="Når gevinsten skal følges opp. Etter datoen vises den som forfalt.",
    ),
)

MEASUREMENT_FIELDS = (
    Field("measured_on", "Målt dato", "date", required=True),
    Field("value", "Oppnådd verdi", "number", required=True, hint="I gevinstens enhet."),
    Field("is_measured", "Verdien er målt (ikke anslått)", "checkbox"),
    Field("note", "Merknad", "textarea"),
)


@dataclass(frozen=True)
class Kind:
    """What the views need to know about one kind of record."""

    key: str  # in URLs and endpoint names
    noun: str  # «kostnaden»
    new_heading: str
    edit_heading: str
    schema: Callable[[], Schema]
    fields: tuple[Field, ...]
    snapshot: Callable[[Any], dict[str, Any]]
    history_type: str


COST = Kind(
    "kostnad",
    "kostnaden",
    "Legg til en kostnad",
    "Endre en kostnad",
    CostSchema,
    COST_FIELDS,
    cost_snapshot,
    "cost",
)
BENEFIT = Kind(
    "gevinst",
    "gevinsten",
    "Legg til en gevinst",
    "Endre en gevinst",
    BenefitSchema,
    BENEFIT_FIELDS,
    benefit_snapshot,
    "benefit",
)
MEASUREMENT = Kind(
    "maling",
    "målingen",
    "Legg til en måling",
    "Endre en måling",
    MeasurementSchema,
    MEASUREMENT_FIELDS,
    measurement_snapshot,
    "measurement",
)


def form_data(kind: Kind, form: MultiDict[str, str]) -> dict[str, Any]:
    """Return a record form as the body the API takes: every field, empty ones as null."""
    data: dict[str, Any] = {}
    for field in kind.fields:
        value = _text(form, field.name)
        if field.type == "checkbox":
            data[field.name] = bool(form.get(field.name))
        elif field.type == "number":
            data[field.name] = norwegian_number(value) or None
        elif field.type == "textarea" or field.name in ("method", "indicator", "owner"):
            data[field.name] = value
        elif field.name == "funding_source":
            data[field.name] = value
        elif value or not field.required:
            data[field.name] = value or None
    if kind is COST:
        for name in ("category", "payer"):
            data[name] = data.get(name) or CostSchema().fields[name].load_default
    return data


def record_values(kind: Kind, record: Any | None) -> dict[str, str]:
    """Return a stored record (or a new one's defaults) as the form's values."""
    if record is None:
        return {"is_measured": "on"} if kind is MEASUREMENT else {}
    values: dict[str, str] = {}
    for name, value in kind.snapshot(record).items():
        if isinstance(value, bool):
            values[name] = "on" if value else ""
        else:
            values[name] = "" if value is None else str(value)
    return values


# ---- Whose adoption ----


@dataclass
class Context:
    """The adoption being edited, and who edits it."""

    actor: Actor
    solution: Any
    organisation: Any
    adoption: Adoption


def _context(slug: str) -> Context:
    actor = require_actor()
    solution = solutions.get_solution(slug)
    wanted = _text(request.values, "org") if actor.is_admin else ""
    organisation = get_organisation(wanted or str(actor.organisation_slug))
    require_acts_for(actor, organisation.id, "record costs and benefits")
    adoption = adoptions.find_adoption(slug, organisation.slug)
    if adoption is None:
        raise NotFound(f"{organisation.name} has not recorded its use of this solution.")
    return Context(actor, solution, organisation, adoption)


def _back(context: Context) -> Response:
    extra = {"org": context.organisation.slug} if context.actor.is_admin else {}
    return redirect_to("web.adoption_economy", slug=context.solution.slug, **extra)


@web.get("/losninger/<slug>/bruk/okonomi")
@login_required
def adoption_economy(slug: str) -> str:
    """List an adoption's costs, benefits and measurements, with links to change them."""
    context = _context(slug)
    return render_template(
        "web/edit/economy.html",
        context=context,
        costs=sorted(
            context.adoption.costs, key=lambda c: (c.incurred_on is None, c.incurred_on, c.id)
        ),
        benefits=sorted(context.adoption.benefits, key=lambda b: b.id),
        org_arg={"org": context.organisation.slug} if context.actor.is_admin else {},
    )


# ---- One record form for the three kinds ----


def _render(
    kind: Kind,
    context: Context,
    *,
    record: Any | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    version: int | None,
    action: str,
    parent: Any | None = None,
    conflicts: list[Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "web/edit/record_form.html",
        kind=kind,
        context=context,
        record=record,
        parent=parent,
        values=values,
        errors=errors,
        version=version,
        action=action,
        conflicts=conflicts,
        org_arg={"org": context.organisation.slug} if context.actor.is_admin else {},
    )
    return page, status


AMOUNTS = ("amount", "effort_hours", "baseline", "expected_value", "realised_value", "value")
"""Numbers the history keeps with two decimals."""


def _as_snapshot(loaded: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Return loaded form data in the shape of the record's history snapshot."""
    yours = {**theirs}
    for name, value in loaded.items():
        if name not in yours:
            continue
        if name in AMOUNTS:
            yours[name] = snapshot_amount(value)
        elif hasattr(value, "isoformat"):
            yours[name] = value.isoformat()
        else:
            yours[name] = value
    return yours


def _save(
    kind: Kind,
    context: Context,
    *,
    record: Any | None,
    action: str,
    create: Callable[[dict[str, Any]], Any],
    update: Callable[[dict[str, Any], int], Any],
    reload: Callable[[], Any],
    parent: Any | None = None,
) -> Response | tuple[str, int]:
    """Show the form (GET), or save it through the services (POST)."""
    common = {"action": action, "parent": parent}
    if request.method == "GET":
        version = record.version if record is not None else None
        values = record_values(kind, record)
        return _render(
            kind, context, record=record, values=values, errors={}, version=version, **common
        )
    loaded, errors = _load(kind.schema(), form_data(kind, request.form))
    form_version = _version(request.form)
    if not errors:
        try:
            if record is None:
                create(loaded)
            else:
                update(loaded, form_version)
        except (PreconditionFailed, Conflict):
            current = reload()
            theirs = kind.snapshot(current)
            base = history.snapshot_at(kind.history_type, current.id, form_version)
            conflicts = field_conflicts(base, theirs, _as_snapshot(loaded, theirs))
            return _render(
                kind,
                context,
                record=current,
                values=dict(request.form),
                errors={},
                version=current.version,
                conflicts=conflicts,
                status=409,
                **common,
            )
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        else:
            flash(f"{kind.noun.capitalize()} er lagret.")
            return _back(context)
    return _render(
        kind,
        context,
        record=record,
        values=dict(request.form),
        errors=errors,
        version=form_version if record is not None else None,
        status=422,
        **common,
    )


def _remove(context: Context, remove: Callable[[int], None], noun: str) -> Response:
    try:
        remove(_version(request.form))
    except (PreconditionFailed, Conflict):
        flash(
            f"Ikke fjernet: noen andre endret {noun} etter at du åpnet siden. "
            "Se over og prøv igjen."
        )
    else:
        flash(f"{noun.capitalize()} er fjernet.")
    return _back(context)


# ---- Costs ----


def _owner(context: Context) -> tuple[str, str]:
    return context.solution.slug, context.organisation.slug


@web.route("/losninger/<slug>/bruk/kostnader/ny", methods=["GET", "POST"])
@login_required
def new_cost(slug: str) -> Response | tuple[str, int]:
    """Add a cost to the signed-in organisation's adoption."""
    context = _context(slug)
    s, o = _owner(context)
    return _save(
        COST,
        context,
        record=None,
        action=request.path,
        create=lambda data: costs.record_cost(s, o, data, actor=context.actor),
        update=lambda data, version: None,
        reload=lambda: None,
    )


@web.route("/losninger/<slug>/bruk/kostnader/<int:cost_id>", methods=["GET", "POST"])
@login_required
def edit_cost(slug: str, cost_id: int) -> Response | tuple[str, int]:
    """Change a cost of the adoption."""
    context = _context(slug)
    s, o = _owner(context)
    return _save(
        COST,
        context,
        record=costs.get_cost(s, o, cost_id),
        action=request.path,
        create=lambda data: None,
        update=lambda data, version: costs.update_cost(
            s, o, cost_id, data, actor=context.actor, expected_version=version
        ),
        reload=lambda: costs.get_cost(s, o, cost_id),
    )


@web.post("/losninger/<slug>/bruk/kostnader/<int:cost_id>/fjern")
@login_required
def remove_cost(slug: str, cost_id: int) -> Response:
    """Remove a cost (the form carries the version it was shown at)."""
    context = _context(slug)
    s, o = _owner(context)
    remove = lambda version: costs.delete_cost(  # noqa: E731
        s, o, cost_id, actor=context.actor, expected_version=version
    )
    return _remove(context, remove, COST.noun)


# ---- Benefits ----


@web.route("/losninger/<slug>/bruk/gevinster/ny", methods=["GET", "POST"])
@login_required
def new_benefit(slug: str) -> Response | tuple[str, int]:
    """Add a benefit (with its plan) to the adoption."""
    context = _context(slug)
    s, o = _owner(context)
    return _save(
        BENEFIT,
        context,
        record=None,
        action=request.path,
        create=lambda data: benefits.record_benefit(s, o, data, actor=context.actor),
        update=lambda data, version: None,
        reload=lambda: None,
    )


@web.route("/losninger/<slug>/bruk/gevinster/<int:benefit_id>", methods=["GET", "POST"])
@login_required
def edit_benefit(slug: str, benefit_id: int) -> Response | tuple[str, int]:
    """Change a benefit and its plan."""
    context = _context(slug)
    s, o = _owner(context)
    return _save(
        BENEFIT,
        context,
        record=benefits.get_benefit(s, o, benefit_id),
        action=request.path,
        create=lambda data: None,
        update=lambda data, version: benefits.update_benefit(
            s, o, benefit_id, data, actor=context.actor, expected_version=version
        ),
        reload=lambda: benefits.get_benefit(s, o, benefit_id),
    )


@web.post("/losninger/<slug>/bruk/gevinster/<int:benefit_id>/fjern")
@login_required
def remove_benefit(slug: str, benefit_id: int) -> Response:
    """Remove a benefit with its measurements."""
    context = _context(slug)
    s, o = _owner(context)
    remove = lambda version: benefits.delete_benefit(  # noqa: E731
        s, o, benefit_id, actor=context.actor, expected_version=version
    )
    return _remove(context, remove, BENEFIT.noun)


# ---- Measurements ----


@web.route("/losninger/<slug>/bruk/gevinster/<int:benefit_id>/malinger/ny", methods=["GET", "POST"])
@login_required
def new_measurement(slug: str, benefit_id: int) -> Response | tuple[str, int]:
    """Add a dated realised value to a benefit."""
    context = _context(slug)
    s, o = _owner(context)
    benefit = benefits.get_benefit(s, o, benefit_id)
    return _save(
        MEASUREMENT,
        context,
        record=None,
        action=request.path,
        parent=benefit,
        create=lambda data: benefits.record_measurement(
            s, o, benefit_id, data, actor=context.actor
        ),
        update=lambda data, version: None,
        reload=lambda: None,
    )


@web.route(
    "/losninger/<slug>/bruk/gevinster/<int:benefit_id>/malinger/<int:measurement_id>",
    methods=["GET", "POST"],
)
@login_required
def edit_measurement(slug: str, benefit_id: int, measurement_id: int) -> Response | tuple[str, int]:
    """Change a measurement of a benefit."""
    context = _context(slug)
    s, o = _owner(context)
    measurement = benefits.get_measurement(s, o, benefit_id, measurement_id)
    return _save(
        MEASUREMENT,
        context,
        record=measurement,
        action=request.path,
        parent=measurement.benefit,
        create=lambda data: None,
        update=lambda data, version: benefits.update_measurement(
            s, o, benefit_id, measurement_id, data, actor=context.actor, expected_version=version
        ),
        reload=lambda: benefits.get_measurement(s, o, benefit_id, measurement_id),
    )


@web.post("/losninger/<slug>/bruk/gevinster/<int:benefit_id>/malinger/<int:measurement_id>/fjern")
@login_required
def remove_measurement(slug: str, benefit_id: int, measurement_id: int) -> Response:
    """Remove a measurement; the benefit's realised value becomes the latest one left."""
    context = _context(slug)
    s, o = _owner(context)
    remove = lambda version: benefits.delete_measurement(  # noqa: E731
        s, o, benefit_id, measurement_id, actor=context.actor, expected_version=version
    )
    return _remove(context, remove, MEASUREMENT.noun)
