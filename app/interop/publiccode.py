"""Map publiccode.yml onto the catalogue's solutions and back.

Reading: ``read_software`` turns a validated document into ``Software`` — what the catalogue
takes from it. What the solution model has no place for (features, platforms, version, other
contacts, funders, …) goes into a short Markdown section at the end of the description, headed
``EXTRAS_HEADING``; a re-import replaces that section instead of adding a second one.

Writing: ``write_publiccode`` renders a solution as publiccode.yml. The export keeps within the
standard's limits (short description ≤ 150 characters, long description ≥ 150) in ways the
import recognises and undoes, so export → import gives back the same solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from slugify import slugify

from app.interop.publiccode_rules import graphemes, spdx_expression
from app.interop.publiccode_schema import as_bool
from app.interop.publiccode_vocab import (
    CATEGORIES,
    DEVELOPMENT_FROM_STATUS,
    KIND_FROM_SOFTWARE_TYPE,
    SCOPE_FROM_THEME,
    SOFTWARE_TYPE_FROM_KIND,
    STATUS_FROM_DEVELOPMENT,
)

if TYPE_CHECKING:
    from app.models import Solution

PREFERRED_LANGUAGES = ("nb", "no", "nn", "en")
"""Description languages in order of preference; any other comes after these."""

EXPORT_LANGUAGE = "nb"

EXTRAS_HEADING = "## Fra publiccode.yml"
"""Heading of the description section that holds what the model has no field for."""

EXPORT_NOTE = (
    "_Denne beskrivelsen er eksportert fra Gjenbrukskatalogen, katalogen over løsninger som "
    "kommunene i Trøndelag deler. Se katalogen for tema, standarder, hvem som bruker løsningen "
    "og hva de har fått igjen for det._"
)
"""Padding that lifts a short description to the standard's 150-character minimum; the import
removes it again."""

DEFAULT_PLATFORMS = ["web"]
"""``platforms`` is required; the export writes this, the import does not repeat it."""

PROPRIETARY = "Proprietær"
LICENCE_PROPRIETARY = "LicenseRef-proprietary"
LICENCE_NOT_STATED = "LicenseRef-not-stated"
SHORT_LIMIT = 150
LONG_MIN, LONG_MAX = 150, 10000
ELLIPSIS = "…"


BASED_ON_LABEL = "Basert på"
"""The description's line for ``isBasedOn`` addresses the catalogue does not hold."""


