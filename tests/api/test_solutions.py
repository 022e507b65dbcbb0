"""/api/v1/solutions: list (filters, sorting, pages), read, publish, change, delete.

Permissions are in ``test_permissions.py``, bad input in ``test_validation.py``.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import yaml

from tests.conftest import DATA_DIR, auth, solution_payload

ISSUE_EXAMPLE = {
    "name": "Digital startlånsøknad",
    "summary": "Søknad om startlån fra Husbanken, behandlet digitalt.",
    "description": "…",
    "kind": "service",
    "status": "production",
    "owner": "5007",
    "themes": ["bygg-og-eiendom"],
}
"""The minimal create request of issue 2, verbatim."""


def test_the_minimal_create_request_of_the_issue_works_as_shown(client, make_token):
    response = client.post("/api/v1/solutions", json=ISSUE_EXAMPLE, headers=auth(make_token()))

    assert response.status_code == 201, response.json
    body = response.json
    assert body["slug"] == "digital-startlansoknad"
    assert response.headers["ETag"] == '"1"'
    assert body["version"] == 1
    assert body["owner"] == "namsos"
    assert body["owner_detail"]["kommunenummer"] == "5007"
    assert body["themes"] == ["bygg-og-eiendom"]
    assert body["is_example"] is False
    read = client.get(f"/api/v1/solutions/{body['slug']}")
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    assert read.json["name"] == "Digital startlånsøknad"


def test_owner_may_be_given_by_slug(client, make_token):
    body = solution_payload(owner="namsos")
    response = client.post("/api/v1/solutions", json=body, headers=auth(make_token("5007")))
    assert response.status_code == 201, response.json
    assert response.json["owner_detail"]["slug"] == "namsos"


def test_create_read_replace_patch_delete(client, make_token):
    token = make_token("5007")
    full = solution_payload(
        standards=["husbanken-startlan", "id-porten"],
        tags=["Startlån", " bolig "],
        vendor="Eksempel AS",
        vendor_organisation="trondheim",
        licence="MIT",
        links={"homepage": "https://startlan.example.no", "source_code": "https://git.example/x"},
        contact={"name": "Kari Nordmann", "role": "Rådgiver", "email": "kari@namsos.example"},
    )
    created = client.post("/api/v1/solutions", json=full, headers=auth(token))
    assert created.status_code == 201, created.json
    slug = created.json["slug"]
    assert created.json["tags"] == ["bolig", "startlån"]
    assert sorted(created.json["standards"]) == ["husbanken-startlan", "id-porten"]
    assert created.json["vendor_organisation"] == "trondheim"
    assert created.json["links"]["homepage"] == "https://startlan.example.no"
    assert created.json["contact"]["email"] == "kari@namsos.example"

    read = client.get(f"/api/v1/solutions/{slug}")
    assert read.status_code == 200
    assert read.json == created.json

    # PUT replaces: what the body leaves out is cleared; the slug stays though the name changes.
    replaced = client.put(
        f"/api/v1/solutions/{slug}",
        json=solution_payload(name="Startlån på nett", status="pilot"),
        headers=auth(token, 1),
    )
    assert replaced.status_code == 200, replaced.json
    assert replaced.headers["ETag"] == '"2"'
    assert replaced.json["slug"] == slug
    assert replaced.json["name"] == "Startlån på nett"
    assert replaced.json["status"] == "pilot"
    assert replaced.json["tags"] == []
    assert replaced.json["standards"] == []
    assert replaced.json["vendor_organisation"] is None
    assert replaced.json["contact"] == {"name": None, "role": None, "email": None}
    assert replaced.json["links"]["homepage"] is None

    # PATCH changes only what it names, nested objects included.
    patched = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"summary": "Søknad om startlån, nå helt digital.", "contact": {"name": "Ola"}},
        headers=auth(token, 2),
    )
    assert patched.status_code == 200, patched.json
    assert patched.headers["ETag"] == '"3"'
    assert patched.json["summary"] == "Søknad om startlån, nå helt digital."
    assert patched.json["name"] == "Startlån på nett"
    assert patched.json["status"] == "pilot"
    assert patched.json["contact"]["name"] == "Ola"
    again = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"contact": {"email": "ola@namsos.example"}},
        headers=auth(token, 3),
    )
    assert again.json["contact"] == {"name": "Ola", "role": None, "email": "ola@namsos.example"}

    deleted = client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, 4))
    assert deleted.status_code == 204
    assert deleted.get_data() == b""
    assert client.get(f"/api/v1/solutions/{slug}").status_code == 404
    listed = client.get("/api/v1/solutions").json
    assert slug not in [s["slug"] for s in listed]


def test_the_same_name_twice_gets_a_second_slug(client, make_token):
    token = make_token("5007")
    first = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token))
    second = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token))
    assert first.status_code == second.status_code == 201
    assert second.json["slug"] == f"{first.json['slug']}-2"


def test_deleting_a_solution_removes_its_adoptions(app, client, make_token, make_solution):
    slug = make_solution()
    admin = make_token("5001", role="admin")
    adopted = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "in_use"},
        headers=auth(admin),
    )
    assert adopted.status_code == 201
    assert client.delete(f"/api/v1/solutions/{slug}", headers=auth(admin, 1)).status_code == 204
    assert client.get("/api/v1/organisations/5001/adoptions").json == []


def test_the_detail_shows_adoptions_and_their_count(client, make_token, make_solution):
    slug = make_solution()
    admin = make_token("5001", role="admin")
    for org, status in (("5001", "in_use"), ("steinkjer", "pilot"), ("5014", "considering")):
        client.post(
            f"/api/v1/solutions/{slug}/adoptions",
            json={"organisation": org, "status": status},
            headers=auth(admin),
        )
    detail = client.get(f"/api/v1/solutions/{slug}").json
    assert sorted(a["organisation"]["slug"] for a in detail["adoptions"]) == [
        "froya",
        "steinkjer",
        "trondheim",
    ]
    assert detail["adoption_count"] == 2  # pilot and in use count, considering does not
    listed = client.get("/api/v1/solutions").json
    assert [s["adoption_count"] for s in listed if s["slug"] == slug] == [2]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/solutions/no-such-solution",
        "/api/v1/solutions/no-such-solution/adoptions",
        "/api/v1/solutions/no-such-solution/adoptions/5001",
        "/api/v1/solutions/Digital-Startlansoknad",
        "/api/v1/solutions/%C3%A6%C3%B8%C3%A5",
    ],
)
def test_missing_solutions_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["code"] == 404
    assert response.json["status"] == "Not Found"
    assert response.json["message"]


def test_timestamps_are_utc_with_offset(client, make_token):
    token = make_token("5007")
    created = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json
    slug = created["slug"]
    patched = client.patch(
        f"/api/v1/solutions/{slug}", json={"tags": ["ny"]}, headers=auth(token, 1)
    ).json
    for body in (created, patched):
        for key in ("created_at", "updated_at"):
            stamp = datetime.fromisoformat(body[key])
            assert stamp.utcoffset() is not None
            assert stamp.utcoffset().total_seconds() == 0
    assert patched["created_at"] == created["created_at"]
    assert datetime.fromisoformat(patched["updated_at"]) >= datetime.fromisoformat(
        created["updated_at"]
    )


# --- versions and ETags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"themes": ["bygg-og-eiendom", "naring"]},
        {"standards": ["noark-5"]},
        {"tags": ["startlån"]},
        {"name": "Nytt navn på løsningen"},
        {"links": {"homepage": "https://example.no"}},
        {"contact": {"email": "a@b.no"}},
    ],
    ids=["themes", "standards", "tags", "name", "links", "contact"],
)
def test_every_change_raises_the_version(client, make_token, change):
    token = make_token("5007")
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    response = client.patch(f"/api/v1/solutions/{slug}", json=change, headers=auth(token, 1))
    assert response.status_code == 200, response.json
    assert response.json["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert client.get(f"/api/v1/solutions/{slug}").headers["ETag"] == '"2"'


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_changes_need_the_current_etag(client, make_token, method):
    token = make_token("5007")
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    client.patch(f"/api/v1/solutions/{slug}", json={"tags": ["a"]}, headers=auth(token, 1))
    url = f"/api/v1/solutions/{slug}"
    body = solution_payload(summary="En ny og lengre oppsummering.") if method != "DELETE" else None

    def send(headers):
        return client.open(url, method=method, json=body, headers=headers)

    missing = send(auth(token))
    assert missing.status_code == 428
    assert "If-Match" in missing.json["message"]
    for stale in ('"1"', '"3"', "*", "garbage", '"2", "1"'):
        response = send({**auth(token), "If-Match": stale})
        assert response.status_code == 412, stale
        assert response.json["code"] == 412
    assert client.get(url).headers["ETag"] == '"2"'  # nothing changed meanwhile

    current = send(auth(token, 2))
    assert current.status_code == (204 if method == "DELETE" else 200), current.json
    if method != "DELETE":
        assert current.headers["ETag"] == '"3"'
        assert client.get(url).headers["ETag"] == '"3"'
    else:
        assert client.get(url).status_code == 404


def test_two_editors_with_the_same_etag_cannot_both_win(client, make_token):
    token = make_token("5007")
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    first = client.patch(
        f"/api/v1/solutions/{slug}", json={"name": "Første redaktør"}, headers=auth(token, 1)
    )
    second = client.patch(
        f"/api/v1/solutions/{slug}", json={"name": "Andre redaktør"}, headers=auth(token, 1)
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert client.get(f"/api/v1/solutions/{slug}").json["name"] == "Første redaktør"


# --- listing ----------------------------------------------------------------------------------


@pytest.fixture
def three_solutions(make_solution) -> dict[str, str]:
    """Three solutions that differ in every filterable field; name → slug."""
    return {
        "a": make_solution(
            name="Alfa byggesak",
            kind="service",
            status="production",
            owner="5007",
            themes=["bygg-og-eiendom"],
            standards=["noark-5", "ebyggesak"],
            tags=["byggesak"],
        ),
        "b": make_solution(
            name="Beta velferd",
            kind="system",
            status="pilot",
            owner="5001",
            themes=["helse-og-omsorg"],
            standards=["fiks-svarut"],
            tags=["helse", "velferdsteknologi"],
        ),
        "c": make_solution(
            name="Gamma robot",
            kind="automation",
            status="idea",
            owner="steinkjer",
            themes=["bygg-og-eiendom", "naring"],
            tags=["rpa", "byggesak"],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abc"),
        ("kind=system", "b"),
        ("kind=system&kind=automation", "bc"),
        ("status=pilot", "b"),
        ("status=production&status=idea", "ac"),
        ("theme=bygg-og-eiendom", "ac"),
        ("theme=naring", "c"),
        ("standard=noark-5", "a"),
        ("standard=fiks-svarut&standard=ebyggesak", "ab"),
        ("owner=5001", "b"),
        ("owner=steinkjer", "c"),
        ("owner=5007&owner=trondheim", "ab"),
        ("owner=9999", ""),
        ("tag=byggesak", "ac"),
        ("tag=RPA", "c"),
        ("tag=velferdsteknologi", "b"),
        ("theme=bygg-og-eiendom&kind=service", "a"),
        ("theme=bygg-og-eiendom&tag=rpa&owner=5006", "c"),
        ("theme=arbeid", ""),
    ],
)
def test_filters_are_or_within_and_across(client, three_solutions, query, expected):
    response = client.get(f"/api/v1/solutions?{query}")
    assert response.status_code == 200, response.json
    assert [s["slug"] for s in response.json] == [three_solutions[k] for k in expected]
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", "abc"),
        ("-name", "cba"),
        ("created_at", "abc"),
        ("-created_at", "cba"),
    ],
)
def test_sorting(client, three_solutions, sort, expected):
    response = client.get(f"/api/v1/solutions?sort={sort}")
    assert [s["slug"] for s in response.json] == [three_solutions[k] for k in expected]


def test_sorting_by_last_change(client, make_token, three_solutions):
    admin = make_token("5001", role="admin")
    client.patch(
        f"/api/v1/solutions/{three_solutions['a']}", json={"tags": ["x"]}, headers=auth(admin, 1)
    )
    slugs = [s["slug"] for s in client.get("/api/v1/solutions?sort=-updated_at").json]
    assert slugs[0] == three_solutions["a"]
    slugs = [s["slug"] for s in client.get("/api/v1/solutions?sort=updated_at").json]
    assert slugs[-1] == three_solutions["a"]


def test_pages_cover_the_whole_catalogue_once(catalogue_app):
    client = catalogue_app.test_client()
    doc = yaml.safe_load((DATA_DIR / "solutions.yaml").read_text(encoding="utf-8"))
    expected = len(doc["solutions"])
    seen: list[str] = []
    page = 1
    while True:
        response = client.get(f"/api/v1/solutions?page={page}&page_size=7&sort=-name")
        assert response.status_code == 200
        pagination = json.loads(response.headers["X-Pagination"])
        assert pagination["total"] == expected
        assert pagination["total_pages"] == -(-expected // 7)
        assert pagination["page"] == page
        seen += [s["slug"] for s in response.json]
        if "next_page" not in pagination:
            break
        assert pagination["next_page"] == page + 1
        page += 1
    assert len(seen) == len(set(seen)) == expected
    assert seen == sorted(seen, key=lambda s: seen.index(s))  # stable, no page overlaps
    names = [s["name"] for s in client.get("/api/v1/solutions?page_size=100&sort=-name").json]
    assert names == sorted(names, reverse=True)
    assert len(client.get("/api/v1/solutions").json) == 20  # the default page size
    past_end = client.get(f"/api/v1/solutions?page={page + 1}&page_size=7")
    assert past_end.status_code == 200
    assert past_end.json == []


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page_size=0", "page_size=101", "sort=price", "kind=robot"],
)
def test_bad_list_arguments_are_422(client, query):
    response = client.get(f"/api/v1/solutions?{query}")
    assert response.status_code == 422
    assert response.json["errors"]["query"]


def test_a_huge_page_number_is_an_empty_page(client, three_solutions):
    response = client.get(f"/api/v1/solutions?page={10**30}")
    assert response.status_code == 200
    assert response.json == []
