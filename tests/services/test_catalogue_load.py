"""`flask catalogue init`: schema, data from catalogue_data/, search index; and bad data files.

Each test starts from a database without tables (the ``empty_app`` fixture).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import func, select

from app import search
from app.extensions import db
from app.models import Adoption, Organisation, Solution, Standard, Theme
from app.schemas.validators import orgnr_is_valid
from app.services import catalogue
from tests.conftest import DATA_DIR

REFERENCE = Path("/work/shared/reference/trondelag-kommuner.csv")


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _init(app: Flask):
    return app.test_cli_runner().invoke(args=["catalogue", "init"])


@pytest.mark.slow
def test_init_loads_the_catalogue_once(empty_app):
    first = _init(empty_app)
    assert first.exit_code == 0, first.output
    assert "Loaded" in first.output
    with empty_app.app_context():
        kommuner = dict(
            db.session.execute(
                select(Organisation.kommunenummer, Organisation.name).where(
                    Organisation.kind == "kommune"
                )
            ).all()
        )
        counts = {m: _count(m) for m in (Organisation, Theme, Standard, Solution, Adoption)}
        assert not search.check()  # the index holds exactly what the database holds

    assert len(kommuner) == 38
    if REFERENCE.exists():
        with REFERENCE.open(encoding="utf-8") as fh:
            assert set(kommuner) == {row["kommunenummer"] for row in csv.DictReader(fh)}
    assert kommuner["5007"] == "Namsos kommune"
    assert kommuner["5001"] == "Trondheim kommune"
    assert counts[Theme] == 14
    assert counts[Standard] >= 15
    assert counts[Solution] >= 60
    assert counts[Adoption] >= 150

    second = _init(empty_app)
    assert second.exit_code == 0, second.output
    assert "nothing loaded" in second.output
    with empty_app.app_context():
        assert {m: _count(m) for m in counts} == counts
        assert all(s.is_example for s in db.session.scalars(select(Solution)))


def test_every_organisation_number_in_the_data_is_valid():
    organisations = yaml.safe_load((DATA_DIR / "organisations.yaml").read_text(encoding="utf-8"))
    numbers = [o["orgnr"] for o in organisations if o.get("orgnr")]
    assert numbers
    assert all(orgnr_is_valid(n) for n in numbers), [n for n in numbers if not orgnr_is_valid(n)]


@pytest.mark.parametrize(
    ("orgnr", "valid"),
    [
        ("942110464", True),  # Trondheim kommune
        ("942875967", True),  # Namsos kommune
        ("817920632", True),  # Trøndelag fylkeskommune
        ("942110465", False),  # wrong control digit
        ("942110463", False),
        ("94211046", False),  # eight digits
        ("9421104640", False),  # ten digits
        ("94211046a", False),
        (" 42110464", False),
        ("000000000", True),  # remainder 0 gives control digit 0
        ("123456785", True),
        ("100000001", False),  # control digit 10: no valid number has it
    ],
)
def test_organisation_numbers_are_checked_with_modulus_11(orgnr, valid):
    assert orgnr_is_valid(orgnr) is valid


# --- refusing bad data ----------------------------------------------------------------------

SMALL_SOLUTIONS = {
    "example": True,
    "solutions": [
        {
            "name": "Prøveløsning en",
            "summary": "En kort oppsummering av løsningen.",
            "kind": "system",
            "status": "production",
            "owner": "5001",
            "themes": ["bygg-og-eiendom"],
            "adoptions": [
                {"organisation": "5001", "status": "in_use"},
                {"organisation": "namsos", "status": "pilot"},
            ],
        },
        {
            "name": "Prøveløsning to",
            "summary": "En annen kort oppsummering.",
            "kind": "process",
            "status": "idea",
            "owner": "fosen-ikt",
            "themes": ["helse-og-omsorg"],
        },
    ],
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return a small, valid catalogue_data/ copy: the real vocabularies and organisations."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("themes.yaml", "standards.yaml", "organisations.yaml"):
        shutil.copy(DATA_DIR / name, target / name)
    _write(target, "solutions.yaml", SMALL_SOLUTIONS)
    return target


def _write(folder: Path, name: str, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    (folder / name).write_text(text, encoding="utf-8")


def _edit(folder: Path, name: str, change: Callable[[object], object]) -> None:
    content = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    _write(folder, name, change(content))


def test_the_small_data_set_loads(empty_app, data_dir):
    empty_app.config["CATALOGUE_DATA_DIR"] = str(data_dir)
    result = _init(empty_app)
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert _count(Solution) == 2
        assert _count(Adoption) == 2


def _solutions_with(**changes: object) -> dict:
    doc = yaml.safe_load(yaml.safe_dump(SMALL_SOLUTIONS))
    first = doc["solutions"][0]
    for key, value in changes.items():
        if value is None:
            first.pop(key, None)
        else:
            first[key] = value
    return doc


def _replace(items: list, index: int, **changes: object) -> list:
    items[index] = {**items[index], **changes}
    return items


BAD_DATA = {
    "theme without uri": (
        "themes.yaml",
        lambda items: _replace(items, 2, uri=None),
        ["themes.yaml item 3", "uri"],
    ),
    "duplicate standard": (
        "standards.yaml",
        lambda items: [*items, items[0]],
        ["standards.yaml item", "(noark-5)", "slug 'noark-5' is already used by standards.yaml"],
    ),
    "wrong orgnr": (
        "organisations.yaml",
        lambda items: _replace(items, 0, orgnr="942110465"),
        ["organisations.yaml item 1", "orgnr", "modulus-11"],
    ),
    "kommune without number": (
        "organisations.yaml",
        lambda items: _replace(items, 1, kommunenummer=None),
        ["organisations.yaml item 2", "kommunenummer"],
    ),
    "duplicate kommunenummer": (
        "organisations.yaml",
        lambda items: _replace(items, 1, kommunenummer="5001"),
        ["organisations.yaml item 2", "kommunenummer '5001' is already used"],
    ),
    "unknown member": (
        "organisations.yaml",
        lambda items: [
            {**o, "members": ["5001", "9999"]} if o["slug"] == "fosen-ikt" else o for o in items
        ],
        ["organisations.yaml item", "(fosen-ikt)", "members", "9999"],
    ),
    "unknown theme": (
        "solutions.yaml",
        lambda doc: _solutions_with(themes=["romfart"]),
        ["solutions.yaml item 1 (Prøveløsning en)", "romfart"],
    ),
    "missing summary": (
        "solutions.yaml",
        lambda doc: _solutions_with(summary=None),
        ["solutions.yaml item 1 (Prøveløsning en)", "summary"],
    ),
    "unknown owner": (
        "solutions.yaml",
        lambda doc: _solutions_with(owner="ingen-kommune"),
        ["solutions.yaml item 1 (Prøveløsning en)", "owner", "ingen-kommune"],
    ),
    "adoption by an unknown organisation": (
        "solutions.yaml",
        lambda doc: _solutions_with(adoptions=[{"organisation": "9999", "status": "in_use"}]),
        ["solutions.yaml item 1 (Prøveløsning en) adoption 1 (9999)", "organisation"],
    ),
    "the same adoption twice": (
        "solutions.yaml",
        lambda doc: _solutions_with(
            adoptions=[
                {"organisation": "5001", "status": "in_use"},
                {"organisation": "trondheim", "status": "pilot"},
            ]
        ),
        ["solutions.yaml item 1 (Prøveløsning en) adoption 2 (trondheim)", "already"],
    ),
    "adoption with an unknown field": (
        "solutions.yaml",
        lambda doc: _solutions_with(
            adoptions=[{"organisation": "5001", "status": "in_use", "rating": 5}]
        ),
        ["solutions.yaml item 1 (Prøveløsning en) adoption 1", "rating", "Unknown field"],
    ),
    "a negative cost": (
        "solutions.yaml",
        lambda doc: _solutions_with(
            adoptions=[
                {
                    "organisation": "5001",
                    "status": "in_use",
                    "costs": [{"kind": "one_off", "amount": -10}],
                }
            ]
        ),
        ["solutions.yaml item 1 (Prøveløsning en) adoption 1 (5001) cost 1", "amount"],
    ),
    "a measurement before the baseline": (
        "solutions.yaml",
        lambda doc: _solutions_with(
            adoptions=[
                {
                    "organisation": "5001",
                    "status": "in_use",
                    "benefits": [
                        {
                            "category": "time_saved",
                            "baseline_on": "2024-01-01",
                            "measurements": [{"measured_on": "2023-01-01", "value": 5}],
                        }
                    ],
                }
            ]
        ),
        ["adoption 1 (5001) benefit 1 measurement 1", "measured_on", "baseline"],
    ),
    "adoptions not a list": (
        "solutions.yaml",
        lambda doc: _solutions_with(adoptions="5001"),
        ["solutions.yaml item 1 (Prøveløsning en)", "'adoptions' must be a list"],
    ),
    "a solution that is a string": (
        "solutions.yaml",
        lambda doc: {"example": True, "solutions": ["Prøveløsning"]},
        ["solutions.yaml item 1", "mapping"],
    ),
    "solutions not a list": (
        "solutions.yaml",
        lambda doc: {"example": True, "solutions": {"name": "x"}},
        ["solutions.yaml", "list of 'solutions'"],
    ),
    "themes not a list": (
        "themes.yaml",
        lambda items: {"arbeid": "Arbeid"},
        ["themes.yaml", "must hold a list"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_is_refused_naming_file_and_item(empty_app, data_dir, case):
    name, change, expected = BAD_DATA[case]
    _edit(data_dir, name, change)
    empty_app.config["CATALOGUE_DATA_DIR"] = str(data_dir)

    result = _init(empty_app)

    assert result.exit_code == 1, result.output
    assert f"Invalid data in {data_dir}" in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "Traceback" not in result.output
    with empty_app.app_context():
        assert catalogue.is_empty()  # nothing half-loaded
        assert _count(Theme) == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("solutions.yaml", "solutions: [unclosed", "solutions.yaml: not readable YAML"),
        ("themes.yaml", b"\xff\xfe- slug: x", "themes.yaml: not readable YAML"),
        ("organisations.yaml", None, "organisations.yaml: the file is missing"),
    ],
)
def test_unreadable_files_are_refused(empty_app, data_dir, name, content, expected):
    if content is None:
        (data_dir / name).unlink()
    elif isinstance(content, bytes):
        (data_dir / name).write_bytes(content)
    else:
        (data_dir / name).write_text(content, encoding="utf-8")
    empty_app.config["CATALOGUE_DATA_DIR"] = str(data_dir)
    result = _init(empty_app)
    assert result.exit_code == 1
    assert expected in result.stderr
    with empty_app.app_context():
        assert catalogue.is_empty()