@dataclass
class Software:
    """What the catalogue takes from one publiccode.yml."""

    url: str
    name: str
    summary: str
    long_description: str
    language: str
    licence_expression: str
    status: str
    software_type: str
    kind: str
    homepage: str | None
    documentation: str | None
    source_code: str | None
    contact: dict[str, str | None]
    contractor: str | None
    copyright_owner: str | None
    organisation_name: str | None
    organisation_uri: str | None
    categories: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    based_on: list[str] = field(default_factory=list)
    """The ``isBasedOn`` addresses: the code this software builds on or is a variant of."""
    extras: list[tuple[str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _one_line(value: Any) -> str:
    return " ".join(_text(value).split())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [_one_line(v) for v in value or [] if isinstance(v, str) and v.strip()]


def choose_language(descriptions: dict[str, Any]) -> str:
    """Return the description language to read: bokmål/norsk/nynorsk, then English, then any."""
    by_primary: dict[str, str] = {}
    for tag in descriptions:
        by_primary.setdefault(tag.split("-")[0].lower(), tag)
    for wanted in PREFERRED_LANGUAGES:
        if wanted in by_primary:
            return by_primary[wanted]
    return next(iter(descriptions))


def licence_from_expression(expression: str) -> str | None:
    """Return the catalogue's licence text for an SPDX expression."""
    if expression == LICENCE_PROPRIETARY:
        return PROPRIETARY
    if expression == LICENCE_NOT_STATED:
        return None
    return expression


def licence_expression(licence: str | None) -> str:
    """Return an SPDX expression for the catalogue's licence text."""
    if not licence:
        return LICENCE_NOT_STATED
    if licence.casefold().startswith("propriet"):
        return LICENCE_PROPRIETARY
    if spdx_expression(licence) is None:
        return licence
    return f"LicenseRef-{slugify(licence, max_length=60) or 'other'}"


def _split_summary(summary: str, long: str) -> tuple[str, str]:
    """Undo the export's shortening: a cut summary stands in full as the first paragraph."""
    if summary.endswith(ELLIPSIS):
        head = summary[: -len(ELLIPSIS)].rstrip()
        first, _, rest = long.partition("\n\n")
        if head and _one_line(first).startswith(head):
            return _one_line(first), rest.strip()
    return summary, long


def read_software(data: dict[str, Any]) -> Software:
    """Return what the catalogue takes from a validated publiccode.yml document."""
    descriptions = data["description"]
    language = choose_language(descriptions)
    desc = descriptions[language] or {}
    short = _one_line(desc.get("shortDescription"))
    long = _text(desc.get("longDescription"))
    if long.endswith(EXPORT_NOTE):
        long = long[: -len(EXPORT_NOTE)].rstrip()
    summary, long = _split_summary(short, long)

    url = _text(data["url"])
    landing = _text(data.get("landingURL")) or None
    maintenance = data.get("maintenance") or {}
    contacts = [c for c in maintenance.get("contacts") or [] if isinstance(c, dict)]
    contractors = [c for c in maintenance.get("contractors") or [] if isinstance(c, dict)]
    first = contacts[0] if contacts else {}
    legal = data.get("legal") or {}
    organisation = data.get("organisation") or {}
    audience = data.get("intendedAudience") or {}
    depends = data.get("dependsOn") or {}
    software_type = _text(data["softwareType"])

    software = Software(
        url=url,
        name=_one_line(desc.get("localisedName")) or _one_line(data["name"]),
        summary=summary,
        long_description=long,
        language=language,
        licence_expression=_one_line(legal.get("license")),
        status=STATUS_FROM_DEVELOPMENT[_text(data["developmentStatus"])],
        software_type=software_type,
        kind=KIND_FROM_SOFTWARE_TYPE[software_type],
        homepage=landing,
        documentation=_text(desc.get("documentation")) or None,
        # The export writes the homepage as `url` when there is no code repository.
        source_code=None if url == landing else url,
        contact={
            "name": _one_line(first.get("name")) or None,
            "role": _one_line(first.get("affiliation")) or None,
            "email": _one_line(first.get("email")) or None,
        },
        contractor=_one_line(contractors[0].get("name")) if contractors else None,
        copyright_owner=_one_line(legal.get("mainCopyrightOwner")) or None,
        organisation_name=_one_line(organisation.get("name")) or None,
        organisation_uri=_one_line(organisation.get("uri")) or None,
        categories=_strings(data.get("categories")),
        scopes=_strings(audience.get("scope")),
        used_by=_strings(data.get("usedBy")),
        based_on=_strings(data.get("isBasedOn")),
        dependencies=[
            _one_line(dep.get("name"))
            for group in ("open", "proprietary", "hardware")
            for dep in depends.get(group) or []
            if isinstance(dep, dict) and _text(dep.get("name"))
        ],
    )
    software.extras = _extras(data, desc, short, contacts, contractors)
    return software


def _extras(
    data: dict[str, Any],
    desc: dict[str, Any],
    short: str,
    contacts: list[dict[str, Any]],
    contractors: list[dict[str, Any]],
) -> list[tuple[str, str]]:
    """Return the (label, text) lines of what the solution model has no field for."""
    extras: list[tuple[str, str]] = []
    features = _strings(desc.get("features"))
    if features and features != [short]:
        extras.append(("Funksjoner", "; ".join(features)))
    platforms = _strings(data.get("platforms"))
    if platforms and platforms != DEFAULT_PLATFORMS:
        extras.append(("Plattformer", ", ".join(platforms)))
    version = _one_line(data.get("softwareVersion"))
    released = _one_line(data.get("releaseDate"))
    if version or released:
        extras.append(("Versjon", " av ".join(v for v in (version, released) if v)))
    for label, key in (("Del av", "applicationSuite"), ("Veikart", "roadmap")):
        if _one_line(data.get(key)):
            extras.append((label, _one_line(data.get(key))))
    if _strings(data.get("isBasedOn")):
        extras.append((BASED_ON_LABEL, ", ".join(_strings(data.get("isBasedOn")))))
    if _one_line(desc.get("apiDocumentation")):
        extras.append(("API-dokumentasjon", _one_line(desc.get("apiDocumentation"))))
    others = [_person(c) for c in contacts[1:]]
    if others:
        extras.append(("Andre kontakter", "; ".join(others)))
    if contractors:
        extras.append(
            (
                "Vedlikeholdes av",
                "; ".join(
                    f"{_one_line(c.get('name'))} (avtale til {_one_line(c.get('until'))})"
                    for c in contractors
                ),
            )
        )
    funders = [
        _one_line(f.get("name")) or _one_line(f.get("uri"))
        for f in data.get("fundedBy") or []
        if isinstance(f, dict)
    ]
    if funders:
        extras.append(("Finansiert av", ", ".join(funders)))
    return extras


def _person(contact: dict[str, Any]) -> str:
    text = _one_line(contact.get("name"))
    if _one_line(contact.get("email")):
        text += f" <{_one_line(contact.get('email'))}>"
    if _one_line(contact.get("affiliation")):
        text += f" ({_one_line(contact.get('affiliation'))})"
    return text


def compose_description(long_description: str, extras: list[tuple[str, str]]) -> str:
    """Return the Markdown description: the long description, then the extras section.

    With no extras the text stays as it is (it may carry the section of an earlier import);
    with extras an earlier section is replaced rather than repeated.
    """
    if not extras:
        return long_description
    body = long_description
    if body.startswith(EXTRAS_HEADING):
        body = ""
    body = body.split(f"\n\n{EXTRAS_HEADING}\n", 1)[0].rstrip()
    lines = "\n".join(f"- **{label}:** {text}" for label, text in extras)
    return f"{body}\n\n{EXTRAS_HEADING}\n\n{lines}".lstrip()


def _shorten(text: str, limit: int) -> str:
    """Return ``text`` cut at a word boundary to fit ``limit`` characters with an ellipsis."""
    words, kept = text.split(), ""
    for word in words:
        candidate = f"{kept} {word}".strip()
        if graphemes(candidate) + 1 > limit:
            break
        kept = candidate
    return (kept or text[: limit - 1]) + ELLIPSIS


def write_publiccode(solution: Solution) -> str:
    """Return the solution as a publiccode.yml document (standard v0)."""
    summary = " ".join(solution.summary.split())
    long = solution.description.strip()
    short = summary
    if graphemes(summary) > SHORT_LIMIT:
        short = _shorten(summary, SHORT_LIMIT)
        long = f"{summary}\n\n{long}".strip()
    if graphemes(long) < LONG_MIN:
        long = f"{long}\n\n{EXPORT_NOTE}".strip()
    if graphemes(long) > LONG_MAX:
        long = long[: LONG_MAX - 1].rstrip() + ELLIPSIS
    homepage = solution.homepage_url
    url = solution.source_code_url or homepage
    description: dict[str, Any] = {
        "localisedName": solution.name,
        "shortDescription": short,
        "longDescription": long,
    }
    if solution.documentation_url:
        description["documentation"] = solution.documentation_url
    description["features"] = [short]

    doc: dict[str, Any] = {"publiccodeYmlVersion": "0", "name": solution.name, "url": url}
    if homepage:
        doc["landingURL"] = homepage
    origin = solution.based_on
    if origin is not None and (origin.source_code_url or origin.homepage_url):
        doc["isBasedOn"] = [origin.source_code_url or origin.homepage_url]
    if solution.owner.orgnr:
        doc["organisation"] = {
            "name": solution.owner.name,
            "uri": f"https://data.brreg.no/enhetsregisteret/api/enheter/{solution.owner.orgnr}",
        }
    doc["platforms"] = list(DEFAULT_PLATFORMS)
    categories = [tag for tag in solution.tags if tag in CATEGORIES]
    if categories:
        doc["categories"] = categories
    users = sorted({a.organisation.name for a in solution.active_adoptions})
    if users:
        doc["usedBy"] = users
    doc["developmentStatus"] = DEVELOPMENT_FROM_STATUS[solution.status]
    doc["softwareType"] = SOFTWARE_TYPE_FROM_KIND[solution.kind]
    scopes = list(
        dict.fromkeys(SCOPE_FROM_THEME[s] for s in solution.theme_slugs if s in SCOPE_FROM_THEME)
    )
    doc["intendedAudience"] = {"countries": ["NO"], **({"scope": scopes} if scopes else {})}
    doc["description"] = {EXPORT_LANGUAGE: description}
    doc["legal"] = {
        "license": licence_expression(solution.licence),
        "mainCopyrightOwner": solution.vendor or solution.owner.name,
    }
    if solution.contact_name:
        contact = {"name": solution.contact_name}
        if solution.contact_email:
            contact["email"] = solution.contact_email
        if solution.contact_role:
            contact["affiliation"] = solution.contact_role
        doc["maintenance"] = {"type": "internal", "contacts": [contact]}
    else:
        doc["maintenance"] = {"type": "none"}
    doc["localisation"] = {"localisationReady": False, "availableLanguages": [EXPORT_LANGUAGE]}
    if solution.standards:
        doc["dependsOn"] = {"open": [{"name": standard.name} for standard in solution.standards]}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def is_exportable(solution: Solution) -> str | None:
    """Return why the solution cannot be written as publiccode.yml, or None if it can."""
    if solution.kind not in SOFTWARE_TYPE_FROM_KIND:
        return "publiccode.yml describes software; a process (arbeidsprosess) is not software."
    if not (solution.source_code_url or solution.homepage_url):
        return (
            "publiccode.yml needs the address of the code or of the product: give the solution "
            "links.source_code or links.homepage first."
        )
    return None


__all__ = [
    "EXTRAS_HEADING",
    "Software",
    "as_bool",
    "compose_description",
    "is_exportable",
    "licence_expression",
    "licence_from_expression",
    "read_software",
    "write_publiccode",
]
