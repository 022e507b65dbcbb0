"""Comparing kommuner and the search filters "not used by" and "used by at least N".

Every expectation is computed here from the adoption rows, independently of the services.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution


@pytest.fixture(scope="module")
def client(example_app):
    return example_app.test_client()


@pytest.fixture(scope="module")
def rows(example_app):
    """Return (statuses: org slug → solution slug → status, kommunenummer → slug)."""
    with example_app.app_context():
        found = db.session.execute(
            select(Organisation.slug, Solution.slug, Adoption.status)
            .join(Adoption.organisation)
            .join(Adoption.solution)
        ).all()
        numbers = dict(
            db.session.execute(
                select(Organisation.kommunenummer, Organisation.slug).where(
                    Organisation.kommunenummer.is_not(None)
                )
            ).all()
        )
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for org, solution, status in found:
        statuses[org][solution] = status
    return statuses, numbers


ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzæøå"


def _norwegian(name: str) -> list[int]:
    return [ALPHABET.find(c) if c in ALPHABET else ord(c) - 1000 for c in name.casefold()]


def _used(statuses: dict[str, dict[str, str]], org: str) -> set[str]:
    return {s for s, status in statuses[org].items() if status in ACTIVE_ADOPTION_STATUSES}


def _all_results(client, query: str) -> tuple[set[str], dict]:
    """Return every slug a search gives (all pages) and the first page's body."""
    slugs: set[str] = set()
    page, first = 1, None
    while True:
        response = client.get(f"/api/v1/search?{query}&page_size=100&page={page}")
        assert response.status_code == 200, response.json
        body = response.json
        first = first or body
        slugs |= {r["slug"] for r in body["results"]}
        if page * 100 >= body["total"]:
            return slugs, first
        page += 1


def _all_solutions(client) -> set[str]:
    return _all_results(client, "q=")[0]


# --- comparison --------------------------------------------------------------------------


def test_comparison_matches_the_adoption_rows(client, rows):
    statuses, _ = rows
    response = client.get("/api/v1/comparison?kommuner=5001,5006")
    assert response.status_code == 200, response.json
    body = response.json
    trondheim, steinkjer = _used(statuses, "trondheim"), _used(statuses, "steinkjer")
    assert trondheim
    assert steinkjer
    listed = {s["slug"]: s for g in body["groups"] for s in g["solutions"]}
    assert set(listed) == trondheim | steinkjer
    only = {slug: s["only"] for slug, s in listed.items() if s["only"]}
    assert only == {
        **dict.fromkeys(trondheim - steinkjer, "trondheim"),
        **dict.fromkeys(steinkjer - trondheim, "steinkjer"),
    }
    for slug, solution in listed.items():
        assert solution["statuses"] == {
            "trondheim": statuses["trondheim"].get(slug),
            "steinkjer": statuses["steinkjer"].get(slug),
        }
    totals = {o["slug"]: o for o in body["organisations"]}
    assert [o["slug"] for o in body["organisations"]] == ["trondheim", "steinkjer"]
    assert totals["trondheim"]["uses"] == len(trondheim)
    assert totals["trondheim"]["only_here"] == len(trondheim - steinkjer)
    assert totals["steinkjer"]["only_here"] == len(steinkjer - trondheim)
    assert body["shared_by_all"] == len(trondheim & steinkjer)


def test_comparison_groups_by_first_theme_with_themeless_last(client):
    body = client.get("/api/v1/comparison?kommuner=trondheim&kommuner=malvik&kommuner=5006").json
    names = [g["theme_name"] for g in body["groups"]]
    themed = [n for n in names if n is not None]
    assert names[: len(themed)] == themed  # no theme: last
    assert len(set(names)) == len(names)
    for group in body["groups"]:
        solution_names = [s["name"] for s in group["solutions"]]
        assert solution_names == sorted(solution_names, key=_norwegian)


def test_four_kommuner_and_repeats_of_one(client, rows):
    statuses, _ = rows
    body = client.get("/api/v1/comparison?kommuner=5001,5006,5001,malvik,5035").json
    assert [o["slug"] for o in body["organisations"]] == [
        "trondheim",
        "steinkjer",
        "malvik",
        "stjordal",
    ]
    union = set().union(*(_used(statuses, o) for o in ("trondheim", "steinkjer", "malvik")))
    union |= _used(statuses, "stjordal")
    assert {s["slug"] for g in body["groups"] for s in g["solutions"]} == union


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("kommuner=5001", "2 to 4"),
        ("kommuner=5001,5006,5007,5014,5025", "at most 4"),
        ("kommuner=5001,9999", "'9999'"),
        ("kommuner=5001,ikke-en-kommune", "'ikke-en-kommune'"),
        ("kommuner=5001,5001", "2 to 4"),
        ("kommuner=5001,trondheim", "twice"),
        ("kommuner=5001,%3Cscript%3E", "'<script>'"),
        ("", "kommuner"),
    ],
)
def test_bad_comparisons_answer_422_naming_kommuner(client, query, words):
    response = client.get(f"/api/v1/comparison?{query}")
    assert response.status_code == 422, response.json
    errors = response.json["errors"]["query"]
    assert "kommuner" in errors
    text = str(errors["kommuner"])
    assert words in text or words == "kommuner"


