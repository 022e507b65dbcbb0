"""Validate a publiccode.yml (standard v0.x) and report every problem with its key path.

``validate(raw)`` returns the document and two lists: errors (the file is refused) and warnings
(it is read, but something is deprecated). Key paths are written as the reference validator
writes them: ``description.en.shortDescription``, ``maintenance.contacts[0].name``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.interop import publiccode_rules as rules
from app.interop.publiccode_vocab import (
    CURRENT_VERSIONS,
    DEVELOPMENT_STATUSES,
    IT_EXTENSION_VERSIONS,
    MAINTENANCE_TYPES,
    SOFTWARE_TYPES,
    SUPPORTED_VERSIONS,
)
from app.interop.yamldoc import YamlDoc, YamlError, join, load

WRONG_TYPE = "wrong type for this field"
DEPRECATED = "This key is DEPRECATED and will be removed in the future"


@dataclass(frozen=True)
class Problem:
    """One problem of a file: the key path, what is wrong, and the line when known."""

    key: str
    message: str
    line: int | None = None

    def as_text(self) -> str:
        """Return ``key: message`` (or only the message for the file as a whole)."""
        return f"{self.key}: {self.message}" if self.key else self.message


@dataclass(frozen=True)
class Str:
    """A scalar read as text."""

    required: bool = False
    checks: tuple[rules.Check, ...] = ()


@dataclass(frozen=True)
class Bool:
    """A true/false scalar."""

    required: bool = False


@dataclass(frozen=True)
class Seq:
    """A list of ``item``; ``or_scalar`` also allows a single scalar (``isBasedOn``)."""

    item: Any
    required: bool = False
    min_items: int = 0
    or_scalar: bool = False


@dataclass(frozen=True)
class Map:
    """A mapping with known keys; unknown keys are errors."""

    fields: dict[str, Any]
    required: bool = False


@dataclass(frozen=True)
class LangMap:
    """A mapping from BCP 47 language tags to ``item``."""

    item: Any
    required: bool = False


ORGANISATION = Map({"name": Str(), "uri": Str(True, (rules.organisation_uri,))})
DEPENDENCY = Map(
    {
        "name": Str(True),
        "versionMin": Str(),
        "versionMax": Str(),
        "optional": Bool(),
        "version": Str(),
    }
)
DESCRIPTION = Map(
    {
        "localisedName": Str(),
        "genericName": Str(checks=(rules.max_length(35),)),
        "shortDescription": Str(True, (rules.max_length(150),)),
        "longDescription": Str(True, (rules.min_length(150), rules.max_length(10000))),
        "documentation": Str(checks=(rules.http_url,)),
        "apiDocumentation": Str(checks=(rules.http_url,)),
        "features": Seq(Str(), required=True, min_items=1),
        "screenshots": Seq(Str(checks=(rules.relative_path_or_url,))),
        "videos": Seq(Str(checks=(rules.http_url,))),
        "awards": Seq(Str()),
    }
)
IT_SECTION = Map(
    {
        "countryExtensionVersion": Str(checks=(rules.one_of(IT_EXTENSION_VERSIONS),)),
        "conforme": Map(
            {
                "lineeGuidaDesign": Bool(),
                "modelloInteroperabilita": Bool(),
                "misureMinimeSicurezza": Bool(),
                "gdpr": Bool(),
            }
        ),
        "riuso": Map({"codiceIPA": Str()}),
        "piattaforme": Map(
            {"spid": Bool(), "pagopa": Bool(), "cie": Bool(), "anpr": Bool(), "io": Bool()}
        ),
    }
)
PUBLICCODE = Map(
    {
        "publiccodeYmlVersion": Str(True, (rules.one_of(SUPPORTED_VERSIONS),)),
        "name": Str(True),
        "applicationSuite": Str(),
        "url": Str(True, (rules.url,)),
        "landingURL": Str(checks=(rules.http_url,)),
        "isBasedOn": Seq(Str(checks=(rules.url,)), or_scalar=True),
        "softwareVersion": Str(),
        "releaseDate": Str(checks=(rules.iso_date,)),
        "logo": Str(checks=(rules.logo,)),
        "monochromeLogo": Str(checks=(rules.logo,)),
        "organisation": ORGANISATION,
        "inputTypes": Seq(Str(checks=(rules.mime_type,))),
        "outputTypes": Seq(Str(checks=(rules.mime_type,))),
        "platforms": Seq(Str(), required=True, min_items=1),
        "categories": Seq(Str(checks=(rules.category,))),
        "usedBy": Seq(Str()),
        "fundedBy": Seq(ORGANISATION),
        "roadmap": Str(checks=(rules.http_url,)),
        "developmentStatus": Str(True, (rules.one_of(DEVELOPMENT_STATUSES),)),
        "softwareType": Str(True, (rules.one_of(SOFTWARE_TYPES),)),
        "intendedAudience": Map(
            {
                "scope": Seq(Str(checks=(rules.scope,))),
                "countries": Seq(Str(checks=(rules.country,))),
                "unsupportedCountries": Seq(Str(checks=(rules.country,))),
            }
        ),
        "description": LangMap(DESCRIPTION, required=True),
        "legal": Map(
            {
                "license": Str(True, (rules.spdx_expression,)),
                "mainCopyrightOwner": Str(),
                "repoOwner": Str(),
                "authorsFile": Str(checks=(rules.relative_path_or_url,)),
            },
            required=True,
        ),
        "maintenance": Map(
            {
                "type": Str(True, (rules.one_of(MAINTENANCE_TYPES),)),
                "contractors": Seq(
                    Map(
                        {
                            "name": Str(True),
                            "email": Str(checks=(rules.email,)),
                            "website": Str(checks=(rules.http_url,)),
                            "until": Str(True, (rules.iso_date,)),
                        }
                    )
                ),
                "contacts": Seq(
                    Map(
                        {
                            "name": Str(True),
                            "email": Str(checks=(rules.email,)),
                            "affiliation": Str(),
                            "phone": Str(),
                        }
                    )
                ),
            },
            required=True,
        ),
        "localisation": Map(
            {
                "localisationReady": Bool(True),
                "availableLanguages": Seq(
                    Str(checks=(rules.language_tag,)), required=True, min_items=1
                ),
            },
            required=True,
        ),
        "dependsOn": Map(
            {"open": Seq(DEPENDENCY), "proprietary": Seq(DEPENDENCY), "hardware": Seq(DEPENDENCY)}
        ),
        "IT": IT_SECTION,
        "it": IT_SECTION,
    }
)
"""The v0 schema: what each key holds and which checks its value gets."""

BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


@dataclass
class Report:
    """The outcome of validating one file."""

    doc: YamlDoc | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        """Return the document (only meaningful when there are no errors)."""
        return self.doc.data if self.doc and isinstance(self.doc.data, dict) else {}


def as_bool(value: Any) -> bool | None:
    """Return the boolean a scalar spells, or None."""
    return BOOLEANS.get(value.lower()) if isinstance(value, str) else None


def validate(raw: bytes) -> Report:
    """Read and validate a publiccode.yml; the report lists every error and warning."""
    try:
        doc = load(raw)
    except YamlError as exc:
        return Report(None, [Problem("", str(exc))])
    report = Report(doc)
    for key in doc.duplicates:
        _error(report, key, "key is defined more than once")
    if not isinstance(doc.data, dict):
        _error(report, "", "The file must be a mapping of publiccode.yml keys.")
        return report
    _walk(PUBLICCODE, doc.data, "", report)
    _cross_checks(doc.data, report)
    return report


def _error(report: Report, key: str, message: str) -> None:
    line = report.doc.line_of(key) if report.doc else None
    report.errors.append(Problem(key, message, line))


def _warn(report: Report, key: str, message: str) -> None:
    line = report.doc.line_of(key) if report.doc else None
    report.warnings.append(Problem(key, message, line))


def _missing(value: Any) -> bool:
    return value is None or value == ""


def _walk(spec: Any, value: Any, path: str, report: Report) -> None:
    """Check ``value`` against ``spec``; every problem found is added to ``report``."""
    # A null is an absent key; an empty quoted string is a value (``releaseDate: ""`` is not a
    # date) unless the key is required, where it is as good as missing.
    required = getattr(spec, "required", False)
    if value is None or (required and value == ""):
        if required:
            _error(report, path, "required")
        return
    if isinstance(spec, Str):
        if not isinstance(value, str):
            _error(report, path, WRONG_TYPE)
            return
        for check in spec.checks:
            message = check(value)
            if message:
                _error(report, path, message)
                break
    elif isinstance(spec, Bool):
        if as_bool(value) is None:
            _error(report, path, WRONG_TYPE + " (true or false)")
    elif isinstance(spec, Seq):
        if isinstance(value, str) and spec.or_scalar:
            value = [value]
        if not isinstance(value, list):
            _error(report, path, WRONG_TYPE + " (a list)")
            return
        if len(value) < spec.min_items:
            _error(report, path, f"must have at least {spec.min_items} item(s)")
        for n, item in enumerate(value):
            _walk(spec.item, item, join(path, n), report)
    elif isinstance(spec, Map):
        if not isinstance(value, dict):
            _error(report, path, WRONG_TYPE + " (a mapping)")
            return
        for key in value:
            if key not in spec.fields:
                _error(report, join(path, key), "unknown field")
        for key, child in spec.fields.items():
            _walk(child, value.get(key), join(path, key), report)
    elif isinstance(spec, LangMap):
        if not isinstance(value, dict):
            _error(report, path, WRONG_TYPE + " (a mapping of languages)")
            return
        for key, item in value.items():
            child = join(path, key)
            if rules.language_tag(key):
                _error(report, child, "must be a valid BCP 47 language tag")
            _walk(spec.item, item if item is not None else {}, child, report)


def _cross_checks(data: dict[str, Any], report: Report) -> None:
    """Rules that span keys, and the warnings of deprecated keys."""
    version = data.get("publiccodeYmlVersion")
    if isinstance(version, str) and version in SUPPORTED_VERSIONS:
        if version not in CURRENT_VERSIONS:
            _warn(report, "publiccodeYmlVersion", f"v{version} is not the latest version")

    maintenance = data.get("maintenance")
    if isinstance(maintenance, dict):
        kind = maintenance.get("type")
        if kind == "contract" and _missing(maintenance.get("contractors")):
            _error(report, "maintenance.contractors", 'required when "type" is "contract"')
        if kind in MAINTENANCE_TYPES and kind != "contract" and "contractors" in maintenance:
            _error(
                report, "maintenance.contractors", 'must not be present unless "type" is "contract"'
            )
        if kind in ("community", "internal") and _missing(maintenance.get("contacts")):
            _error(report, "maintenance.contacts", f'required when "type" is "{kind}"')

    if "IT" in data and "it" in data:
        _error(report, "it", "'IT' key already present. Remove this key")
    elif "it" in data:
        _warn(report, "it", "Lowercase country codes are DEPRECATED. Use 'IT' instead")
    for section in ("IT", "it"):
        it = data.get(section)
        if isinstance(it, dict):
            if "conforme" in it:
                _warn(report, f"{section}.conforme", DEPRECATED)
            riuso = it.get("riuso")
            if isinstance(riuso, dict) and riuso.get("codiceIPA"):
                _warn(
                    report,
                    f"{section}.riuso.codiceIPA",
                    DEPRECATED + ". Use 'organisation.uri' (urn:x-italian-pa:…) instead",
                )

    for key in ("monochromeLogo", "inputTypes", "outputTypes"):
        if key in data:
            _warn(report, key, DEPRECATED)
    legal = data.get("legal")
    if isinstance(legal, dict):
        for key in ("repoOwner", "authorsFile"):
            if key in legal:
                _warn(report, f"legal.{key}", DEPRECATED)
    audience = data.get("intendedAudience")
    if isinstance(audience, dict):
        for key in ("countries", "unsupportedCountries"):
            codes = audience.get(key)
            for n, code in enumerate(codes if isinstance(codes, list) else []):
                if isinstance(code, str) and code.islower() and not rules.country(code):
                    _warn(
                        report,
                        f"intendedAudience.{key}[{n}]",
                        f"Lowercase country codes are DEPRECATED. Use '{code.upper()}'",
                    )
    descriptions = data.get("description")
    if isinstance(descriptions, dict):
        for lang, desc in descriptions.items():
            if isinstance(desc, dict) and "genericName" in desc:
                _warn(report, f"description.{lang}.genericName", DEPRECATED)
