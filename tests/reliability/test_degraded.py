"""Parts that go away: the database (503, then service resumes by itself) and the search index
(503 for search only, while the rest of the site and the API keep working).

The database: on SQLite its file is moved away (an empty folder takes its place, so it cannot
be silently created anew) and put back; on PostgreSQL (TEST_DATABASE_URL) a gunicorn serves a
database of its own whose connections the test terminates with ``pg_terminate_backend`` while
the database refuses new ones, then allows them again.

The index: ``tests/search/test_indexing.py`` covers a missing, a corrupt and an old-version
index through the API (503 for search, the solution list and writes still work, rebuild
repairs). Added here: the web side of it (the search page says so in Norwegian, the other
pages work) and /healthz.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import search
from app.extensions import db
from tests.conftest import PG_URL, auth, solution_payload
from tests.reliability.servers import (
    Gunicorn,
    fresh_database,
    libpq_url,
    reliability_env,
    request,
)
from tests.search.servers import create_token, flask

NORWEGIAN_503 = "Tjenesten er midlertidig utilgjengelig"
"""Title of the site's 503 page."""

PROBES = 6
"""Requests per check through gunicorn, each on a new connection (every worker answers)."""


def assert_api_503(status: int, body: object, headers: dict[str, str]) -> None:
    """An API answer while the database is away: 503, the JSON error shape, Retry-After."""
    assert status == 503, body
    assert isinstance(body, dict)
    assert body["code"] == 503
    assert "database" in body["message"]
    assert "Retry-After" in headers


def assert_page_503(status: int, html: str) -> None:
    """A page while the database is away: the Norwegian 503 page, no stack trace."""
    assert status == 503
    assert NORWEGIAN_503 in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


# -- SQLite: the file moves away and comes back ------------------------------------------------


@pytest.fixture
def sqlite_file(app: Flask) -> Path:
    """Return the SQLite file of the ``app`` fixture (the test is for SQLite only)."""
    if PG_URL:
        pytest.skip("moves an SQLite file: the PostgreSQL variant is test_postgres_goes_away")
    with app.app_context():
        path = db.engine.url.database
    assert path
    return Path(path)


def test_sqlite_database_goes_away_and_comes_back(
    app: Flask, client: FlaskClient, make_token, make_solution, sqlite_file: Path
) -> None:
    slug = make_solution(name="Overlever bortfall")
    token = make_token("5007")
    away = sqlite_file.parent / "away"
    away.mkdir()
    moved = [p for p in sqlite_file.parent.glob(sqlite_file.name + "*") if p.is_file()]
    for path in moved:
        path.rename(away / path.name)
    sqlite_file.mkdir()  # in its place: something SQLite cannot open (nor create a file at)
    with app.app_context():
        db.engine.dispose()  # what a new worker, or a recycled connection, meets

    for response in (
        client.get("/api/v1/solutions"),
        client.get(f"/api/v1/solutions/{slug}"),
        client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)),
    ):
        assert response.is_json, response.data[:300]
        assert_api_503(response.status_code, response.json, dict(response.headers))
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["database"].startswith("unavailable")
    for path in ("/", "/sok", f"/losninger/{slug}", "/kommuner", "/gevinster"):
        response = client.get(path)
        assert response.mimetype == "text/html"
        assert_page_503(response.status_code, response.get_data(as_text=True))

    sqlite_file.rmdir()
    for path in moved:
        (away / path.name).rename(path)
    # Back: the same app, with no restart, serves again.
    assert client.get("/healthz").status_code == 200
    assert client.get(f"/api/v1/solutions/{slug}").status_code == 200
    assert client.get(f"/losninger/{slug}").status_code == 200
    created = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token))
    assert created.status_code == 201, created.json


# -- PostgreSQL: connections terminated, new ones refused, then allowed ------------------------


@pytest.fixture
def postgres_server(tmp_path: Path) -> Iterator[tuple[Gunicorn, str, str]]:
    """Serve a PostgreSQL database of its own; yield the server, the database name, a token."""
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL (the SQLite variant runs without it)")
    with fresh_database(tmp_path) as url:
        env = reliability_env(url, tmp_path)
        init = flask(env, "catalogue", "init")
        assert init.returncode == 0, init.stdout + init.stderr
        token = create_token(env, "5001", role="admin")
        gunicorn = Gunicorn(env, tmp_path, workers=3)
        gunicorn.start()
        try:
            yield gunicorn, url.rsplit("/", 1)[1], token
        finally:
            gunicorn.stop()


def _set_connections(database: str, *, allowed: bool) -> None:
    """Let a database take connections, or refuse them and end the ones it has."""
    import psycopg

    assert PG_URL
    with psycopg.connect(libpq_url(PG_URL), autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"ALTER DATABASE {database} ALLOW_CONNECTIONS {str(allowed).lower()}")
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            )


@pytest.mark.server
@pytest.mark.slow
def test_postgres_goes_away_and_comes_back(postgres_server: tuple[Gunicorn, str, str]) -> None:
    gunicorn, database, token = postgres_server
    base, headers = gunicorn.url, {"Authorization": f"Bearer {token}"}
    slug = request("GET", f"{base}/api/v1/solutions?page_size=1").body[0]["slug"]
    for _ in range(PROBES):  # every worker has a pooled connection to lose
        assert request("GET", f"{base}/api/v1/solutions/{slug}").status == 200

    _set_connections(database, allowed=False)
    try:
        for _ in range(PROBES):
            for answer in (
                request("GET", f"{base}/api/v1/solutions/{slug}"),
                request("POST", f"{base}/api/v1/solutions", solution_payload(), headers),
            ):
                assert_api_503(answer.status, answer.body, answer.headers)
            health = request("GET", f"{base}/healthz")
            assert health.status == 503
            assert health.body["database"].startswith("unavailable")
            page = request("GET", f"{base}/losninger/{slug}")
            assert_page_503(page.status, page.body)
    finally:
        _set_connections(database, allowed=True)

    for _ in range(PROBES):
        assert request("GET", f"{base}/healthz").status == 200
        assert request("GET", f"{base}/losninger/{slug}").status == 200
    created = request("POST", f"{base}/api/v1/solutions", solution_payload(), headers)
    assert created.status == 201, created
    assert '" 500 ' not in gunicorn.logs()


# -- The search index: unreadable, the site says so on the search page only --------------------


def test_corrupt_index_fails_only_the_search_page(
    app: Flask, client: FlaskClient, runner, make_token, make_solution
) -> None:
    slug = make_solution(name="Kvernkallregister")
    with app.app_context():
        live = search.store().live_dir()
    assert live is not None
    for path in live.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    with app.app_context():
        search.reader().close()  # what a new worker process sees

    page = client.get("/sok?q=kvernkall")
    assert page.status_code == 503
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Traceback" not in html
    assert "<form" in html  # the search page itself, with its form, says search is down
    assert client.get("/sok/forslag?q=kv").status_code == 200  # the browser bar: no hints
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["database"] == "ok"
    for path in ("/", f"/losninger/{slug}", "/kommuner", "/gjenbruksmatrise", "/om"):
        assert client.get(path).status_code == 200, path
    token = make_token("5007")
    body = solution_payload(name="Skrevet med ødelagt indeks")
    assert client.post("/api/v1/solutions", json=body, headers=auth(token)).status_code == 201

    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert client.get("/sok?q=kvernkall").status_code == 200
    found = client.get("/api/v1/search?q=indeks").json["results"]
    assert [hit["name"] for hit in found] == ["Skrevet med ødelagt indeks"]
    assert client.get("/healthz").status_code == 200
