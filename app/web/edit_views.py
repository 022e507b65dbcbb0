"""Register, edit, publish and retire solutions, and record adoptions, from the browser.

One rule, one place: a form's fields are loaded through the API's marshmallow schemas and
handed to the very service functions the API calls, so validation, permissions and the version
rule are the same. This module only turns form fields into the API's shape, and the English
messages of the schemas and services into Norwegian ones next to each field.

No silent overwrite: an edit form carries the version it was opened at, and the service
refuses the save when the solution has changed since (as the API does for a stale If-Match).
The page then shows each field someone else changed, their value beside yours, to merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import flash, render_template, request
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import labels
from app.models import ADOPTION_STATUSES, SOLUTION_KINDS, SOLUTION_STATUSES, Adoption, Solution
from app.models.snapshots import (
    adoption_snapshot,
    flatten,
    snapshot_amount,
    solution_snapshot,
)
from app.schemas.adoption import AdoptionSchema
from app.schemas.solution import SolutionSchema
from app.services import adoptions, history, organisations, solutions, vocabularies
from app.services.errors import Conflict, InvalidData, PreconditionFailed
from app.services.permissions import Actor, require_acts_for
from app.services.references import get_organisation
from app.web.auth import login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.merge import FieldConflict, field_conflicts
from app.web.messages import norwegian_errors

SOLUTION_SCALARS = (
    "name",
    "summary",
    "description",
    "kind",
    "status",
    "owner",
    "vendor",
    "vendor_organisation",
    "licence",
    "based_on",
    "based_on_kind",
)
"""Single-value fields of the solution form, named as the API names them."""

OPTIONAL_SCALARS = frozenset({"vendor", "vendor_organisation", "licence", "based_on"})
"""Fields whose empty input means "none" (null), not "missing"."""

NESTED = {
    "links": ("homepage", "documentation", "source_code"),
    "contact": ("name", "role", "email"),
    "adoption_cost": ("one_off_nok", "yearly_nok", "effort_hours", "lead_time_weeks"),
}
"""Grouped fields; the form names them ``links.homepage`` and so on."""

NUMBER_GROUPS = frozenset({"adoption_cost"})
"""Groups of numbers, which take Norwegian input (``12 500,50``)."""


def norwegian_number(text: str) -> str:
    """Return a number typed the Norwegian way as the API reads it: ``12 500,5`` → ``12500.5``."""
    return text.replace("\u00a0", "").replace(" ", "").replace(",", ".")


def _text(form: MultiDict[str, str], name: str) -> str:
    """Return a text input as the API would get it: trimmed, with plain line breaks."""
    return form.get(name, "").replace("\r\n", "\n").strip()


def _version(form: MultiDict[str, str]) -> int:
    """Return the version the form was opened at (0, never current, when missing or bad)."""
    value = form.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _load(schema: Schema, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Load ``data`` through the API's schema; return it, or the Norwegian field errors."""
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return {}, norwegian_errors(exc.normalized_messages())  # type: ignore[arg-type]


# ---- Solutions ----


def solution_data(form: MultiDict[str, str]) -> dict[str, Any]:
    """Return the solution form as the body the API takes (``SolutionSchema``)."""
    data: dict[str, Any] = {}
    for name in SOLUTION_SCALARS:
        value = _text(form, name)
        if value:
            data[name] = value
        elif name in OPTIONAL_SCALARS:
            data[name] = None
        elif name == "description":
            data[name] = ""
        # A required field left empty stays out: the schema says it is missing.
    if data.get("based_on"):
        data["based_on"] = _slug_of(data["based_on"])
    else:
        data.pop("based_on_kind", None)
    data["themes"] = [value for value in form.getlist("themes") if value]
    data["standards"] = [value for value in form.getlist("standards") if value]
    data["tags"] = [tag.strip() for tag in _text(form, "tags").split(",") if tag.strip()]
    for group, keys in NESTED.items():
        data[group] = {key: _text(form, f"{group}.{key}") or None for key in keys}
        if group in NUMBER_GROUPS:
            data[group] = {k: v and norwegian_number(v) for k, v in data[group].items()}
    return data


def _slug_of(reference: str) -> str:
    """Return the slug in a pasted catalogue address (``…/losninger/<slug>``), or the text."""
    return reference.split("?")[0].rstrip("/").rsplit("/losninger/", 1)[-1]


def form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """Return what the person typed, to show the form again as they left it."""
    values: dict[str, Any] = {key: form.get(key, "") for key in form}
    values["themes"] = form.getlist("themes")
    values["standards"] = form.getlist("standards")
    return values


