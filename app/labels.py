"""Bokmål display names of the catalogue's coded values: the one place for them.

The API and the data use English codes (``system``, ``production`` …); every page and every
facet label a person reads shows these names. Organisation, theme and standard names are data
(``catalogue_data/``), not labels, so they do not belong here.
"""

from __future__ import annotations

SOLUTION_KIND_LABELS: dict[str, str] = {
    "system": "IT-system",
    "process": "Arbeidsprosess",
    "service": "Digital tjeneste",
    "integration": "Integrasjon",
    "automation": "Automatisering",
    "template": "Mal/dokument",
}
"""Solution kind → name."""

SOLUTION_STATUS_LABELS: dict[str, str] = {
    "idea": "Idé",
    "development": "Under utvikling",
    "pilot": "Pilot",
    "production": "I drift",
    "retired": "Avviklet",
}
"""Solution status → name."""

FRESHNESS_LABELS: dict[str, str] = {
    "current": "Oppdatert",
    "needs_review": "Bør gjennomgås",
    "stale": "Kan være utdatert",
}
"""How current an entry is (app/models/quality.py) → what a page calls it."""

LINEAGE_LABELS: dict[str, str] = {
    "based_on": "bygger på",
    "variant_of": "er en variant av",
}
"""How a solution descends from another → the words between their names."""

ADOPTION_STATUS_LABELS: dict[str, str] = {
    "considering": "Vurderer",
    "planned": "Planlagt",
    "pilot": "Pilot",
    "in_use": "I bruk",
    "retired": "Avsluttet",
}
"""Adoption status → name."""

ORGANISATION_KIND_LABELS: dict[str, str] = {
    "kommune": "Kommune",
    "fylkeskommune": "Fylkeskommune",
    "samarbeid": "Samarbeid",
    "other": "Annen offentlig virksomhet",
}
"""Organisation kind → name."""

FACET_LABELS: dict[str, str] = {
    "kind": "Type",
    "status": "Status",
    "theme": "Tema",
    "standard": "Standard",
    "owner": "Eier",
    "adopted_by": "Brukes av",
    "vendor": "Leverandør",
    "not_adopted_by": "Brukes ikke av",
    "min_adopters": "Antall som bruker den",
    "freshness": "Hvor oppdatert",
    "family": "Familie",
    "collapse_families": "Varianter",
}
"""Search facet → heading."""

MATCH_FIELD_LABELS: dict[str, str] = {
    "name": "navnet",
    "summary": "kortbeskrivelsen",
    "description": "beskrivelsen",
    "tags": "stikkordene",
    "themes": "temaet",
    "standards": "standardene",
    "vendor": "leverandøren",
}
"""Field of a search hit → how «Treff på … i …» names it."""

SORT_LABELS: dict[str, str] = {
    "relevance": "Mest relevant",
    "newest": "Nyeste",
    "most_adopted": "Mest gjenbrukt",
}
"""Search sort order → name."""


def kind_label(kind: str) -> str:
    """Return the name of a solution kind (the code itself if unknown)."""
    return SOLUTION_KIND_LABELS.get(kind, kind)


def status_label(status: str) -> str:
    """Return the name of a solution status (the code itself if unknown)."""
    return SOLUTION_STATUS_LABELS.get(status, status)


def adoption_status_label(status: str) -> str:
    """Return the name of an adoption status (the code itself if unknown)."""
    return ADOPTION_STATUS_LABELS.get(status, status)


BENEFIT_CATEGORY_LABELS: dict[str, str] = {
    "time_saved": "Spart tid",
    "cost_saved": "Spart penger",
    "quality": "Bedre kvalitet",
    "user_experience": "Bedre brukeropplevelse",
    "environment": "Miljø",
    "other": "Annen gevinst",
}
"""Benefit category → name."""

BENEFIT_UNIT_LABELS: dict[str, str] = {
    "hours_per_year": "timer per år",
    "nok_per_year": "kroner per år",
}
"""Units that the catalogue fixes (time and money); other units are the publisher's own words."""


def benefit_unit_label(unit: str) -> str:
    """Return the name of a benefit unit (a publisher's own unit with spaces for underscores)."""
    return BENEFIT_UNIT_LABELS.get(unit, unit.replace("_", " "))


COST_KIND_LABELS = {"one_off": "Engangskostnad", "yearly": "Årlig kostnad"}
"""Cost kind → name."""

COST_CATEGORY_LABELS = {
    "licence": "Lisens",
    "implementation": "Innføring",
    "training": "Opplæring",
    "operation": "Drift",
    "other": "Annet",
}
"""Cost category → name."""

COST_PAYER_LABELS = {
    "self": "Egen virksomhet",
    "samarbeid": "Samarbeid",
    "national": "Nasjonal medfinansiering",
    "other": "Annen finansiering",
}
"""Who paid → name."""

SPLIT_RULE_LABELS = {
    "equal": "Likt mellom medlemmene",
    "population": "Etter innbyggertall",
    "custom": "Avtalte andeler",
}
"""How a samarbeid splits a cost → name."""

WEBHOOK_TOPIC_LABELS = {
    "solutions": "Endringer i våre løsninger",
    "adoptions": "Bruk av løsninger (vår bruk og andres bruk av våre)",
    "plans": "Andre planlegger det samme som oss",
}
"""What a webhook follows → what /min-side calls it."""

WEBHOOK_DELIVERY_STATUS_LABELS = {"pending": "Venter", "delivered": "Levert", "failed": "Feilet"}
"""Delivery status → name."""

WEBHOOK_EVENT_SUBJECTS = {"solution": "Løsning", "adoption": "Bruk"}
WEBHOOK_EVENT_ACTIONS = {
    "created": "registrert",
    "updated": "endret",
    "published": "publisert",
    "restored": "gjenopprettet",
    "deleted": "slettet",
}
WEBHOOK_EVENTS = {"ping": "Testvarsel", "plan.matched": "Andre planlegger det samme"}
"""Event names with a name of their own; ``solution.updated`` and the like are composed."""


def webhook_event_label(event: str) -> str:
    """Return what a webhook event is called: ``solution.updated`` → «Løsning endret»."""
    if event in WEBHOOK_EVENTS:
        return WEBHOOK_EVENTS[event]
    subject, _, action = event.partition(".")
    if subject in WEBHOOK_EVENT_SUBJECTS and action in WEBHOOK_EVENT_ACTIONS:
        return f"{WEBHOOK_EVENT_SUBJECTS[subject]} {WEBHOOK_EVENT_ACTIONS[action]}"
    return event
