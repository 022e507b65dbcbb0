"""Never drift, tested on real processes: gunicorn with several workers, writers killed with
SIGKILL between their commit and the indexing, while indexing and while rebuilding.

One catalogue (SQLite file, example data) is served for the whole module; each test leaves
the database and the index in step, which the next one relies on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT, solution_payload
from tests.search.servers import (
    catalogue_env,
    create_token,
    flask,
    gunicorn,
    http,
    python,
    search_url,
)

pytestmark = [pytest.mark.server, pytest.mark.slow]

PROBES = 12
"""Searches after each write, each on a new connection: with 3 workers, all of them answer."""


class Served:
    """The served catalogue: its URL, its environment, an admin token and its folders."""

    def __init__(self, url: str, env: dict[str, str], token: str, root: Path, log: Path):
        self.url, self.env, self.token, self.root, self.log = url, env, token, root, log

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def search(self, **params: Any) -> dict[str, Any]:
        status, body = http("GET", search_url(self.url, **params))
        assert status == 200, body
        return body

    def create(self, name: str, **fields: Any) -> str:
        status, body = http(
            "POST",
            f"{self.url}/api/v1/solutions",
            solution_payload(name=name, **fields),
            self.auth,
        )
        assert status == 201, body
        return body["slug"]

    def check(self) -> subprocess.CompletedProcess:
        return flask(self.env, "search", "check")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("live-search")
    env = catalogue_env(f"sqlite:///{root / 'catalogue.sqlite'}", root / "index")
    init = flask(env, "catalogue", "init")
    assert init.returncode == 0, init.stdout + init.stderr
    token = create_token(env, "5001")
    log = root / "gunicorn.log"
    with gunicorn(env, log, workers=3) as url:
        yield Served(url, env, token, root, log)
    assert "LockError" not in log.read_text()


def test_a_write_is_searchable_through_every_worker_at_once(served):
    # Made-up words that no other solution holds, whole or as a part of a compound.
    for n, word in enumerate(["zorbix", "quallor", "vexmir", "xandul"]):
        slug = served.create(f"Kvernkallregister {word}", tags=[f"bekk{n}"])
        # Every search after the write answered — whichever worker takes it — finds it.
        for _ in range(PROBES):
            assert [r["slug"] for r in served.search(q=word)["results"]] == [slug]


def test_concurrent_writes_all_land_and_nothing_fails(served):
    failures: list[Any] = []
    created: list[str] = []

    def writer(worker: int) -> None:
        for n in range(5):
            name = f"Samtidig skriving{worker}x{n}"
            status, body = http(
                "POST", f"{served.url}/api/v1/solutions", solution_payload(name=name), served.auth
            )
            if status != 201:
                failures.append((status, body))
                continue
            created.append(body["slug"])
            status, body = http(
                "PATCH",
                f"{served.url}/api/v1/solutions/{body['slug']}",
                {"tags": ["samtidig"]},
                {**served.auth, "If-Match": '"1"'},
            )
            if status != 200:
                failures.append((status, body))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(created) == 20
    for _ in range(PROBES):
        body = served.search(q="samtidig", page_size=100)
        assert sorted(r["slug"] for r in body["results"]) == sorted(created)
    check = served.check()
    assert check.returncode == 0, check.stderr
    assert " 500 " not in served.log.read_text()


KILL_AFTER_COMMIT = """
import os, signal
from app import create_app
from app.extensions import db
from app.schemas.solution import SolutionSchema
from app.services.permissions import SYSTEM
from app.services.solutions import build_solution
from tests.conftest import solution_payload

app = create_app()
with app.app_context():
    data = SolutionSchema().load(solution_payload(name="Drept etter commit"))
    build_solution(data, actor=SYSTEM)
    db.session.commit()
    # The change is committed with its change-log row; the indexing that would follow never runs.
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_between_commit_and_indexing_loses_nothing(served):
    killed = python(served.env, KILL_AFTER_COMMIT)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "the change log has entries the index has not applied" in served.check().stderr
    # The next search, in any worker, applies the log first.
    for _ in range(PROBES):
        assert served.search(q="drept")["results"][0]["name"] == "Drept etter commit"
    assert served.check().returncode == 0


TOUCH_ALL = """
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.models import Solution

app = create_app()
with app.app_context():
    for round in range(8):
        for solution in db.session.scalars(select(Solution)):
            solution.summary = f"{solution.summary.split(' ~')[0]} ~runde{round}"
        db.session.commit()  # committed without indexing: the log grows
"""

CATCH_UP = """
from app import create_app, search
app = create_app()
with app.app_context():
    print(search.catch_up(), flush=True)
"""


def test_an_indexer_killed_while_indexing_loses_nothing(served):
    for delay in (0.3, 0.8, 1.3, 1.8):
        touched = python(served.env, TOUCH_ALL)
        assert touched.returncode == 0, touched.stderr
        indexer = subprocess.Popen(
            [sys.executable, "-c", CATCH_UP], cwd=PROJECT_ROOT, env=served.env
        )
        time.sleep(delay)  # a kill at some point of the catch-up (or after it, which is fine)
        indexer.send_signal(signal.SIGKILL)
        indexer.wait()
        # Whatever the kill interrupted, the index is readable and catches up by itself.
        assert served.search(q="runde7")["total"] > 60
    assert served.check().returncode == 0


def test_search_keeps_answering_while_rebuild_swaps(served):
    expected = served.search()["total"]
    rebuild = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "search", "rebuild"],
        cwd=PROJECT_ROOT,
        env=served.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answers = 0
    while rebuild.poll() is None:
        assert served.search()["total"] == expected
        answers += 1
    output, _ = rebuild.communicate()
    assert rebuild.returncode == 0, output
    assert f"Indexed {expected} solutions" in output
    assert answers > 0
    for _ in range(PROBES):  # every worker has moved to the new generation
        assert served.search()["total"] == expected
    assert served.check().returncode == 0


def test_a_rebuild_killed_midway_loses_nothing(served):
    index_root = served.root / "index"
    live_before = os.readlink(index_root / "current")
    rebuild = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "search", "rebuild"],
        cwd=PROJECT_ROOT,
        env=served.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not any(p.is_dir() for p in index_root.glob("build-*")):
        assert rebuild.poll() is None, "the rebuild ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    rebuild.send_signal(signal.SIGKILL)
    rebuild.wait()
    assert os.readlink(index_root / "current") == live_before
    slug = served.create("Skrevet etter avbrutt bygging")
    assert served.search(q="avbrutt")["results"][0]["slug"] == slug
    assert served.check().returncode == 0
    # The next rebuild clears away what the killed one left.
    assert flask(served.env, "search", "rebuild").returncode == 0
    assert not any(index_root.glob("build-*"))
    assert served.search(q="avbrutt")["results"][0]["slug"] == slug