def solution_values(solution: Solution) -> dict[str, Any]:
    """Return a stored solution as the form's values."""
    values = {
        key: "" if value is None else value
        for key, value in flatten(solution_snapshot(solution)).items()
    }
    values["tags"] = ", ".join(values["tags"])
    for key in NESTED["adoption_cost"]:
        name = f"adoption_cost.{key}"
        if isinstance(values.get(name), str) and values[name].endswith(".00"):
            values[name] = values[name][:-3]  # 120000.00 → 120000
    return values


def _as_snapshot(data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Return loaded form data in the shape of a history snapshot, to compare with one."""
    snapshot = {**current}
    for key, value in data.items():
        if key in ("themes", "standards"):
            snapshot[key] = sorted(dict.fromkeys(value))
        elif key == "tags":
            snapshot[key] = sorted(dict.fromkeys(tag.strip().lower() for tag in value))
        elif key == "adoption_cost":
            snapshot[key] = {
                sub: value.get(sub) if sub == "lead_time_weeks" else snapshot_amount(value.get(sub))
                for sub in NESTED[key]
            }
        elif key in NESTED:
            snapshot[key] = {sub: value.get(sub) for sub in NESTED[key]}
        elif key in snapshot:
            snapshot[key] = value
    return snapshot


@dataclass
class Choices:
    """The options of the solution form's lists, and the names to show for stored codes."""

    kinds: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    themes: list[tuple[str, str]]
    standards: list[tuple[str, str]]
    organisations: list[tuple[str, str]]
    lineage_kinds: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("based_on", "Bygger på den (videreutviklet)"),
            ("variant_of", "Er en variant av den (tilpasset kopi)"),
        ]
    )

    def name_of(self, field: str, value: str) -> str:
        """Return the name of a stored code (a theme's slug → its name)."""
        lookup = {
            "kind": self.kinds,
            "status": self.statuses,
            "themes": self.themes,
            "standards": self.standards,
            "owner": self.organisations,
            "vendor_organisation": self.organisations,
        }.get(field)
        return dict(lookup).get(value, value) if lookup else value


def solution_choices() -> Choices:
    """Return the options of the solution form."""
    orgs, _ = organisations.list_organisations(page_size=10000)
    return Choices(
        kinds=[(kind, labels.SOLUTION_KIND_LABELS.get(kind, kind)) for kind in SOLUTION_KINDS],
        statuses=[
            (status, labels.SOLUTION_STATUS_LABELS.get(status, status))
            for status in SOLUTION_STATUSES
        ],
        themes=[(theme.slug, theme.name) for theme in vocabularies.list_themes()],
        standards=[(standard.slug, standard.name) for standard in vocabularies.list_standards()],
        organisations=sorted(((o.slug, o.name) for o in orgs), key=lambda pair: pair[1]),
    )


def _solution_form(
    *,
    solution: Solution | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    actor: Actor,
    version: int | None = None,
    conflicts: list[FieldConflict] | None = None,
    choices: Choices | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "web/edit/solution_form.html",
        solution=solution,
        values=values,
        errors=errors,
        version=version,
        conflicts=conflicts,
        choices=choices or solution_choices(),
        may_change_owner=actor.is_admin,
    )
    return page, status


def _owner_for(actor: Actor, form: MultiDict[str, str], solution: Solution | None) -> str | None:
    """Return the owner a save names: an admin chooses; an editor's stays its organisation's."""
    if actor.is_admin:
        return _text(form, "owner") or None
    return solution.owner.slug if solution is not None else actor.organisation_slug


@web.route("/losninger/ny", methods=["GET", "POST"])
@login_required
def new_solution() -> Response | tuple[str, int]:
    """Register a new solution, published at once or saved as a draft."""
    actor = require_actor()
    if request.method == "GET":
        values = {"owner": actor.organisation_slug, "status": "production"}
        return _solution_form(solution=None, values=values, errors={}, actor=actor)
    data = solution_data(request.form)
    data["owner"] = _owner_for(actor, request.form, None)
    loaded, errors = _load(SolutionSchema(), data)
    if not errors:
        loaded["is_draft"] = request.form.get("action") == "draft"
        try:
            solution = solutions.create_solution(loaded, actor=actor)
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        else:
            flash(
                "Løsningen er lagret som utkast. Bare din organisasjon ser den til den publiseres."
                if solution.is_draft
                else "Løsningen er publisert."
            )
            return redirect_to("web.solution", slug=solution.slug)
    values = form_values(request.form)
    return _solution_form(solution=None, values=values, errors=errors, actor=actor, status=422)


