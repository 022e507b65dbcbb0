"""Import a publiccode.yml into a solution, and export a solution as publiccode.yml.

An import is one use case with one transaction: the file is validated against the standard,
mapped onto the fields of a solution, validated again by the API's own ``SolutionSchema``, and
written through the solution and adoption services (same permissions as the REST API). A file
with any problem changes nothing. The solution is found again by its ``url`` (the code
repository), so importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import or_, select

from app.extensions import db
from app.interop.publiccode import (
    BASED_ON_LABEL,
    Software,
    compose_description,
    is_exportable,
    licence_expression,
    licence_from_expression,
    read_software,
    write_publiccode,
)
from app.interop.publiccode_schema import Problem, validate
from app.interop.publiccode_vocab import (
    CATEGORIES,
    DEFAULT_THEME,
    SCOPE_FROM_THEME,
    SOFTWARE_TYPE_FROM_KIND,
    THEMES_FROM_SCOPE,
)
from app.models import Adoption, Organisation, Solution, Standard, Theme
from app.models.base import utcnow
from app.schemas.solution import SolutionPatchSchema, SolutionSchema
from app.services import solutions as solution_service
from app.services.adoptions import build_adoption
from app.services.errors import Conflict, InvalidData, PermissionDenied
from app.services.permissions import Actor, require_acts_for
from app.services.references import resolve_organisation, resolve_themes
from app.services.transaction import all_or_nothing, commit

FIELD_KEYS = {
    "name": "name",
    "summary": "description.{lang}.shortDescription",
    "description": "description.{lang}.longDescription",
    "licence": "legal.license",
    "vendor": "legal.mainCopyrightOwner",
    "tags": "categories",
    "themes": "intendedAudience.scope",
    "links.homepage": "landingURL",
    "links.source_code": "url",
    "based_on": "isBasedOn",
    "retired_reason": "developmentStatus",
    "links.documentation": "description.{lang}.documentation",
    "contact.name": "maintenance.contacts[0].name",
    "contact.email": "maintenance.contacts[0].email",
    "contact.role": "maintenance.contacts[0].affiliation",
}
"""Solution field (as SolutionSchema names it) → the publiccode.yml key it came from."""

RETIRED_IN_FILE = "Merket som utgått (developmentStatus: obsolete) i publiccode.yml."
"""The reason a solution retired by an imported file gets, since the file gives none."""
MAX_TAGS = 20
"""How many tags SolutionSchema takes; further categories are listed in the description."""

BRREG_ORGNR = re.compile(r"(\d{9})/?$")


@dataclass
class PubliccodeImport:
    """The outcome of importing one publiccode.yml."""

    solution: Solution
    created: bool
    changed: bool
    warnings: list[Problem] = field(default_factory=list)
    adoptions_recorded: list[str] = field(default_factory=list)
    used_by_unmatched: list[str] = field(default_factory=list)
    used_by_not_recorded: list[str] = field(default_factory=list)


def invalid_file(problems: Sequence[Problem]) -> InvalidData:
    """Return the 422 error that lists every problem of a file by its key path."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        where = f" (line {problem.line})" if problem.line else ""
        errors.setdefault(problem.key or "(file)", []).append(problem.message + where)
    count = len(problems)
    return InvalidData(
        f"The publiccode.yml is not valid: {count} problem{'s' if count != 1 else ''}.", errors
    )


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def _organisation_index() -> dict[str, Organisation | None]:
    """Return organisations by every name a file may use for them (None: ambiguous)."""
    index: dict[str, Organisation | None] = {}
    for org in db.session.scalars(select(Organisation)):
        keys = {_normal(org.name), org.slug, org.kommunenummer, org.orgnr}
        for suffix in (" kommune", " fylkeskommune"):
            if _normal(org.name).endswith(suffix):
                keys.add(_normal(org.name)[: -len(suffix)])
        for key in keys - {None}:
            index[key] = None if key in index and index[key] is not org else org  # type: ignore[index]
    return index


def _origin(urls: list[str]) -> Solution | None:
    """Return the catalogue's solution at the first ``isBasedOn`` address it knows, if any."""
    for url in urls:
        try:
            found = _find_existing(url, None)
        except Conflict:  # several solutions share the address: no lineage is better than a guess
            continue
        if found is not None:
            return found
    return None


