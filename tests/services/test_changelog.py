"""The change log (outbox): every write marks the solutions it affects, in its own transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Change, Solution
from app.schemas.solution import SolutionSchema
from app.services import organisations, solutions, vocabularies
from app.services.errors import PermissionDenied
from app.services.permissions import SYSTEM, Actor
from tests.api.test_permissions import ADOPTER, OWNER, WRITES
from tests.conftest import auth, solution_payload


def _changes(app, solution_id: int | None = None) -> list[int]:
    """Return the seq of the change rows (of one solution)."""
    with app.app_context():
        query = select(Change.seq).order_by(Change.seq)
        if solution_id is not None:
            query = query.where(Change.entity_id == solution_id)
        return list(db.session.scalars(query))


def _solution_id(app, slug: str) -> int:
    with app.app_context():
        solution_id = db.session.scalar(select(Solution.id).where(Solution.slug == slug))
        assert solution_id is not None
        return solution_id


@pytest.mark.parametrize("write", list(WRITES))
def test_every_api_write_marks_its_solution(app, client, make_token, make_solution, write):
    spec = WRITES[write]
    admin = make_token("5001", role="admin")
    slug = make_solution(owner=OWNER)
    solution_id = _solution_id(app, slug)
    if spec.needs_adoption:
        client.post(
            f"/api/v1/solutions/{slug}/adoptions",
            json={"organisation": ADOPTER, "status": "pilot"},
            headers=auth(admin),
        )
    before = _changes(app)
    body = spec.body and {
        key: value.format(slug=slug) if isinstance(value, str) else value
        for key, value in spec.body.items()
    }

    response = client.open(
        spec.path.format(slug=slug), method=spec.method, json=body, headers=auth(admin, 1)
    )

    assert response.status_code == spec.ok, response.json
    if write == "POST solution":
        solution_id = _solution_id(app, response.json["slug"])
    new = [seq for seq in _changes(app, solution_id) if seq > max(before, default=0)]
    assert new, write
    assert len(_changes(app)) == len(before) + len(new)  # and no other solution's


@pytest.mark.parametrize(
    ("method", "body", "headers_version", "status"),
    [
        ("PATCH", {"name": "Nytt navn", "themes": ["no-such-theme"]}, 1, 422),
        ("PATCH", {"name": "Nytt navn"}, 7, 412),
        ("PUT", solution_payload(owner="5001"), 1, 403),
        ("DELETE", None, None, 428),
    ],
)
def test_a_refused_write_leaves_no_change_row(
    app, client, make_token, make_solution, method, body, headers_version, status
):
    slug = make_solution()
    before = _changes(app)
    response = client.open(
        f"/api/v1/solutions/{slug}",
        method=method,
        json=body,
        headers=auth(make_token(OWNER), headers_version),
    )
    assert response.status_code == status
    assert _changes(app) == before


def test_a_duplicate_adoption_leaves_no_change_row(app, client, make_token, make_solution):
    slug = make_solution()
    token = make_token(ADOPTER)
    body = {"organisation": ADOPTER, "status": "in_use"}
    url = f"/api/v1/solutions/{slug}/adoptions"
    assert client.post(url, json=body, headers=auth(token)).status_code == 201
    before = _changes(app)
    assert client.post(url, json=body, headers=auth(token)).status_code == 409
    assert _changes(app) == before


def test_the_change_row_is_part_of_the_writing_transaction(app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Change))
        solution = solutions.build_solution(SolutionSchema().load(solution_payload()), actor=SYSTEM)
        # Flushed but not committed: the row is there, inside this transaction ...
        assert db.session.scalar(
            select(func.count()).select_from(Change).where(Change.entity_id == solution.id)
        )
        db.session.rollback()
        # ... and gone with it.
        assert db.session.scalar(select(func.count()).select_from(Change)) == before


def test_renaming_an_organisation_marks_what_it_owns_and_uses(
    app, client, make_token, make_solution
):
    owned = make_solution(owner="5014")
    used = make_solution(name="Brukt av Frøya", owner="5001")
    other = make_solution(name="Ikke berørt", owner="5001")
    client.post(
        f"/api/v1/solutions/{used}/adoptions",
        json={"organisation": "5014", "status": "in_use"},
        headers=auth(make_token("5014")),
    )
    ids = {slug: _solution_id(app, slug) for slug in (owned, used, other)}
    before = max(_changes(app))

    with app.app_context():
        organisations.rename_organisation("froya", "Frøya kommune (ny)", actor=SYSTEM)

    with app.app_context():
        marked = set(db.session.scalars(select(Change.entity_id).where(Change.seq > before)))
    assert marked == {ids[owned], ids[used]}
    assert client.get("/api/v1/organisations/5014").json["name"] == "Frøya kommune (ny)"


def test_renaming_a_theme_marks_its_solutions(app, client, make_solution):
    tagged = make_solution(themes=["naring", "arbeid"])
    untouched = make_solution(name="Annet tema", themes=["helse-og-omsorg"])
    before = max(_changes(app))

    with app.app_context():
        vocabularies.rename_theme("naring", "Næring og handel", actor=SYSTEM)

    with app.app_context():
        marked = set(db.session.scalars(select(Change.entity_id).where(Change.seq > before)))
    assert marked == {_solution_id(app, tagged)}
    assert _solution_id(app, untouched) not in marked
    names = {t["slug"]: t["name"] for t in client.get("/api/v1/themes").json}
    assert names["naring"] == "Næring og handel"


def test_only_an_admin_renames(app):
    publisher = Actor(organisation_id=1, organisation_slug="trondheim", role="publisher")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            organisations.rename_organisation("5001", "Nytt navn", actor=publisher)
        with pytest.raises(PermissionDenied):
            vocabularies.rename_theme("naring", "Nytt navn", actor=publisher)