def _editable(slug: str, actor: Actor) -> Solution:
    """Return the solution if ``actor`` may change it: NotFound for others' drafts, else the
    service's own permission rule (PermissionDenied, 403), also before a form is shown."""
    solution = solutions.get_solution(slug, viewer=actor)
    require_acts_for(actor, solution.owner_id, "change solutions")
    return solution


@web.route("/losninger/<slug>/rediger", methods=["GET", "POST"])
@login_required
def edit_solution(slug: str) -> Response | tuple[str, int]:
    """Edit a solution (and publish a draft); a stale save shows what changed meanwhile."""
    actor = require_actor()
    solution = _editable(slug, actor)
    if request.method == "GET":
        return _solution_form(
            solution=solution,
            values=solution_values(solution),
            errors={},
            actor=actor,
            version=solution.version,
        )
    form_version = _version(request.form)
    data = solution_data(request.form)
    data["owner"] = _owner_for(actor, request.form, solution)
    loaded, errors = _load(SolutionSchema(), data)
    was_draft = solution.is_draft
    if not errors:
        if was_draft:
            loaded["is_draft"] = request.form.get("action") != "publish"
        try:
            saved = solutions.update_solution(
                slug, loaded, actor=actor, expected_version=form_version, partial=False
            )
        except PreconditionFailed:
            return _stale_solution(slug, actor, form_version, loaded)
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        else:
            if saved.is_draft:
                flash("Utkastet er lagret. Bare din organisasjon ser det til det publiseres.")
            else:
                flash("Løsningen er publisert." if was_draft else "Endringene er lagret.")
            return redirect_to("web.solution", slug=saved.slug)
    return _solution_form(
        solution=solution,
        values=form_values(request.form),
        errors=errors,
        actor=actor,
        version=form_version,
        status=422,
    )


def _stale_solution(
    slug: str, actor: Actor, form_version: int, loaded: dict[str, Any]
) -> tuple[str, int]:
    """Show the form again with the editor's values, the current version and the conflicts."""
    current = solutions.get_solution(slug, viewer=actor)
    theirs = solution_snapshot(current)
    yours = _as_snapshot(loaded, theirs)
    base = history.snapshot_at("solution", current.id, form_version)
    choices = solution_choices()
    return _solution_form(
        solution=current,
        values=form_values(request.form),
        errors={},
        actor=actor,
        version=current.version,
        conflicts=field_conflicts(base, theirs, yours, choices),
        choices=choices,
        status=409,
    )


@web.route("/losninger/<slug>/avvikle", methods=["GET", "POST"])
@login_required
def retire_solution(slug: str) -> Response | tuple[str, int]:
    """Mark a solution as retired (avviklet) with the reason: it stays, with its history."""
    actor = require_actor()
    solution = _editable(slug, actor)
    changed_meanwhile = False
    errors: dict[str, list[str]] = {}
    reason = request.form.get("retired_reason", "")
    if request.method == "POST":
        try:
            solutions.update_solution(
                slug,
                {"status": "retired", "retired_reason": reason},
                actor=actor,
                expected_version=_version(request.form),
                partial=True,
            )
        except PreconditionFailed:
            changed_meanwhile = True
            solution = solutions.get_solution(slug, viewer=actor)
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        else:
            flash("Løsningen er markert som avviklet.")
            return redirect_to("web.solution", slug=slug)
    page = render_template(
        "web/edit/retire.html",
        solution=solution,
        changed_meanwhile=changed_meanwhile,
        errors=errors,
        reason=reason,
    )
    return page, 409 if changed_meanwhile else 422 if errors else 200


@web.post("/losninger/<slug>/publiser")
@login_required
def publish_solution(slug: str) -> Response:
    """Publish a draft as it stands."""
    actor = require_actor()
    _editable(slug, actor)
    try:
        solutions.update_solution(
            slug,
            {"is_draft": False},
            actor=actor,
            expected_version=_version(request.form),
            partial=True,
        )
    except PreconditionFailed:
        flash("Utkastet ble endret av noen andre mens du så på det. Se over det og prøv igjen.")
        return redirect_to("web.edit_solution", slug=slug)
    flash("Løsningen er publisert.")
    return redirect_to("web.solution", slug=slug)


@web.post("/losninger/<slug>/bekreft")
@login_required
def confirm_solution(slug: str) -> Response:
    """Renew the owner's word that the entry is still true (its last confirmed date)."""
    actor = require_actor()
    _editable(slug, actor)
    try:
        confirmed = solutions.confirm_solution(
            slug, actor=actor, expected_version=_version(request.form)
        )
    except PreconditionFailed:
        flash("Løsningen ble endret av noen andre mens du så på den. Se over den og bekreft igjen.")
        return redirect_to("web.solution", slug=slug)
    flash(f"Takk! «{confirmed.name}» er bekreftet som oppdatert.")
    if request.form.get("from") == "min-side":
        return redirect_to("web.dashboard")
    return redirect_to("web.solution", slug=slug)


