"""Norwegian error messages for the forms, translated from the schemas' and services' messages.

The forms load their data through the same marshmallow schemas and service functions as the
API (one rule, one place), which speak English to API clients. This module turns their
messages into bokmål next to the right field: a table of patterns, and field names that say
which input a message belongs to. An unknown message still gives a Norwegian sentence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from app.limits import MAX_WEBHOOK_URL_LENGTH
from app.models.webhook import WEBHOOK_TOPICS

log = logging.getLogger(__name__)

FIELD_LABELS: dict[str, str] = {
    "name": "Navn",
    "summary": "Kort beskrivelse",
    "description": "Beskrivelse",
    "kind": "Type",
    "status": "Status",
    "owner": "Eier",
    "themes": "Tema",
    "standards": "Standarder og felleskomponenter",
    "tags": "Stikkord",
    "vendor": "Leverandør",
    "vendor_organisation": "Leverandør i katalogen",
    "licence": "Lisens",
    "links.homepage": "Nettside",
    "links.documentation": "Dokumentasjon",
    "links.source_code": "Kildekode",
    "contact.name": "Kontaktperson",
    "contact.role": "Kontaktpersonens rolle",
    "contact.email": "Kontaktpersonens e-post",
    "adoption_cost.one_off_nok": "Engangskostnad i kroner",
    "adoption_cost.yearly_nok": "Årlig kostnad i kroner",
    "adoption_cost.effort_hours": "Egen innsats i timer",
    "adoption_cost.lead_time_weeks": "Tid fra beslutning til bruk, i uker",
    "is_draft": "Utkast",
    "organisation": "Organisasjon",
    "since": "Tatt i bruk fra",
    "notes": "Merknad",
    "category": "Gevinsttype",
    "unit": "Enhet",
    "baseline": "Utgangsverdi",
    "expected_value": "Forventet verdi",
    "realised_value": "Oppnådd verdi",
    "measured_on": "Målt dato",
    "method": "Metode eller kilde",
    "is_measured": "Målt",
    "email": "E-post",
    "password": "Passord",
    "current_password": "Nåværende passord",
    "new_password": "Nytt passord",
    "new_password_repeat": "Gjenta nytt passord",
    "token_name": "Navn på nøkkelen",
    "version": "Versjon",
    "amount": "Beløp i kroner",
    "effort_hours": "Egen innsats i timer",
    "payer": "Hvem betalte",
    "payer_organisation": "Samarbeidet som betalte",
    "funding_source": "Finansieringskilde",
    "incurred_on": "Dato",
    "ends_on": "Sluttdato",
    "split_rule": "Fordeling mellom medlemmene",
    "shares": "Andeler",
    "indicator": "Indikator",
    "baseline_on": "Dato for nullpunktsmålingen",
    "target_on": "Måldato",
    "freed_time_use": "Hva frigjort tid brukes til",
    "review_on": "Neste oppfølging",
    "value": "Oppnådd verdi",
    "note": "Merknad",
    "solution": "Løsning",
    "id": "Id",
    "file": "Fil",
    "retired_reason": "Hvorfor løsningen avvikles",
    "status_reason": "Hvorfor dere sluttet å bruke løsningen",
    "based_on": "Bygger på",
    "based_on_kind": "Slektskap",
    "url": "Adresse (URL)",
    "topics": "Hva webhooken skal varsle om",
}
"""Field (as the schemas name it, nested fields dotted) → its label on the forms."""

FIELD_MESSAGES: dict[tuple[str, str], str] = {
    ("themes", "Shorter than minimum length 1."): "Velg minst ett tema.",
    ("themes", "Length must be between 1 and 14."): "Velg minst ett og høyst 14 temaer.",
    ("themes", "Give at least one theme."): "Velg minst ett tema.",
    ("themes", "Longer than maximum length 14."): "Velg høyst 14 temaer.",
    ("standards", "Longer than maximum length 30."): "Velg høyst 30 standarder.",
    ("tags", "Longer than maximum length 20."): "Skriv høyst 20 stikkord.",
    ("tags", "Shorter than minimum length 1."): "Et stikkord kan ikke være tomt.",
    ("tags", "Longer than maximum length 60."): "Et stikkord kan ha høyst 60 tegn.",
    (
        "url",
        f"Length must be between 1 and {MAX_WEBHOOK_URL_LENGTH}.",
    ): f"Skriv adressen webhooken skal sende til (høyst {MAX_WEBHOOK_URL_LENGTH} tegn).",
    (
        "topics",
        f"Length must be between 1 and {len(WEBHOOK_TOPICS)}.",
    ): "Velg minst én ting webhooken skal varsle om.",
    (
        "topics",
        f"Must be one of: {', '.join(WEBHOOK_TOPICS)}.",
    ): "Velg blant det som står i listen.",
}
"""Messages that mean something particular on one field (lists count items, not characters)."""

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Missing data for required field\.|Field may not be null\."), "Fyll ut feltet."),
    (re.compile(r"Shorter than minimum length (\d+)\."), "Skriv minst {0} tegn."),
    (re.compile(r"Longer than maximum length (\d+)\."), "Skriv høyst {0} tegn."),
    (re.compile(r"Length must be between (\d+) and (\d+)\."), "Skriv mellom {0} og {1} tegn."),
    (re.compile(r"Must be one of: .*|Must be one of .*"), "Velg et av alternativene i listen."),
    (
        re.compile(r"Not a valid email address\."),
        "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.",
    ),
    (
        re.compile(r"Not a valid URL\."),
        "Skriv en fullstendig nettadresse som begynner med https://.",
    ),
    (
        re.compile(r"Not a valid date\.|.*cannot be formatted as a date\."),
        "Skriv en gyldig dato (dd.mm.åååå eller åååå-mm-dd).",
    ),
    (re.compile(r"Not a valid (number|integer)\.|Must be a number.*"), "Skriv et tall fra 0."),
    (
        re.compile(r"Special numeric values .*"),
        "Skriv et vanlig tall.",
    ),
    (
        re.compile(r"Must not contain control characters.*"),
        "Teksten inneholder usynlige kontrolltegn som ikke kan lagres. Fjern dem.",
    ),
    (re.compile(r"No commas\."), "Et stikkord kan ikke inneholde komma."),
    (
        re.compile(r"Give a kommunenummer .*|Unknown organisation .*"),
        "Velg en organisasjon som finnes i katalogen.",
    ),
    (
        re.compile(r"No organisation '(.*)' in the catalogue .*"),
        "Finner ingen kommune eller organisasjon «{0}» i katalogen.",
    ),
    (
        re.compile(r"Compare at most (\d+) organisations; (\d+) were given\."),
        "Du kan sammenligne høyst {0} om gangen; du valgte {1}.",
    ),
    (
        re.compile(r"Give (\d+) to (\d+) kommunenummer or slugs to compare\."),
        "Velg {0} til {1} kommuner å sammenligne.",
    ),
    (
        re.compile(r"The same organisation was given twice.*"),
        "Du valgte den samme kommunen flere ganger. Velg minst to forskjellige.",
    ),
    (
        re.compile(r"(.*) has already recorded its use as .*"),
        "{0} har allerede registrert bruk av løsningen. "
        "Endre den under «Registrer eller endre bruk».",
    ),
    (re.compile(r"Unknown theme: (.*)\."), "Ukjent tema: {0}."),
    (re.compile(r"Unknown standard: (.*)\."), "Ukjent standard: {0}."),
    (re.compile(r"Unknown solution .*"), "Løsningen finnes ikke i katalogen."),
    (re.compile(r"Give at least one theme\."), "Velg minst ett tema."),
    (re.compile(r"Must be lowercase letters, digits and single dashes\."), "Ugyldig verdi."),
    (re.compile(r"Unknown field\."), "Feltet er ukjent."),
    (
        re.compile(r"The unit of .* is .*"),
        "Denne gevinsttypen har fast enhet; la enheten stå tom.",
    ),
    (re.compile(r"Name the unit of the values.*"), "Oppgi enheten verdiene er målt i."),
    (
        re.compile(r"A realised value needs the date it was measured\."),
        "Oppgi datoen da den oppnådde verdien ble målt.",
    ),
    (
        re.compile(r"A measured benefit needs its realised value\."),
        "En målt gevinst må ha en oppnådd verdi.",
    ),
    (re.compile(r"Must be a number from 0 to (\d+)\."), "Skriv et tall fra 0 til {0}."),
    (
        re.compile(r"Give the amount in NOK, the internal effort in hours, or both\."),
        "Oppgi beløpet i kroner, egen innsats i timer, eller begge.",
    ),
    (
        re.compile(r"A cost cannot end before it starts.*"),
        "Sluttdatoen kan ikke være før kostnaden begynte.",
    ),
    (re.compile(r"Only a yearly cost has an end date\."), "Bare en årlig kostnad har sluttdato."),
    (re.compile(r"Name the samarbeid that paid\."), "Oppgi samarbeidet som betalte."),
    (re.compile(r"'(.*)' is not a samarbeid\."), "«{0}» er ikke et samarbeid."),
    (
        re.compile(r"Leave out payer_organisation when the adopter paid\."),
        "La feltet stå tomt når dere betalte selv.",
    ),
    (
        re.compile(r"Only a samarbeid's cost is split between members.*"),
        "Bare kostnader et samarbeid har, fordeles mellom medlemmene. La feltet stå tomt.",
    ),
    (
        re.compile(r"The population of these members is not known: (.*)\."),
        "Innbyggertallet er ikke kjent for: {0}. Velg lik fordeling.",
    ),
    (
        re.compile(r"A measurement cannot be dated before the baseline.* of (.*)\."),
        "En måling kan ikke være fra før nullpunktsmålingen ({0}).",
    ),
    (
        re.compile(r"The benefit already has a measurement of this date\."),
        "Gevinsten har allerede en måling med denne datoen.",
    ),
    (re.compile(r"Give the date of the measurement\."), "Oppgi datoen for målingen."),
    (
        re.compile(r"(\d+) measurement\(s\) are dated before this baseline date.*"),
        "{0} måling(er) er fra før denne datoen. Endre eller fjern dem først.",
    ),
    (
        re.compile(r"The benefit has (\d+) measurement\(s\); remove them.*"),
        "Gevinsten har {0} måling(er). Fjern dem under Gevinster og målinger for å tømme feltet.",
    ),
    (re.compile(r"Give the measured value\."), "Oppgi verdien som ble målt."),
    (
        re.compile(r"The target date cannot be before the baseline date\."),
        "Måldatoen kan ikke være før datoen for nullpunktsmålingen.",
    ),
    (
        re.compile(r"Must be a number of weeks from 0 to 520\."),
        "Skriv et antall uker fra 0 til 520.",
    ),
    (re.compile(r"Unknown column\."), "Katalogen kjenner ikke denne kolonnen."),
    (re.compile(r"Write ja or nei\."), "Skriv ja eller nei."),
    (
        re.compile(r"(.*) has not recorded its use of '(.*)'\."),
        "{0} har ikke registrert at de bruker «{1}». Registrer bruken først.",
    ),
    (re.compile(r"No (cost|benefit) (.*) of this adoption\."), "Finner ingen rad med id {1} her."),
    (re.compile(r"Missing column: (.*)\."), "Arket mangler kolonnen {0}."),
    (re.compile(r"No rows\.|The sheet is empty\.|The file is empty\."), "Arket er tomt."),
    (re.compile(r"The first row must name the columns\."), "Første rad må navngi kolonnene."),
    (re.compile(r"At most (\d+) rows can be imported at once\."), "Høyst {0} rader om gangen."),
    (re.compile(r"Not a readable XLSX workbook\."), "Filen er ikke en lesbar XLSX-arbeidsbok."),
    (re.compile(r"The CSV must be UTF-8\."), "CSV-filen må være lagret som UTF-8."),
    (re.compile(r"Not a readable CSV: .*"), "Filen er ikke en lesbar CSV-fil."),
    (re.compile(r"Wrong password\."), "Passordet er feil."),
    (
        re.compile(r"Too simple: .*"),
        "Passordet er for enkelt. Bruk flere forskjellige tegn, gjerne en setning.",
    ),
    (re.compile(r"Must not be the email address\."), "Passordet kan ikke være e-postadressen."),
    (
        re.compile(r"Must differ from the current password\."),
        "Det nye passordet må være forskjellig fra det nåværende.",
    ),
    (re.compile(r"Passwords differ\."), "Passordene er ikke like."),
    (
        re.compile(r"A published solution cannot become a draft again\."),
        "En publisert løsning kan ikke gjøres om til utkast.",
    ),
    (
        re.compile(r"Say why the solution is retired.*"),
        "Skriv hvorfor løsningen avvikles, så de som bruker den vet hva de bør gjøre.",
    ),
    (
        re.compile(r"Say why the organisation stopped using the solution\."),
        "Skriv hvorfor dere sluttet å bruke løsningen.",
    ),
    (
        re.compile(r"A solution cannot be based on itself or on one based on it\."),
        "En løsning kan ikke bygge på seg selv eller på en løsning som bygger på den.",
    ),
    (
        re.compile(r"Must start with https:// .*"),
        "Må begynne med https:// (leveransene er signert, men bare en kryptert forbindelse "
        "holder innholdet privat).",
    ),
    (
        re.compile(r"Must be a URL like (.*)\."),
        "Skriv en fullstendig adresse, for eksempel {0}.",
    ),
    (
        re.compile(r"Must not contain a user name or password.*"),
        "Adressen kan ikke inneholde brukernavn eller passord. Signaturen viser mottakeren at "
        "leveransen kommer fra katalogen.",
    ),
    (re.compile(r"Must not name port 0\."), "Adressen kan ikke bruke port 0."),
    (
        re.compile(r"Must not (be an address that points|point) at the catalogue's own .*"),
        "Adressen kan ikke peke på katalogens egen maskin (localhost, 127.0.0.1 eller ::1).",
    ),
    (
        re.compile(r"Must not be an address that is a link-local address\."),
        "Adressen kan ikke være en lenkelokal adresse (169.254.x.x eller fe80::).",
    ),
    (
        re.compile(r"Must not be an address that is not an address a receiver can have\."),
        "Dette er ikke en adresse en mottaker kan ha (for eksempel 0.0.0.0 eller multicast).",
    ),
    (
        re.compile(r"An organisation has at most (\d+) webhooks\."),
        "En organisasjon kan ha høyst {0} webhooker. Slett en du ikke bruker, før du legger til "
        "en ny.",
    ),
    (re.compile(r"Invalid value\.|String does not match .*"), "Ugyldig verdi."),
]
"""English message (as the schemas and services write it) → bokmål; groups fill the ``{n}``."""

FALLBACK = "Verdien er ugyldig."
"""What a message nobody translated yet becomes (and it is logged, so it gets translated)."""


def translate(message: str, field: str = "") -> str:
    """Return the bokmål form of one validation message about ``field``."""
    base = _base_field(field)
    if (base, message) in FIELD_MESSAGES:
        return FIELD_MESSAGES[(base, message)]
    for pattern, norwegian in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return norwegian.format(*match.groups())
    log.warning("no Norwegian text for the validation message %r (field %s)", message, field)
    return FALLBACK


def _base_field(field: str) -> str:
    """Return the field without list positions: ``tags.3`` → ``tags``."""
    return ".".join(part for part in field.split(".") if not part.isdigit())


def flatten_errors(
    messages: Mapping[Any, Any] | list[Any], prefix: str = ""
) -> dict[str, list[str]]:
    """Return marshmallow's nested messages as ``{"links.homepage": [...]}``.

    Positions in lists (``{"tags": {3: [...]}}``) fold into the list's field, so the message
    stands next to the input that holds the list.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list):
        flat.setdefault(prefix.rstrip(".") or "_schema", []).extend(str(m) for m in messages)
        return flat
    for key, value in messages.items():
        name = prefix if isinstance(key, int) or str(key).isdigit() else f"{prefix}{key}."
        for field, texts in flatten_errors(value, name).items():
            flat.setdefault(field, []).extend(texts)
    return flat


def norwegian_errors(messages: Mapping[Any, Any]) -> dict[str, list[str]]:
    """Return the field errors of a schema or a service in bokmål, one list per form field."""
    errors: dict[str, list[str]] = {}
    for field, texts in flatten_errors(messages).items():
        field = _base_field(field)
        for text in texts:
            norwegian = translate(text, field)
            if norwegian not in errors.setdefault(field, []):
                errors[field].append(norwegian)
    return errors


def label(field: str) -> str:
    """Return the label of a field, for the error summary and the conflict table."""
    return FIELD_LABELS.get(field, field)