def test_comparison_is_documented(client):
    spec = client.get("/api/openapi.json").json
    operation = spec["paths"]["/api/v1/comparison"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"kommuner", "theme"}
    assert {"200", "422"} <= set(operation["responses"])


# --- search filters ----------------------------------------------------------------------


def test_not_adopted_by_and_adopted_by_give_what_one_runs_the_other_does_not(client, rows):
    statuses, _ = rows
    found, body = _all_results(client, "adopted_by=5001&not_adopted_by=5006")
    assert found == _used(statuses, "trondheim") - _used(statuses, "steinkjer")
    assert body["total"] == len(found)


def test_not_adopted_by_several_means_none_of_them(client, rows):
    statuses, _ = rows
    found, _ = _all_results(client, "not_adopted_by=trondheim&not_adopted_by=5006")
    everything = _all_solutions(client)
    assert found == everything - _used(statuses, "trondheim") - _used(statuses, "steinkjer")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7])
def test_min_adopters(client, rows, n):
    statuses, _ = rows
    users: dict[str, int] = defaultdict(int)
    for org in statuses:
        for solution in _used(statuses, org):
            users[solution] += 1
    found, body = _all_results(client, f"min_adopters={n}")
    assert found == {s for s, count in users.items() if count >= n}
    assert all(r["adoption_count"] >= n for r in body["results"])


def test_filter_counts_match_the_results_they_give(client, rows):
    statuses, _ = rows
    body = client.get("/api/v1/search?q=&adopted_by=5001&min_adopters=2").json
    facets = body["facets"]
    not_used = {v["value"]: v["count"] for v in facets["not_adopted_by"]}
    for slug in ("steinkjer", "malvik"):
        expected = _all_results(client, f"adopted_by=5001&min_adopters=2&not_adopted_by={slug}")
        assert not_used[slug] == len(expected[0])
    thresholds = {v["value"]: v for v in facets["min_adopters"]}
    assert thresholds["2"]["label"] == "Minst 2"
    assert [v["value"] for v in facets["min_adopters"]] == ["1", "2", "3", "5", "10"]
    for n in ("1", "3"):  # another threshold replaces the chosen one
        expected = _all_results(client, f"adopted_by=5001&min_adopters={n}")
        assert thresholds[n]["count"] == len(expected[0])
    names = [v["label"] for v in facets["not_adopted_by"]]
    assert names.index("Steinkjer kommune") < names.index("Ørland kommune")


def test_a_chosen_threshold_outside_the_steps_is_listed(client):
    facets = client.get("/api/v1/search?min_adopters=4").json["facets"]
    assert [v["value"] for v in facets["min_adopters"]] == ["1", "2", "3", "4", "5", "10"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("not_adopted_by=9999", "not_adopted_by"),
        ("min_adopters=-1", "min_adopters"),
        ("min_adopters=abc", "min_adopters"),
        ("min_adopters=100000", "min_adopters"),
        ("&".join(["not_adopted_by=5001"] * 51), "not_adopted_by"),
        # PostgreSQL refuses NUL bytes: such a value names nothing, and never reaches it.
        ("not_adopted_by=%00", "not_adopted_by"),
        ("adopted_by=%00", "adopted_by"),
        ("owner=a%00b", "owner"),
        ("theme=%00", "theme"),
        ("standard=x%00", "standard"),
    ],
)
def test_bad_filters_answer_4xx_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["query"]


def test_a_theme_keeps_its_group_and_the_whole_totals(client):
    everything = client.get("/api/v1/comparison?kommuner=5001,5006").json
    for group in everything["groups"]:
        key = group["theme"] or "uten-tema"
        one = client.get(f"/api/v1/comparison?kommuner=5001,5006&theme={key}")
        assert one.status_code == 200, one.json
        assert one.json["groups"] == [group]
        assert one.json["organisations"] == everything["organisations"]
        assert one.json["shared_by_all"] == everything["shared_by_all"]
    used = {g["theme"] for g in everything["groups"]}
    unused = client.get("/api/v1/themes").json
    spare = next((t["slug"] for t in unused if t["slug"] not in used), None)
    if spare is not None:
        assert (
            client.get(f"/api/v1/comparison?kommuner=5001,5006&theme={spare}").json["groups"] == []
        )


def test_an_unknown_theme_is_a_422_naming_theme(client):
    response = client.get("/api/v1/comparison?kommuner=5001,5006&theme=finnes-ikke")
    assert response.status_code == 422
    assert "theme" in response.json["errors"]["query"]
