"""Two app instances, each with its own index folder, on one PostgreSQL database: each sees
every write, however the writes interleave.

Needs PostgreSQL: the server of TEST_DATABASE_URL (or, in CI, the local one), where the module
creates a database of its own and drops it afterwards. Skipped on a machine without it; in CI
(``CI=true``) a missing server fails.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Solution
from tests.conftest import IN_CI, PG_URL, solution_payload
from tests.search.servers import catalogue_env, create_token, flask, gunicorn, http, search_url

pytestmark = [pytest.mark.server, pytest.mark.slow]

SERVER_URL = PG_URL or ("postgresql://postgres@127.0.0.1:5432/postgres" if IN_CI else None)
"""A PostgreSQL server to create the module's database on."""

PROBES = 8
"""Searches per check, each on a new connection (every worker of an instance answers)."""


def _admin_connect() -> Any:
    import psycopg

    if SERVER_URL is None:
        pytest.skip("no PostgreSQL: set TEST_DATABASE_URL to run the two-instance tests")
    try:
        return psycopg.connect(SERVER_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL unreachable in CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """Create a database of the module's own; yield its URL; drop it afterwards."""
    name = f"gk_two_instances_{uuid.uuid4().hex[:8]}"
    with _admin_connect() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base = SERVER_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with _admin_connect() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Instance:
    """One running instance: its URL and environment."""

    def __init__(self, url: str, env: dict[str, str], token: str) -> None:
        self.url, self.env, self.token = url, env, token

    def search(self, **params: Any) -> dict[str, Any]:
        status, body = http("GET", search_url(self.url, **params))
        assert status == 200, body
        return body

    def create(self, name: str) -> str:
        status, body = http(
            "POST",
            f"{self.url}/api/v1/solutions",
            solution_payload(name=name),
            {"Authorization": f"Bearer {self.token}"},
        )
        assert status == 201, body
        return body["slug"]

    def finds(self, q: str) -> set[str]:
        return {r["slug"] for r in self.search(q=q, page_size=100)["results"]}

    def check(self) -> None:
        result = flask(self.env, "search", "check")
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def instances(database, tmp_path_factory) -> Iterator[tuple[Instance, Instance]]:
    root = tmp_path_factory.mktemp("two-instances")
    envs = [catalogue_env(database, root / f"index-{n}") for n in "ab"]
    for env in envs:  # the first loads the example data; the second only builds its index
        init = flask(env, "catalogue", "init")
        assert init.returncode == 0, init.stdout + init.stderr
    token = create_token(envs[0], "5001")
    with (
        gunicorn(envs[0], root / "a.log", workers=2) as url_a,
        gunicorn(envs[1], root / "b.log", workers=2) as url_b,
    ):
        yield Instance(url_a, envs[0], token), Instance(url_b, envs[1], token)
    for name in ("a.log", "b.log"):
        log = (root / name).read_text()
        assert "LockError" not in log
        assert " 500 " not in log


def test_each_instance_sees_the_other_ones_writes(instances):
    a, b = instances
    from_a = a.create("Kvitfjellregister skrevet gjennom A")
    for _ in range(PROBES):
        assert b.finds("kvitfjellregister") == {from_a}
    from_b = b.create("Svartfjellregister skrevet gjennom B")
    for _ in range(PROBES):
        assert a.finds("svartfjellregister") == {from_b}


def test_interleaved_writes_reach_both_indexes(instances):
    a, b = instances
    created: list[str] = []
    errors: list[BaseException] = []

    def write(instance: Instance, tag: str) -> None:
        try:
            for n in range(5):
                created.append(instance.create(f"Flettverksregister {tag}{n}"))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(instance, f"{tag}{t}"))
        for instance, tag in ((a, "a"), (b, "b"))
        for t in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(created) == 20
    for _ in range(PROBES):
        assert a.finds("flettverksregister") == set(created)
        assert b.finds("flettverksregister") == set(created)
    a.check()
    b.check()


def test_a_transaction_that_commits_late_is_not_skipped(instances, tmp_path):
    """A writer that took its change-log seq first but commits last is still indexed.

    Without the change-log lock, the instance's own write would commit a higher seq first and
    its index would move past the lower one for good.
    """
    a, b = instances
    slow = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": a.env["DATABASE_URL"],
            "SEARCH_INDEX_DIR": str(tmp_path / "unused-index"),
            "SECRET_KEY": "search-tests",
        }
    )
    results: dict[str, Any] = {}
    with slow.app_context():
        solution = db.session.scalars(select(Solution).order_by(Solution.id)).first()
        solution.name = "Sent committet sneskavlregister"
        db.session.flush()  # this transaction now holds its change-log seq ...

        def write_through_a() -> None:
            results["slug"] = a.create("Ventetidsregister skrevet imens")

        writer = threading.Thread(target=write_through_a)
        writer.start()
        time.sleep(1.0)  # ... while a write through instance A starts and commits (or waits)
        db.session.commit()
        writer.join()
        slug = solution.slug
        db.session.remove()
        db.engine.dispose()
    assert a.finds("sneskavlregister") == {slug}
    assert b.finds("sneskavlregister") == {slug}
    assert a.finds("ventetidsregister") == b.finds("ventetidsregister") == {results["slug"]}
    a.check()
    b.check()