# ---- Adoptions ----


def adoption_data(form: MultiDict[str, str]) -> dict[str, Any]:
    """Return the adoption form as the body the API takes (``AdoptionSchema``)."""
    data: dict[str, Any] = {
        "notes": _text(form, "notes"),
        "since": _text(form, "since") or None,
        "wanted_on": _text(form, "wanted_on") or None,
    }
    if _text(form, "status"):
        data["status"] = _text(form, "status")
    data["contact"] = {key: _text(form, f"contact.{key}") or None for key in NESTED["contact"]}
    if _text(form, "status_reason"):
        data["status_reason"] = _text(form, "status_reason")
    return data


def adoption_values(adoption: Adoption | None) -> dict[str, Any]:
    """Return a stored adoption (or the defaults of a new one) as the form's values."""
    if adoption is None:
        return {"status": "considering"}
    return {
        key: "" if value is None else value
        for key, value in flatten(adoption_snapshot(adoption)).items()
    }


def _adoption_form(
    *,
    solution: Solution,
    organisation: Any,
    adoption: Adoption | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    actor: Actor,
    version: int | None,
    conflicts: list[FieldConflict] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    orgs = organisations.list_organisations(page_size=10000)[0] if actor.is_admin else []
    page = render_template(
        "web/edit/adoption_form.html",
        solution=solution,
        organisation=organisation,
        adoption=adoption,
        values=values,
        errors=errors,
        version=version,
        conflicts=conflicts,
        statuses=[(s, labels.ADOPTION_STATUS_LABELS.get(s, s)) for s in ADOPTION_STATUSES],
        organisations=sorted(((o.slug, o.name) for o in orgs), key=lambda pair: pair[1]),
    )
    return page, status


@web.route("/losninger/<slug>/bruk", methods=["GET", "POST"])
@login_required
def edit_adoption(slug: str) -> Response | tuple[str, int]:
    """Record or change an organisation's use of a solution (an admin may pick the org)."""
    actor = require_actor()
    solution = solutions.get_solution(slug)  # a draft cannot be adopted yet
    wanted = _text(request.values, "org") if actor.is_admin else ""
    organisation = get_organisation(wanted or str(actor.organisation_slug))
    require_acts_for(actor, organisation.id, "record adoptions")
    adoption = adoptions.find_adoption(slug, organisation.slug)
    context = {"solution": solution, "organisation": organisation, "actor": actor}
    if request.method == "GET":
        return _adoption_form(
            adoption=adoption,
            values=adoption_values(adoption),
            errors={},
            version=adoption.version if adoption else None,
            **context,
        )
    loaded, errors = _load(AdoptionSchema(), adoption_data(request.form))
    form_version = _version(request.form)
    if not errors:
        try:
            if adoption is None and not request.form.get("version"):
                adoptions.record_adoption(slug, organisation.slug, loaded, actor=actor)
            else:
                adoptions.update_adoption(
                    slug,
                    organisation.slug,
                    loaded,
                    actor=actor,
                    expected_version=form_version,
                    partial=False,
                )
        except (PreconditionFailed, Conflict):
            return _stale_adoption(slug, organisation, loaded, form_version, context)
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        else:
            flash(f"Bruken for {organisation.name} er lagret.")
            return redirect_to("web.solution", slug=slug)
    return _adoption_form(
        adoption=adoption,
        values=form_values(request.form),
        errors=errors,
        version=form_version if request.form.get("version") else None,
        status=422,
        **context,
    )


def _stale_adoption(
    slug: str,
    organisation: Any,
    loaded: dict[str, Any],
    form_version: int,
    context: dict[str, Any],
) -> tuple[str, int]:
    """Show the adoption form again with the values saved meanwhile beside the editor's."""
    current = adoptions.find_adoption(slug, organisation.slug)
    theirs = adoption_snapshot(current) if current else {}
    yours = {
        **theirs,
        **loaded,
        "since": loaded["since"].isoformat() if loaded.get("since") else None,
    }
    yours["contact"] = {key: loaded.get("contact", {}).get(key) for key in NESTED["contact"]}
    base = (
        history.snapshot_at("adoption", current.id, form_version)
        if current and form_version
        else None
    )
    return _adoption_form(
        adoption=current,
        values=form_values(request.form),
        errors={},
        version=current.version if current else None,
        conflicts=field_conflicts(base, theirs, yours),
        status=409,
        **context,
    )