def _find_existing(url: str, owner: Organisation | None) -> Solution | None:
    variants = list(dict.fromkeys([url, url.rstrip("/"), url.rstrip("/") + "/"]))
    rows = list(
        db.session.scalars(
            select(Solution)
            .where(
                or_(
                    Solution.source_code_url.in_(variants),
                    Solution.source_code_url.is_(None) & Solution.homepage_url.in_(variants),
                )
            )
            .options(*solution_service.solution_loader_options())
            .order_by(Solution.id)
        )
    )
    if not rows:
        return None
    own = [row for row in rows if owner is not None and row.owner_id == owner.id]
    if len(own) == 1 or (len(rows) == 1):
        return own[0] if own else rows[0]
    raise Conflict(
        f"Several solutions have the url '{url}' ({', '.join(r.slug for r in rows)}); "
        "name the owner so the import knows which one to update."
    )


def _owner(
    software: Software,
    owner_ref: str | None,
    actor: Actor,
    index: dict[str, Organisation | None],
) -> Organisation | None:
    """Return the owner the caller names, else the caller's organisation, else the file's."""
    if owner_ref:
        return resolve_organisation(owner_ref, "owner")
    if actor.organisation_id is not None:
        return db.session.get(Organisation, actor.organisation_id)
    if software.organisation_uri and (match := BRREG_ORGNR.search(software.organisation_uri)):
        if index.get(match.group(1)):
            return index[match.group(1)]
    if software.organisation_name:
        return index.get(_normal(software.organisation_name))
    return None


def _themes(
    software: Software, existing: Solution | None, wanted: Sequence[str], warnings: list[Problem]
) -> list[str] | None:
    """Return the theme slugs to set, or None to keep the existing solution's themes."""
    if wanted:
        return list(wanted)
    if existing is not None:
        exported = {SCOPE_FROM_THEME.get(slug) for slug in existing.theme_slugs} - {None}
        if not software.scopes or set(software.scopes) == exported:
            return None
    known = set(db.session.scalars(select(Theme.slug)))
    derived = [THEMES_FROM_SCOPE[s] for s in software.scopes if s in THEMES_FROM_SCOPE]
    themes = [slug for slug in dict.fromkeys(derived) if slug in known]
    if themes:
        return themes
    fallback = DEFAULT_THEME if DEFAULT_THEME in known else min(known, default=DEFAULT_THEME)
    warnings.append(
        Problem(
            "intendedAudience.scope",
            f"No LOS theme follows from the file; the solution is filed under '{fallback}'. "
            "Give ?theme= (or --theme) or change the themes in the catalogue.",
        )
    )
    return [fallback]


