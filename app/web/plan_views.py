"""Planning together: record a plan from a solution's page, and see the plans kommuner share.

A plan is an adoption with status «vurderer» or «planlegger»; ``/samarbeid-muligheter`` lists
the solutions two or more organisations plan, so they can buy or build them together.
"""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.wrappers import Response

from app import labels
from app.services import adoptions, shared_plans, solutions
from app.services.errors import Conflict, InvalidData, PreconditionFailed
from app.services.references import get_organisation
from app.web.auth import login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.forms import PageArgsSchema, parse_args
from app.web.messages import norwegian_errors

CHANGED_MEANWHILE = "Planen ble endret av noen andre i mellomtiden. Se over og lagre igjen."


class InterestFormSchema(Schema):
    """The plan form: considering or planned, optionally when and why."""

    status = fields.String(required=True, validate=validate.OneOf(shared_plans.PLAN_STATUSES))
    wanted_on = fields.Date(allow_none=True, load_default=None)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))


def _form_data(form: Any) -> dict[str, Any]:
    names = InterestFormSchema().fields
    data = {name: form.get(name, "").replace("\r\n", "\n").strip() for name in names}
    data["wanted_on"] = data["wanted_on"] or None
    if not data["status"]:
        del data["status"]
    return data


def _version(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@web.route("/losninger/<slug>/interesse", methods=["GET", "POST"])
@login_required
def record_interest(slug: str) -> Response | tuple[str, int]:
    """Record that one's organisation considers or plans a solution (one click on its page)."""
    actor = require_actor()
    solution = solutions.get_solution(slug)
    organisation = get_organisation(str(actor.organisation_slug))
    existing = adoptions.find_adoption(slug, organisation.slug)
    values: dict[str, Any] = {"status": "considering"}
    if existing is not None:
        values = {
            "status": existing.status,
            "wanted_on": existing.wanted_on.isoformat() if existing.wanted_on else "",
            "notes": existing.notes,
        }
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        status = 422
        values = {key: request.form.get(key, "") for key in ("status", "wanted_on", "notes")}
        try:
            loaded = InterestFormSchema().load(_form_data(request.form))
            shared_plans.record_interest(
                slug,
                organisation.slug,
                loaded,
                actor=actor,
                expected_version=_version(request.form.get("version", "")),
            )
        except ValidationError as exc:
            errors = norwegian_errors(exc.normalized_messages())  # type: ignore[arg-type]
        except InvalidData as exc:
            errors = norwegian_errors(exc.errors)
        except (PreconditionFailed, Conflict):
            errors = {"status": [CHANGED_MEANWHILE]}
            existing = adoptions.find_adoption(slug, organisation.slug)
            status = 409
        else:
            label = labels.ADOPTION_STATUS_LABELS[loaded["status"]]
            flash(f"Lagret: {organisation.name} – {label.lower()}.")
            return redirect_to("web.solution", slug=slug)
    page = render_template(
        "web/edit/interest_form.html",
        solution=solution,
        organisation=organisation,
        existing=existing,
        values=values,
        errors=errors,
        statuses=[(s, labels.ADOPTION_STATUS_LABELS[s]) for s in shared_plans.PLAN_STATUSES],
    )
    return page, status


SHARED_PLANS_PAGE_SIZE = 25
"""Shared plans per page of /samarbeid-muligheter."""


class SharedPlansArgsSchema(PageArgsSchema):
    """A page, and optionally the one organisation whose shared plans are shown."""

    kommune = fields.String(load_default="", validate=validate.Length(max=200))


@web.get("/samarbeid-muligheter")
def shared_plans_page() -> str:
    """List the solutions two or more organisations consider or plan, in pages (optionally
    only those one organisation takes part in: ``?kommune=``, linked from its page)."""
    args = parse_args(SharedPlansArgsSchema(), request)
    organisation = get_organisation(args["kommune"]) if args["kommune"] else None
    plans, total = shared_plans.shared_plans_page(
        organisation.slug if organisation else None,
        page=args["page"],
        page_size=SHARED_PLANS_PAGE_SIZE,
    )
    return render_template(
        "web/shared_plans.html",
        plans=plans,
        total=total,
        page=args["page"],
        page_size=SHARED_PLANS_PAGE_SIZE,
        organisation=organisation,
    )
