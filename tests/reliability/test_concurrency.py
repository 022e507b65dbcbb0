"""Many clients write at once through several gunicorn workers: nothing fails, nothing is lost.

Twelve client threads change three solutions they share and one each of their own, every
change conditional on the version the client read (If-Match); all of them try to record the
same adoptions and to create a solution of the same name at the same moment. On the suite's
database (SQLite, or PostgreSQL with TEST_DATABASE_URL):

- every write succeeds or is refused with 412 (someone changed it first) or 409 (the
  adoption exists, or a solution created at the same moment took the slug); never a 5xx,
  never a dropped connection;
- no lost update: the versions the successful changes of a solution got are all different,
  there are exactly as many as the version rose, and the solution ends as the change with the
  highest version left it;
- each adoption was recorded exactly once;
- afterwards the search index matches the database (``flask search check`` exits 0).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import solution_payload
from tests.reliability.servers import Gunicorn, fresh_database, reliability_env, request
from tests.search.servers import create_token, flask

pytestmark = [pytest.mark.server, pytest.mark.slow]

CLIENTS = 12
"""Client threads writing at once."""

ROUNDS = 10
"""Changes each client tries (half to a shared solution, half to its own)."""

SHARED = 3
"""Solutions every client changes."""

ORGANISATIONS = ("5001", "5006", "5007", "5035")
"""Organisations whose adoption of each shared solution every client tries to record."""

DEADLINE_SECONDS = 600.0
"""No client goes on past this (the suite must end even if the server hangs)."""


@dataclass(frozen=True)
class Write:
    """One conditional change a client sent and what came back."""

    slug: str
    marker: str
    status: int
    version: int | None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gunicorn, str]]:
    """Serve the example catalogue with four workers; yield the server and an admin token."""
    root: Path = tmp_path_factory.mktemp("concurrency")
    with fresh_database(root) as url:
        env = reliability_env(url, root)
        init = flask(env, "catalogue", "init")
        assert init.returncode == 0, init.stdout + init.stderr
        token = create_token(env, "5001", role="admin")
        gunicorn = Gunicorn(env, root, workers=4)
        gunicorn.start()
        try:
            yield gunicorn, token
        finally:
            gunicorn.stop()


def _create(base: str, auth: dict[str, str], name: str) -> tuple[str, int]:
    answer = request("POST", f"{base}/api/v1/solutions", solution_payload(name=name), auth)
    assert answer.status == 201, answer
    return answer.body["slug"], answer.body["version"]


def test_concurrent_conditional_writes_lose_nothing(server: tuple[Gunicorn, str]) -> None:
    gunicorn, token = server
    base, auth = gunicorn.url, {"Authorization": f"Bearer {token}"}
    shared = [_create(base, auth, f"Delt samtidighetsløsning {n}")[0] for n in range(SHARED)]
    own = [_create(base, auth, f"Egen samtidighetsløsning {c}")[0] for c in range(CLIENTS)]
    start_versions = {
        slug: request("GET", f"{base}/api/v1/solutions/{slug}").body["version"]
        for slug in shared + own
    }

    writes: list[Write] = []
    adoptions: list[tuple[str, str, int]] = []
    births: list[str] = []
    unexpected: list[tuple[str, str, object]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_SECONDS
    go = threading.Barrier(CLIENTS, timeout=60)

    def client(c: int) -> None:
        go.wait()
        # All at once, the same name: each wants the same slug; the losers hear 409.
        answer = request(
            "POST", f"{base}/api/v1/solutions", solution_payload(name="Samtidig født"), auth
        )
        with lock:
            if answer.status in (201, 409):
                births.append(answer.body["slug"] if answer.status == 201 else "")
            else:
                unexpected.append(("POST solution", "samtidig-fodt", answer))
        for r in range(ROUNDS):
            if time.monotonic() > deadline:
                return
            slug = shared[(c + r) % SHARED] if r % 2 == 0 else own[c]
            read = request("GET", f"{base}/api/v1/solutions/{slug}")
            if read.status != 200:
                with lock:
                    unexpected.append(("GET", slug, read))
                continue
            marker = f"Endret av klient {c} i runde {r}."
            answer = request(
                "PATCH",
                f"{base}/api/v1/solutions/{slug}",
                {"summary": marker, "tags": [f"klient{c}"]},
                {**auth, "If-Match": read.headers["ETag"]},
            )
            with lock:
                if answer.status in (200, 412):
                    version = answer.body["version"] if answer.status == 200 else None
                    writes.append(Write(slug, marker, answer.status, version))
                else:
                    unexpected.append(("PATCH", slug, answer))
            if r < len(ORGANISATIONS):
                target = shared[r % SHARED]
                organisation = ORGANISATIONS[(c + r) % len(ORGANISATIONS)]
                answer = request(
                    "POST",
                    f"{base}/api/v1/solutions/{target}/adoptions",
                    {"organisation": organisation, "status": "pilot"},
                    auth,
                )
                with lock:
                    if answer.status in (201, 409):
                        adoptions.append((target, organisation, answer.status))
                    else:
                        unexpected.append(("POST adoption", target, answer))

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert unexpected == []
    assert len(writes) == CLIENTS * ROUNDS

    by_solution: dict[str, list[Write]] = defaultdict(list)
    for write in writes:
        if write.status == 200:
            by_solution[write.slug].append(write)
    for slug in shared + own:
        done = by_solution[slug]
        versions = [write.version for write in done]
        assert len(set(versions)) == len(versions), f"{slug}: two writes got one version"
        final = request("GET", f"{base}/api/v1/solutions/{slug}").body
        # Each acknowledged change raised the version by one; adoptions do not touch it.
        assert final["version"] - start_versions[slug] == len(done), slug
        if done:
            last = max(done, key=lambda write: write.version or 0)
            assert final["version"] == last.version
            assert final["summary"] == last.marker
    for slug in own:  # nobody else wrote these: every change of their client went through
        assert len(by_solution[slug]) == ROUNDS // 2

    created: dict[tuple[str, str], int] = defaultdict(int)
    for target, organisation, status in adoptions:
        created[(target, organisation)] += status == 201
    assert all(count == 1 for count in created.values()), created
    for target in shared:
        listed = request("GET", f"{base}/api/v1/solutions/{target}/adoptions").body
        expected = {org for (slug, org) in created if slug == target}
        assert {a["organisation"]["kommunenummer"] for a in listed} == expected

    refused = sum(write.status == 412 for write in writes)
    print(f"{len(writes) - refused} changes went through, {refused} were refused with 412")
    born = [slug for slug in births if slug]
    assert len(births) == CLIENTS
    assert born
    assert len(set(born)) == len(born)
    for slug in born:
        assert request("GET", f"{base}/api/v1/solutions/{slug}").status == 200

    check = flask(gunicorn.env, "search", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    logs = gunicorn.logs()
    assert '" 500 ' not in logs, logs[-5000:]
    assert "Traceback" not in logs, logs[-5000:]