def _standards(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split dependency names into standard slugs the catalogue knows and the rest."""
    by_key: dict[str, str] = {}
    for standard in db.session.scalars(select(Standard)):
        by_key[_normal(standard.name)] = standard.slug
        by_key[standard.slug] = standard.slug
    found: list[str] = []
    rest: list[str] = []
    for name in names:
        slug = by_key.get(_normal(name))
        if slug:
            found.append(slug)
        else:
            rest.append(name)
    return list(dict.fromkeys(found)), rest


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]}


def _load(data: dict[str, Any], *, partial: bool, language: str) -> dict[str, Any]:
    """Validate the mapped fields with the API's schema; name problems by their file keys."""
    schema = SolutionPatchSchema() if partial else SolutionSchema()
    try:
        return schema.load(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for name, messages in _flatten(exc.messages).items():
            top = name.split(".")[0] if name.split(".")[0] in ("tags", "themes") else name
            key = FIELD_KEYS.get(top, name).format(lang=language)
            errors.setdefault(key, []).extend(messages)
        raise InvalidData("The publiccode.yml does not fit the catalogue.", errors) from exc


def import_publiccode(
    raw: bytes,
    *,
    actor: Actor,
    owner_ref: str | None = None,
    theme_slugs: Sequence[str] = (),
) -> PubliccodeImport:
    """Create or update the solution a publiccode.yml describes; all or nothing."""
    report = validate(raw)
    if report.errors:
        raise invalid_file(report.errors)
    software = read_software(report.data)
    index = _organisation_index()
    owner = _owner(software, owner_ref, actor, index)
    existing = _find_existing(software.url, owner)
    if owner is None and existing is None:
        raise InvalidData(
            "Validation failed.",
            {"owner": ["Name the organisation that owns the solution (kommunenummer or slug)."]},
        )
    if theme_slugs:
        resolve_themes(theme_slugs)  # unknown slugs are a 422 before anything is written
    owner_name = (owner or existing.owner).name  # type: ignore[union-attr]

    warnings = list(report.warnings)
    standards, other_dependencies = _standards(software.dependencies)
    matched: list[Organisation] = []
    unmatched: list[str] = []
    for name in software.used_by:
        org = index.get(_normal(name))
        if org is None:
            unmatched.append(name)
        elif org not in matched:
            matched.append(org)
    extras = list(software.extras)
    keep_tags = [t for t in (existing.tags if existing else []) if t not in CATEGORIES]
    tags = list(dict.fromkeys([*keep_tags, *(c.lower() for c in software.categories)]))
    if len(tags) > MAX_TAGS:
        extras.append(("Kategorier", ", ".join(software.categories)))
        warnings.append(
            Problem(
                "categories",
                f"The catalogue keeps {MAX_TAGS} tags; the description lists every category.",
            )
        )
        tags = tags[:MAX_TAGS]
    if other_dependencies:
        extras.append(("Avhengigheter", ", ".join(other_dependencies)))
    if unmatched:
        extras.append(("Også brukt av", ", ".join(unmatched)))

    origin = _origin(software.based_on)
    if origin is not None:
        extras = [(label, text) for label, text in extras if label != BASED_ON_LABEL]
    vendor = software.contractor or software.copyright_owner
    if vendor and _normal(vendor) == _normal(owner_name):
        vendor = None
    data: dict[str, Any] = {
        "name": software.name,
        "summary": software.summary,
        "description": compose_description(software.long_description, extras),
        "kind": software.kind,
        "status": software.status,
        "standards": standards,
        "tags": tags,
        "vendor": vendor,
        "licence": licence_from_expression(software.licence_expression),
        "links": {
            "homepage": software.homepage,
            "documentation": software.documentation,
            "source_code": software.source_code,
        },
        "contact": software.contact,
    }
    if software.status == "retired" and (existing is None or not existing.retired_reason):
        data["retired_reason"] = RETIRED_IN_FILE
    if origin is not None and (existing is None or origin.id != existing.id):
        data["based_on"] = origin.slug
        if existing is None or existing.based_on_id != origin.id:
            data["based_on_kind"] = "based_on"
    # Where publiccode.yml says less than the catalogue holds, an unchanged export of the
    # existing solution keeps what it has (kind, licence text, themes).
    if existing is not None:
        if SOFTWARE_TYPE_FROM_KIND.get(existing.kind) == software.software_type:
            data["kind"] = existing.kind
        if licence_expression(existing.licence) == software.licence_expression:
            data["licence"] = existing.licence
    themes = _themes(software, existing, theme_slugs, warnings)
    if themes is not None:
        data["themes"] = themes
    if owner is not None and (existing is None or owner_ref):
        data["owner"] = owner.kommunenummer or owner.slug

    loaded = _load(data, partial=existing is not None, language=software.language)
    if existing is None:
        solution = solution_service.build_solution(loaded, actor=actor)
        changed = True
    else:
        solution = existing
        require_acts_for(actor, solution.owner_id, "change solutions")
        with all_or_nothing(), db.session.no_autoflush:
            solution_service.apply_solution_changes(solution, loaded, actor=actor, partial=True)
        changed = db.session.is_modified(solution)
        if changed:
            solution.updated_at = utcnow()  # raise the version also for tag/theme-only changes

    result = PubliccodeImport(solution, existing is None, changed, warnings)
    result.used_by_unmatched = unmatched
    adopted = set(
        db.session.scalars(
            select(Adoption.organisation_id).where(Adoption.solution_id == solution.id)
        )
    )
    for org in matched:
        if org.id in adopted:
            continue
        try:
            require_acts_for(actor, org.id, "record adoptions")
        except PermissionDenied:
            result.used_by_not_recorded.append(org.slug)
            continue
        build_adoption(solution, org.slug, {"status": "in_use"}, actor=actor)
        result.adoptions_recorded.append(org.slug)
        result.changed = True
    commit("The import clashes with existing data; try again.", actor=actor)
    return result


def export_publiccode(slug: str) -> str:
    """Return the solution as publiccode.yml; Conflict when it cannot be one."""
    solution = solution_service.get_solution(slug)
    reason = is_exportable(solution)
    if reason:
        raise Conflict(reason)
    return write_publiccode(solution)
