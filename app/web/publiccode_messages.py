"""Bokmål for the problems of a publiccode.yml: the validator's and the service's English
messages, each about a key path in the file (``… (line n)`` appended), as the upload page
shows them. Messages of the catalogue's own fields fall back to ``app/web/messages.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.web.messages import translate

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
