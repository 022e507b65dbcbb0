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

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.api.errors import handle_http_exception
from app.services import organisations, publiccode
from app.services.errors import Conflict, InvalidData, PermissionDenied
from app.services.permissions import Actor
from app.services.publiccode import PubliccodeImport
from app.services.references import get_organisation
from app.web.auth import current_actor, login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.messages import translate

FORM_FIELDS = frozenset({"publiccode", "yaml", "owner"})
"""The inputs of the form; any other error key is a key path in the file."""

LINE = re.compile(r"^(?P<message>.*) \(line (?P<line>\d+)\)$", re.DOTALL)
"""The line the service appends to a problem's message: ``… (line 12)``."""

FILE_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"required"), "Mangler, men må være med."),
    (re.compile(r"wrong type for this field"), "Har feil type verdi."),
    (
        re.compile(r"wrong type for this field \(true or false\)"),
        "Har feil type verdi: skal være true eller false.",
    ),
    (
        re.compile(r"wrong type for this field \(a list\)"),
        "Har feil type verdi: skal være en liste.",
    ),
    (
        re.compile(r"wrong type for this field \(a mapping\)"),
        "Har feil type verdi: skal være nøkler med verdier.",
    ),
    (
        re.compile(r"wrong type for this field \(a mapping of languages\)"),
        "Har feil type verdi: skal være språkkoder med innhold under.",
    ),
    (re.compile(r"must have at least (\d+) item\(s\)"), "Må ha minst {0} element."),
    (re.compile(r"unknown field"), "Ukjent nøkkel i publiccode.yml."),
    (re.compile(r"key is defined more than once"), "Nøkkelen står mer enn én gang."),
    (
        re.compile(r"must be a valid BCP 47 language tag"),
        "Må være en gyldig språkkode (BCP 47), for eksempel nb eller en.",
    ),
    (
        re.compile(r'required when "type" is "(\w+)"'),
        "Må være med når maintenance.type er «{0}».",
    ),
    (
        re.compile(r'must not be present unless "type" is "contract"'),
        "Skal bare være med når maintenance.type er «contract».",
    ),
    (
        re.compile(r"'IT' key already present\. Remove this key"),
        "«IT» finnes allerede. Fjern nøkkelen.",
    ),
    (
        re.compile(r"must be at most (\d+) characters long \(it has (\d+)\)"),
        "Kan ha høyst {0} tegn (har {1}).",
    ),
    (
        re.compile(r"must be at least (\d+) characters long \(it has (\d+)\)"),
        "Må ha minst {0} tegn (har {1}).",
    ),
    (re.compile(r"must be one of: (.*)"), "Må være en av disse verdiene: {0}."),
    (re.compile(r"must be a valid URL"), "Må være en gyldig nettadresse (URL)."),
    (
        re.compile(r"must be an HTTP URL"),
        "Må være en nettadresse som begynner med http:// eller https://.",
    ),
    (re.compile(r"is not a valid URI"), "Er ikke en gyldig URI."),
    (re.compile(r"must be a valid email"), "Må være en gyldig e-postadresse."),
    (
        re.compile(r"must be a date with format 'YYYY-MM-DD'"),
        "Må være en dato på formen ÅÅÅÅ-MM-DD.",
    ),
    (
        re.compile(r"must be a valid ISO 3166-1 alpha-2 two-letter country code"),
        "Må være en landkode på to bokstaver (ISO 3166-1 alpha-2), for eksempel NO.",
    ),
    (
        re.compile(r"must be a valid category \(see the standard's list\)"),
        "Må være en kategori fra listen i publiccode.yml-standarden.",
    ),
    (
        re.compile(r"must be a valid scope \(see the standard's list\)"),
        "Må være et bruksområde (scope) fra listen i publiccode.yml-standarden.",
    ),
    (re.compile(r"is not a valid MIME type"), "Er ikke en gyldig MIME-type."),
    (
        re.compile(r"must be a valid SPDX license expression .*"),
        "Må være et gyldig SPDX-lisensuttrykk, for eksempel EUPL-1.2 (se spdx.org/licenses).",
    ),
    (
        re.compile(r"is an absolute path\. .*"),
        "Er en absolutt sti. Bare relative stier eller http(s)-adresser er tillatt.",
    ),
    (
        re.compile(r"is a file:// URL\. .*"),
        "Er en file://-adresse. Bare relative stier eller http(s)-adresser er tillatt.",
    ),
    (re.compile(r"must be an SVG, SVGZ or PNG file"), "Må være en SVG-, SVGZ- eller PNG-fil."),
    (
        re.compile(r"The file is not valid UTF-8 \(byte (\d+)\)\."),
        "Filen er ikke gyldig UTF-8 (byte {0}).",
    ),
    (
        re.compile(r"Not valid YAML: (.*) \(line (\d+), column (\d+)\)\."),
        "Filen er ikke gyldig YAML: «{0}» (linje {1}, kolonne {2}).",
    ),
    (re.compile(r"Not valid YAML: (.*)\."), "Filen er ikke gyldig YAML: «{0}»."),
    (
        re.compile(r"The file must hold exactly one YAML document\."),
        "Filen må inneholde nøyaktig ett YAML-dokument.",
    ),
    (
        re.compile(r"The file must be a mapping of publiccode\.yml keys\."),
        "Filen må bestå av publiccode.yml-nøkler med verdier.",
    ),
    (
        re.compile(r"The document expands to more than (\d+) values\."),
        "Dokumentet blir til mer enn {0} verdier.",
    ),
    (
        re.compile(r"A key under '(.*)' is not a plain name\."),
        "En nøkkel under «{0}» er ikke et vanlig navn.",
    ),
    # The catalogue's own rules (SolutionSchema), named by the file key the value came from.
    (re.compile(r"Shorter than minimum length (\d+)\."), "Katalogen krever minst {0} tegn."),
    (re.compile(r"Longer than maximum length (\d+)\."), "Katalogen tar høyst {0} tegn."),
    (
        re.compile(r"Length must be between (\d+) and (\d+)\."),
        "Katalogen krever mellom {0} og {1} tegn.",
    ),
    (
        re.compile(r"Not a valid URL\."),
        "Katalogen tar bare imot fullstendige nettadresser (https://…).",
    ),
    # Warnings: the file was imported, but something in it is deprecated or was guessed.
    (
        re.compile(r"v(\S+) is not the latest version"),
        "Versjon {0} er ikke den nyeste versjonen av standarden.",
    ),
    (
        re.compile(r"This key is DEPRECATED and will be removed in the future.*"),
        "Nøkkelen er utgått i standarden og vil bli fjernet.",
    ),
    (
        re.compile(r"Lowercase country codes are DEPRECATED\. Use '(\w+)'.*"),
        "Landkoder med små bokstaver er utgått i standarden. Skriv «{0}».",
    ),
    (
        re.compile(r"No LOS theme follows from the file; the solution is filed under '(.*)'\..*"),
        "Filen gir ikke noe LOS-tema, så løsningen er lagt under «{0}». "
        "Rett temaet ved å redigere løsningen.",
    ),
    (
        re.compile(r"The catalogue keeps (\d+) tags; .*"),
        "Katalogen tar høyst {0} stikkord; beskrivelsen lister alle kategoriene.",
    ),
]
"""English problem (as the validator and the service write it) → bokmål; groups fill ``{n}``."""

REFUSED = (
    "Filen beskriver en løsning (samme url) som en annen organisasjon eier. Du kan bare "
    "importere til løsninger som {org} eier; be eieren eller en administrator om å importere den."
)
CLASH = (
    "Filen kolliderer med det som er lagret: flere løsninger har samme url, eller noen lagret "
    "samtidig. Prøv igjen, eller be en administrator velge eier."
)


@dataclass(frozen=True)
class FileProblem:
    """One problem of the file, in bokmål: the key path (empty for the whole file) and line."""

    key: str
    message: str
    line: int | None = None


def norwegian_problem(key: str, message: str) -> FileProblem:
    """Return a problem of the service (``message (line n)``) about ``key`` in bokmål."""
    line = None
    if match := LINE.match(message):
        message, line = match["message"], int(match["line"])
    for pattern, norwegian in FILE_MESSAGES:
        if found := pattern.fullmatch(message):
            return FileProblem(key, norwegian.format(*found.groups()), line)
    return FileProblem(key, translate(message, key), line)


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
