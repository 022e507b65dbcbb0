"""A synthetic catalogue in Norwegian, loaded through the services layer.

Names and texts are built from municipal word stems joined into compounds the way bokmål does
(``bygge`` + ``sak`` + ``behandling`` → ``byggesaksbehandling``), with inflected forms, so
stemming and compound search have real work to do. Everything is deterministic for a seed.
The solutions are validated by the API's own schema and written with the services'
``build_solution``/``build_adoptions`` (the bulk path of ``catalogue init``), one commit per
batch; the search index is then built by a rebuild, as after a bulk load. About half the
adoptions that are used, piloted or planned get costs and benefits (``build_cost``,
``build_benefit``), from a random stream of their own so the solutions stay those of a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Standard, Theme
from app.schemas.adoption import SolutionAdoptionCreateSchema
from app.schemas.benefit import BenefitSchema
from app.schemas.cost import CostSchema
from app.schemas.solution import SolutionSchema
from app.services.adoptions import build_adoptions
from app.services.benefits import build_benefit
from app.services.costs import build_cost
from app.services.permissions import SYSTEM
from app.services.solutions import build_solution

HEADS = (
    "bygge",
    "barne",
    "helse",
    "skole",
    "vann",
    "eiendoms",
    "sosial",
    "kultur",
    "idretts",
    "bolig",
    "start",
    "arkiv",
    "post",
    "faktura",
    "lønns",
    "budsjett",
    "beredskaps",
    "klima",
    "miljø",
    "nærings",
    "landbruks",
    "skogbruks",
    "renovasjons",
    "avfalls",
    "vei",
    "plan",
    "kart",
    "innbygger",
    "hjemme",
    "sykehjems",
    "omsorgs",
    "tilsyns",
    "legevakt",
    "bibliotek",
    "ungdoms",
    "eldre",
    "flyktning",
    "skjenke",
    "vigsels",
    "regnskaps",
    "personal",
    "innkjøps",
)
"""First parts of compounds (with their linking letters)."""

TAILS = (
    "sak",
    "hage",
    "stasjon",
    "skyss",
    "avgift",
    "skatt",
    "hjelp",
    "tjeneste",
    "lån",
    "plan",
    "mottak",
    "system",
    "robot",
    "portal",
    "rapport",
    "register",
    "kalender",
    "varsel",
    "opptak",
    "plass",
    "tilskudd",
    "bevilling",
    "kontroll",
    "analyse",
    "prosess",
    "tilgang",
    "journal",
    "dialog",
    "oversikt",
    "avtale",
    "rutine",
    "veileder",
    "mal",
    "modul",
)
"""Middle and last parts of compounds."""

ENDINGS = ("behandling", "forvaltning", "oppfølging", "registrering", "rapportering", "")
"""Third parts that make long compounds (``byggesaksbehandling``)."""

ADJECTIVES = (
    "digital",
    "felles",
    "automatisk",
    "elektronisk",
    "interkommunal",
    "forenklet",
    "helhetlig",
    "mobil",
    "regional",
    "sikker",
    "effektiv",
    "ny",
)
PLACES = (
    "Trøndelag",
    "Namdal",
    "Fosen",
    "Innherred",
    "Værnes",
    "Orkdal",
    "Gauldal",
    "Nord-Fosen",
    "Trondheimsregionen",
    "Oppdal",
    "Røros",
    "Hitra",
    "Frøya",
    "Steinkjer",
    "Levanger",
)
FILLER = (
    "og",
    "i",
    "på",
    "for",
    "med",
    "til",
    "som",
    "av",
    "er",
    "det",
    "en",
    "et",
    "vi",
    "har",
    "kan",
    "skal",
    "ble",
    "fra",
    "om",
    "der",
    "alle",
    "mer",
    "slik",
    "når",
    "etter",
)
VERBS = (
    "behandler",
    "sender",
    "registrerer",
    "følger",
    "bruker",
    "deler",
    "forenkler",
    "sparer",
    "automatiserer",
    "arkiverer",
    "varsler",
    "samordner",
    "kvalitetssikrer",
    "digitaliserer",
)
INFLECTIONS = ("", "", "", "en", "er", "ene", "et", "a")
KINDS = ("system", "process", "service", "integration", "automation", "template")
STATUSES = ("idea", "development", "pilot", "production", "production", "production", "retired")
ADOPTION_STATUSES = ("considering", "planned", "pilot", "in_use", "in_use", "in_use", "retired")


@dataclass
class Vocabulary:
    """The references a generated solution may use (loaded from the database)."""

    organisations: list[str]
    themes: list[str]
    standards: list[str]


def _compound(rng: random.Random) -> str:
    word = rng.choice(HEADS) + rng.choice(TAILS)
    if rng.random() < 0.35:
        ending = rng.choice(ENDINGS)
        if ending:
            word += ("s" if not word.endswith("s") else "") + ending
    return word


def _zipf(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    """Pick an item, the first ones far more often (as words are in real text)."""
    return items[min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)]


def _sentence(rng: random.Random, compounds: list[str]) -> str:
    words: list[str] = []
    for _ in range(rng.randint(8, 16)):
        r = rng.random()
        if r < 0.4:
            words.append(_zipf(rng, FILLER))
        elif r < 0.6:
            words.append(rng.choice(compounds) + rng.choice(INFLECTIONS))
        elif r < 0.75:
            words.append(rng.choice(VERBS))
        elif r < 0.85:
            words.append(rng.choice(ADJECTIVES))
        else:
            words.append(_compound(rng) + rng.choice(INFLECTIONS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def solution_data(rng: random.Random, n: int, vocabulary: Vocabulary) -> dict[str, Any]:
    """Return the n-th synthetic solution as a POST body (before schema validation)."""
    main = _compound(rng)
    other = _compound(rng)
    name = rng.choice(
        (
            f"{rng.choice(ADJECTIVES).capitalize()} {main}",
            f"{main.capitalize()} med {other}",
            f"{main.capitalize()} for {rng.choice(PLACES)}",
            f"{rng.choice(ADJECTIVES).capitalize()} {main} i {rng.choice(PLACES)}",
        )
    )
    compounds = [main, other, *(_compound(rng) for _ in range(4))]
    description = "\n\n".join(
        " ".join(_sentence(rng, compounds) for _ in range(rng.randint(3, 4))) for _ in range(3)
    )
    return {
        "name": name[:200],
        "summary": _sentence(rng, compounds)[:500],
        "description": description,
        "kind": rng.choice(KINDS),
        "status": rng.choice(STATUSES),
        "owner": _zipf(rng, vocabulary.organisations),
        "themes": rng.sample(vocabulary.themes, rng.randint(1, 2)),
        "standards": rng.sample(vocabulary.standards, rng.randint(0, 3)),
        "tags": list(dict.fromkeys([main, other, rng.choice(TAILS)])),
    }


ADOPTION_SCALE = 6
"""Scale of the adoptions' Pareto tail: about 10 adoptions per solution on average (issue 15's
national figure), median 4, one in six with none, one in twelve used by 40 or more."""


def adoptions_data(rng: random.Random, vocabulary: Vocabulary) -> Iterator[dict[str, Any]]:
    """Yield the adoptions of one solution: most have a few, some many, some none."""
    drawn = int(rng.paretovariate(1.2) * ADOPTION_SCALE) - ADOPTION_SCALE
    count = max(0, min(drawn, len(vocabulary.organisations)))
    for organisation in rng.sample(vocabulary.organisations, count):
        yield {"organisation": organisation, "status": rng.choice(ADOPTION_STATUSES)}


PORTFOLIO_STATUSES = ("in_use", "pilot", "planned", "considering")


def costs_and_benefits(rng: random.Random, status: str) -> tuple[list[dict], list[dict]]:
    """Return the costs and benefits of one adoption: some have both, some one, some none."""
    if status not in PORTFOLIO_STATUSES:
        return [], []
    costs: list[dict[str, Any]] = []
    benefits: list[dict[str, Any]] = []
    if rng.random() < 0.55:
        costs.append(
            {
                "kind": "one_off",
                "category": rng.choice(("licence", "implementation", "training")),
                "amount": float(rng.randrange(10, 1000) * 1000),
                "effort_hours": float(rng.randrange(0, 800, 10)),
            }
        )
        if rng.random() < 0.8:
            costs.append({"kind": "yearly", "amount": float(rng.randrange(2, 300) * 1000)})
    if rng.random() < 0.45:
        benefits.append(
            {
                "category": "time_saved",
                "expected_value": float(rng.randrange(50, 5000, 10)),
                "realised_value": float(rng.randrange(0, 5000, 10)),
                "measured_on": f"{rng.randint(2019, 2025)}-06-30",
                "owner": rng.choice(("Rådmann", "Kommunalsjef", "Enhetsleder", "IKT-leder")),
            }
        )
    if rng.random() < 0.25:
        benefits.append(
            {"category": "cost_saved", "expected_value": float(rng.randrange(5, 500) * 1000)}
        )
    return costs, benefits


def load_vocabulary() -> Vocabulary:
    """Return the organisations, themes and standards the database holds."""
    return Vocabulary(
        organisations=list(db.session.scalars(select(Organisation.slug).order_by(Organisation.id))),
        themes=list(db.session.scalars(select(Theme.slug).order_by(Theme.id))),
        standards=list(db.session.scalars(select(Standard.slug).order_by(Standard.id))),
    )


VARIANT_SHARE = 0.05
"""Share of solutions based on (or a variant of) an earlier one: the families search collapses."""


def generate(
    size: int,
    *,
    seed: int = 2024,
    batch: int = 500,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Add ``size`` synthetic solutions with adoptions through the services; return adoptions.

    Needs an app context on a database with organisations and vocabularies.
    """
    rng = random.Random(seed)
    money = random.Random(seed + 1)
    lineage = random.Random(seed + 2)  # its own stream: the texts stay those of older runs
    slugs: list[str] = []
    vocabulary = load_vocabulary()
    solution_schema, adoption_schema = SolutionSchema(), SolutionAdoptionCreateSchema()
    cost_schema, benefit_schema = CostSchema(), BenefitSchema()
    adoptions = 0
    for n in range(1, size + 1):
        item = solution_data(rng, n, vocabulary)
        if slugs and lineage.random() < VARIANT_SHARE:
            item["based_on"] = lineage.choice(slugs)
            item["based_on_kind"] = lineage.choice(("based_on", "variant_of"))
        solution = build_solution(solution_schema.load(item), actor=SYSTEM)
        slugs.append(solution.slug)
        items = [adoption_schema.load(item) for item in adoptions_data(rng, vocabulary)]
        built = build_adoptions(
            solution, [(item.pop("organisation"), item) for item in items], actor=SYSTEM
        )
        for adoption in built:
            costs, benefits = costs_and_benefits(money, adoption.status)
            for cost in costs:
                build_cost(adoption, cost_schema.load(cost))
            for benefit in benefits:
                build_benefit(adoption, benefit_schema.load(benefit))
        adoptions += len(built)
        if n % batch == 0 or n == size:
            db.session.commit()
            db.session.expunge_all()
            progress(n, size)
    return adoptions
