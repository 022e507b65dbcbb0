"""Import a publiccode.yml from the browser: an editor uploads (or pastes) the file.

One rule, one place: the page hands the bytes to ``publiccode.import_publiccode``, the very
service call of ``POST /api/v1/import/publiccode`` and ``flask import publiccode``, so the
validation, the mapping, the permission rule and "the same file again updates" are the API's.
This module only picks the bytes out of the form, and turns the service's English problems,
each named by its key path in the file, into bokmål next to the form.

An editor imports into their own organisation's solutions; an admin may name the owner. A
body larger than ``MAX_CONTENT_LENGTH`` is refused before the view runs (Werkzeug raises 413
while the CSRF check reads the form); for this page that answer is the form again, saying
how large a file may be.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.errors import handle_http_exception
from app.services import organisations, publiccode
from app.services.errors import Conflict, InvalidData, PermissionDenied
from app.services.permissions import Actor
from app.services.publiccode import PubliccodeImport
from app.services.references import get_organisation
from app.web.auth import current_actor, login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.messages import translate
from app.web.publiccode_messages import FileProblem, norwegian_problem

FORM_FIELDS = frozenset({"publiccode", "yaml", "owner"})
"""The inputs of the form; any other error key is a key path in the file."""

REFUSED = (
    "Filen beskriver en løsning (samme url) som en annen organisasjon eier. Du kan bare "
    "importere til løsninger som {org} eier; be eieren eller en administrator om å importere den."
)
CLASH = (
    "Filen kolliderer med det som er lagret: flere løsninger har samme url, eller noen lagret "
    "samtidig. Prøv igjen, eller be en administrator velge eier."
)


def _file_errors(errors: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[FileProblem]]:
    """Split the service's errors into the form's inputs and problems of the file."""
    fields: dict[str, list[str]] = {}
    problems: list[FileProblem] = []
    for key, messages in errors.items():
        if key in FORM_FIELDS:
            fields[key] = [translate(message, key) for message in messages]
        else:
            where = "" if key == "(file)" else key
            problems.extend(norwegian_problem(where, message) for message in messages)
    return fields, problems


def size_limit() -> str:
    """Return the largest body the catalogue takes, the Norwegian way (``1 MB``, ``500 kB``)."""
    limit = int(current_app.config["MAX_CONTENT_LENGTH"] or 0)
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB".replace(".", ",")
    return f"{max(limit // 1024, 1)} kB"


def _owner_choices(actor: Actor) -> list[tuple[str, str]]:
    if not actor.is_admin:
        return []
    orgs, _ = organisations.list_organisations(page_size=10000)
    return sorted(((o.slug, o.name) for o in orgs), key=lambda pair: pair[1])


def _form(
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    problems: list[FileProblem] | None = None,
    source: str = "publiccode",
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "web/edit/import_publiccode.html",
        values=values or {},
        errors=errors or {},
        problems=problems or [],
        source=source,
        owners=_owner_choices(actor),
        organisation_name=_organisation_name(actor),
        size_limit=size_limit(),
    )
    return page, status


def _organisation_name(actor: Actor) -> str:
    if actor.organisation_slug is None:
        return "din organisasjon"
    return get_organisation(actor.organisation_slug).name


def _upload() -> tuple[bytes, str]:
    """Return the file's bytes and which input gave them: the file when one is chosen."""
    upload = request.files.get("publiccode")
    if upload is not None and upload.filename:
        raw = upload.read()
        if raw.strip():
            return raw, "publiccode"
    text = request.form.get("yaml", "")
    return (text.encode("utf-8"), "yaml") if text.strip() else (b"", "publiccode")


def _flash_result(result: PubliccodeImport) -> None:
    """Say what the import did, and what the file said that the catalogue did not take."""
    if result.created:
        flash("Løsningen er opprettet fra publiccode.yml.")
    elif result.changed:
        flash("Løsningen er oppdatert fra publiccode.yml.")
    else:
        flash("Løsningen stemmer allerede med publiccode.yml. Filen inneholdt ingen endringer.")
    names = {a.organisation.slug: a.organisation.name for a in result.solution.adoptions}
    if result.adoptions_recorded:
        recorded = ", ".join(names.get(slug, slug) for slug in result.adoptions_recorded)
        flash(f"Registrert at disse bruker løsningen (fra usedBy): {recorded}.")
    if result.used_by_not_recorded:
        flash(
            "Filen sier at også disse bruker løsningen, men bare de selv eller en administrator "
            f"kan registrere det: {', '.join(result.used_by_not_recorded)}."
        )
    for warning in result.warnings:
        problem = norwegian_problem(warning.key, warning.message)
        flash(f"Merknad til {problem.key or 'filen'}: {problem.message}")


@web.route("/losninger/ny/publiccode", methods=["GET", "POST"])
@login_required
def import_publiccode() -> Response | tuple[str, int]:
    """Create or update a solution from an uploaded (or pasted) publiccode.yml."""
    actor = require_actor()
    if request.method == "GET":
        return _form(actor)
    values = {"yaml": request.form.get("yaml", ""), "owner": request.form.get("owner", "")}
    raw, source = _upload()
    if not raw:
        errors = {"publiccode": ["Velg en publiccode.yml-fil, eller lim inn innholdet av den."]}
        return _form(actor, values=values, errors=errors, status=422)
    owner = values["owner"].strip() if actor.is_admin else ""
    try:
        result = publiccode.import_publiccode(raw, actor=actor, owner_ref=owner or None)
    except InvalidData as exc:
        errors, problems = _file_errors(exc.errors)
        return _form(
            actor, values=values, errors=errors, problems=problems, source=source, status=422
        )
    except PermissionDenied:
        errors = {source: [REFUSED.format(org=_organisation_name(actor))]}
        return _form(actor, values=values, errors=errors, source=source, status=403)
    except Conflict:
        return _form(actor, values=values, errors={source: [CLASH]}, source=source, status=409)
    _flash_result(result)
    return redirect_to("web.solution", slug=result.solution.slug)


@web.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> Any:
    """Answer a file over the size limit with the form again; other pages as before."""
    actor = current_actor()
    if request.endpoint != "web.import_publiccode" or actor is None:
        return handle_http_exception(exc)
    errors = {"publiccode": [f"Filen er for stor. Katalogen tar imot høyst {size_limit()}."]}
    return _form(actor, errors=errors, status=413)
