"""The index follows every write, ranks as promised, and says so when it cannot be used.

Each test has its own database and index (the ``app`` fixture).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import search
from app.extensions import db
from app.models import Organisation, Solution
from app.schemas.solution import SolutionSchema
from app.search.schema import SCHEMA_VERSION
from app.services import solutions
from app.services.permissions import SYSTEM
from app.services.transaction import commit
from tests.conftest import auth, solution_payload
from tests.search.conftest import find, slugs


def _search(client, q: str = "", **params) -> dict:
    response = client.get("/api/v1/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.json
    return response.json


def test_every_write_reaches_search(client, make_token):
    token = make_token("5007")
    body = solution_payload(name="Kvernkallregister for bekker", tags=["kvernkall"])
    created = client.post("/api/v1/solutions", json=body, headers=auth(token))
    assert created.status_code == 201, created.json
    slug = created.json["slug"]
    assert [r["slug"] for r in _search(client, "kvernkall")["results"]] == [slug]

    changed = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"name": "Nøkkenregister for bekker", "tags": ["nøkken"]},
        headers=auth(token, 1),
    )
    assert changed.status_code == 200, changed.json
    assert _search(client, "kvernkall")["total"] == 0
    assert _search(client, "nøkken")["results"][0]["name"] == "Nøkkenregister for bekker"

    adopted = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "in_use"},
        headers=auth(token),
    )
    assert adopted.status_code == 201, adopted.json
    result = _search(client, "nøkken", adopted_by="5007")
    assert result["results"][0]["adoption_count"] == 1
    assert {"value": "namsos", "label": "Namsos kommune", "count": 1} in result["facets"][
        "adopted_by"
    ]

    deleted = client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, 2))
    assert deleted.status_code == 204, deleted.data
    assert _search(client, "nøkken")["total"] == 0
    assert _search(client)["total"] == 0


def test_highlights_escape_the_texts(app, make_solution):
    make_solution(
        name="Skjema <b>fet</b> & søknad",
        summary="Et <script>alert('x')</script> skjema for søknad om noe.",
    )
    hit = find(app, "søknad").hits[0]
    assert hit.highlights["name"] == "Skjema &lt;b&gt;fet&lt;/b&gt; &amp; <mark>søknad</mark>"
    assert hit.highlights["summary"] == (
        "Et &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; skjema for <mark>søknad</mark> om noe."
    )


def test_name_ranks_above_summary_above_description(app, make_solution):
    in_description = make_solution(
        name="Alfa register", summary="Et register over alt mulig.", description="Om kvernkall."
    )
    in_summary = make_solution(
        name="Beta register", summary="Et register over kvernkall.", description="Om alt."
    )
    in_name = make_solution(
        name="Kvernkall register", summary="Et register over alt mulig.", description="Om alt."
    )
    assert slugs(find(app, "kvernkall")) == [in_name, in_summary, in_description]


def test_exact_words_rank_above_compound_parts(app, make_solution):
    compound = make_solution(name="Helsestasjon for barn", summary="Timebestilling for barn.")
    exact = make_solution(name="Helse for barn", summary="Timebestilling for barn.")
    assert slugs(find(app, "helse")) == [exact, compound]


def test_production_and_adoption_break_ties(app, make_solution):
    pilot = make_solution(name="Tvillingregister", status="pilot")
    production = make_solution(name="Tvillingregister", status="production")
    assert slugs(find(app, "tvillingregister")) == [production, pilot]

    with app.app_context():
        from app.services.adoptions import record_adoption

        record_adoption(pilot, "5001", {"status": "in_use"}, actor=SYSTEM)
    assert slugs(find(app, "tvillingregister")) == [pilot, production]


def test_renaming_an_organisation_renames_its_facet_value(app, make_solution):
    make_solution(owner="5007")
    with app.app_context():
        namsos = db.session.scalar(select(Organisation).where(Organisation.slug == "namsos"))
        namsos.name = "Namsos kommune (ny)"
        commit(actor=None)
    owners = {v.value: v.label for v in find(app).facets["owner"]}
    assert owners == {"namsos": "Namsos kommune (ny)"}
    assert find(app, "ny", page_size=5).total == 1  # the owner's name is searchable too


def test_renaming_a_vendor_organisation_renames_its_vendor_facet_value(app, make_solution):
    make_solution(vendor_organisation="5001")
    with app.app_context():
        trondheim = db.session.scalar(select(Organisation).where(Organisation.slug == "trondheim"))
        trondheim.name = "Trondheim Leverandørtjenester"
        commit(actor=None)
    vendors = {v.value for v in find(app).facets["vendor"]}
    assert vendors == {"Trondheim Leverandørtjenester"}
    assert find(app, "leverandørtjenester").total == 1


def test_a_commit_that_was_never_indexed_is_found_by_the_next_search(app):
    """A process that dies after its commit and before indexing leaves the change in the log."""
    with app.app_context():
        data = SolutionSchema().load(solution_payload(name="Glemt kvernkall"))
        solution = solutions.build_solution(data, actor=SYSTEM)
        db.session.commit()  # committed, not indexed: what a kill right after commit leaves
        slug = solution.slug
        assert search.check() == [
            "the change log has entries the index has not applied",
            f"missing from index: {slug}",
        ]
    assert slugs(find(app, "kvernkall")) == [slug]
    with app.app_context():
        assert search.check() == []


def test_check_lists_drift_and_rebuild_repairs_it(app, runner, make_solution):
    slug = make_solution(name="Kvernkallregister")
    gone = make_solution(name="Fossekallregister")
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    with app.app_context():
        # Changes behind the catalogue's back (no change log): what `check` exists to find.
        db.session.execute(
            text("UPDATE solutions SET name = 'Endret' WHERE slug = :s"), {"s": slug}
        )
        db.session.execute(text("DELETE FROM solutions WHERE slug = :s"), {"s": gone})
        db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"out of date in index: {slug} (name)" in result.output
    assert f"in index but not in database: {gone}" in result.output
    assert "2 difference(s)" in result.output

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indekserer løsninger" in result.output  # the progress bar
    assert "Indexed 1 solutions" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert [h.solution.name for h in find(app, "endret").hits] == ["Endret"]


def _live_dir(app) -> Path:
    with app.app_context():
        live = search.store().live_dir()
    assert live is not None
    return live


def test_missing_index_is_503_and_catalogue_init_repairs_it(app, client, runner, make_token):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    response = client.get("/api/v1/search?q=søknad")
    assert response.status_code == 503
    assert response.is_json
    assert "search rebuild" in response.json["message"]
    assert client.get("/api/v1/search/suggest?q=sø").status_code == 503
    assert client.get("/healthz").status_code == 503
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 2
    assert "index unusable" in check.output

    # The rest of the catalogue keeps working, writes included.
    assert client.get("/api/v1/solutions").status_code == 200
    token = make_token("5007")
    body = solution_payload(name="Skrevet uten indeks")
    assert client.post("/api/v1/solutions", json=body, headers=auth(token)).status_code == 201

    result = runner.invoke(args=["catalogue", "init"])
    assert result.exit_code == 0, result.output
    assert _search(client, "indeks")["results"][0]["name"] == "Skrevet uten indeks"
    assert client.get("/healthz").status_code == 200


def test_corrupt_index_is_503_and_rebuild_repairs_it(app, client, runner, make_solution):
    make_solution(name="Kvernkallregister")
    live = _live_dir(app)
    for path in live.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    with app.app_context():
        search.reader().close()  # what a new worker process sees
    response = client.get("/api/v1/search?q=kvernkall")
    assert response.status_code == 503
    assert "search rebuild" in response.json["message"]
    assert client.get("/api/v1/solutions").status_code == 200

    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert _search(client, "kvernkall")["total"] == 1


@pytest.mark.parametrize(
    "state",
    [
        {"watermark": 0},  # an older schema
        # A changed word list (catalogue_data/search/) splits compounds another way: the
        # index's parts would no longer be the query's.
        {"watermark": 0, "schema": SCHEMA_VERSION, "lexicon": "000000000000"},
    ],
)
def test_an_index_of_another_version_is_503_until_rebuilt(app, client, runner, state):
    with app.app_context():
        ix = search.store().open_live()
        writer = ix.writer()
        writer.update_document(id="__state__", doctype="state", state=json.dumps(state))
        writer.commit()
        ix.close()
    response = client.get("/api/v1/search")
    assert response.status_code == 503
    assert "another version" in response.json["message"]
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert client.get("/api/v1/search").status_code == 200


def test_rebuild_removes_builds_whose_builder_died(app, runner):
    root = Path(app.config["SEARCH_INDEX_DIR"])
    dead = root / "build-deadbeef0000"
    dead.mkdir()
    (root / "build-deadbeef0000.lock").touch()
    running = root / "build-running00000"
    running.mkdir()
    held = os.open(root / "build-running00000.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
        assert not dead.exists()
        assert running.exists()  # another rebuild still holds its lock
    finally:
        os.close(held)
    old = sorted(p.name for p in root.glob("gen-*"))
    assert len(old) <= 2
    with app.app_context():
        assert db.session.scalar(select(Solution.id)) is None
