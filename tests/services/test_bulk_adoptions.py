"""``build_adoptions``, the bulk form of recording adoptions: the rules of one adoption hold for
each, with the organisations and existing adoptions read once per solution."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event, select

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from app.schemas.solution import SolutionSchema
from app.services.adoptions import build_adoptions
from app.services.errors import Conflict, InvalidData, PermissionDenied
from app.services.permissions import SYSTEM, Actor
from app.services.solutions import build_solution
from tests.conftest import solution_payload


def _new_solution(name: str) -> Solution:
    return build_solution(SolutionSchema().load(solution_payload(name=name)), actor=SYSTEM)


def test_adds_every_adoption_with_its_status_by_number_or_slug(app: Flask) -> None:
    with app.app_context():
        solution = _new_solution("Massevis av bruk")
        built = build_adoptions(
            solution,
            [("5006", {"status": "in_use"}), ("malvik", {"status": "pilot"})],
            actor=SYSTEM,
        )
        db.session.commit()
        rows = db.session.execute(
            select(Organisation.kommunenummer, Adoption.status, Adoption.id)
            .join(Adoption.organisation)
            .where(Adoption.solution_id == solution.id)
            .order_by(Adoption.id)
        ).all()
        assert [(number, status) for number, status, _ in rows] == [
            ("5006", "in_use"),
            ("5031", "pilot"),
        ]
        assert [adoption.id for adoption in built] == [row.id for row in rows]
        assert [len(adoption.status_changes) for adoption in built] == [1, 1]


def test_reads_the_organisations_once_not_per_adoption(app: Flask) -> None:
    refs = ["5006", "5007", "5014", "5020", "5021", "5022", "malvik"]
    with app.app_context():
        solution = _new_solution("Ett oppslag")
        statements: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            build_adoptions(solution, [(ref, {"status": "in_use"}) for ref in refs], actor=SYSTEM)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        lookups = [
            s
            for s in statements
            if s.lstrip().upper().startswith("SELECT") and "pg_advisory" not in s
        ]
        # One query by kommunenummer, one by slug, one for existing adoptions (PostgreSQL's
        # flush also takes the change log's advisory lock, which is no lookup).
        assert len(lookups) == 3


@pytest.mark.parametrize(
    ("items", "error", "names"),
    [
        ([("5006", {}), ("finnes-ikke", {})], InvalidData, "finnes-ikke"),
        ([("5006", {}), ("5006", {})], Conflict, "steinkjer"),
    ],
)
def test_an_unknown_or_twice_named_organisation_is_refused(
    app: Flask, items: list, error: type[Exception], names: str
) -> None:
    with app.app_context():
        solution = _new_solution("Feil i lasten")
        with pytest.raises(error) as raised:
            build_adoptions(
                solution, [(ref, {"status": "in_use", **data}) for ref, data in items], actor=SYSTEM
            )
        assert names in str(getattr(raised.value, "errors", None) or raised.value)


def test_an_existing_adoption_is_a_conflict(app: Flask) -> None:
    with app.app_context():
        solution = _new_solution("Allerede i bruk")
        build_adoptions(solution, [("5006", {"status": "in_use"})], actor=SYSTEM)
        with pytest.raises(Conflict, match="steinkjer"):
            build_adoptions(
                solution,
                [("5007", {"status": "in_use"}), ("5006", {"status": "pilot"})],
                actor=SYSTEM,
            )


def test_a_publisher_records_only_its_own(app: Flask) -> None:
    with app.app_context():
        solution = _new_solution("Bare egne")
        malvik = db.session.scalar(select(Organisation).where(Organisation.slug == "malvik"))
        actor = Actor(organisation_id=malvik.id, organisation_slug="malvik", role="publisher")
        with pytest.raises(PermissionDenied):
            build_adoptions(
                solution,
                [("malvik", {"status": "in_use"}), ("5006", {"status": "in_use"})],
                actor=actor,
            )
