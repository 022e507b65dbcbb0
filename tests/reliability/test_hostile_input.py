"""Hostile input, sent to the API and the pages: each is a clean 4xx or is rendered inert.

Oversized and deeply nested bodies, invalid UTF-8, huge query strings, Whoosh query syntax,
SQL metacharacters and script tags in every text field. In-process (the Flask test client on
the real database); what only a real HTTP server sees (an over-long request line, huge or too
many headers) is sent to gunicorn at the end of the module.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Solution
from tests.conftest import auth, solution_payload
from tests.reliability.servers import Gunicorn, fresh_database, reliability_env
from tests.search.servers import flask

SCRIPT = "<script>alert('gk')</script>"
"""A script tag; nowhere in a page may it appear as written."""

EVENT_HANDLER = re.compile(r"<[a-z]+[^>]*\son[a-z]+\s*=", re.IGNORECASE)
"""A tag with an event handler attribute (escaped text, ``&lt;b onclick``, does not match)."""

SCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
"""A link, image or form that would run a script."""

WHOOSH_SYNTAX = [
    "*",
    "?",
    "kvern*",
    "*kall",
    "kvern~",
    "kvern~2",
    "~",
    '"unbalanced',
    'kvern "',
    "(kvern",
    "kvern)",
    "[a TO",
    "[a TO z]",
    "{a TO z}",
    "name:kvern",
    "summary:",
    ":",
    "doctype:state",
    "id:__state__",
    "AND",
    "OR",
    "NOT",
    "kvern AND",
    "AND OR NOT",
    "NOT NOT NOT kvern",
    "kvern^5",
    "^",
    "\\",
    "kvern\\",
    "<>",
    "+kvern -kall",
    "a" * 200,
    "kvern " * 30,
]
"""Query syntax Whoosh's parser would read specially, and its malformed forms."""

SQL_METACHARACTERS = [
    "' OR '1'='1",
    "'; DROP TABLE solutions; --",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "%' --",
    "\\'; --",
    "_%",
]
"""Text that would change a query if it were ever pasted into SQL."""


def _is_clean_error(response, *statuses: int) -> bool:
    """A JSON error of the API's shape with one of ``statuses``."""
    return (
        response.status_code in statuses
        and response.is_json
        and response.json["code"] == response.status_code
        and "message" in response.json
    )


@pytest.fixture
def publisher(make_token: Callable[..., str]) -> dict[str, str]:
    """Return the headers of a publisher of Namsos (5007)."""
    return auth(make_token("5007"))


# -- Bodies -------------------------------------------------------------------------------------


def test_oversized_bodies_are_413(app: Flask, client: FlaskClient, publisher, make_solution):
    limit = app.config["MAX_CONTENT_LENGTH"]
    slug = make_solution()
    big = json.dumps(solution_payload(description="x" * (limit + 1))).encode()
    for method, path in (
        ("POST", "/api/v1/solutions"),
        ("PUT", f"/api/v1/solutions/{slug}"),
        ("PATCH", f"/api/v1/solutions/{slug}"),
        ("POST", f"/api/v1/solutions/{slug}/adoptions"),
        ("POST", "/api/v1/organisations/5007/adoptions/import"),
    ):
        response = client.open(
            path,
            method=method,
            data=big,
            headers={**publisher, "If-Match": '"1"', "Content-Type": "application/json"},
        )
        assert _is_clean_error(response, 413), (method, path, response.data[:200])
    yaml = client.post(
        "/api/v1/import/publiccode",
        data=b"name: " + b"x" * (limit + 1),
        headers={**publisher, "Content-Type": "application/yaml"},
    )
    assert _is_clean_error(yaml, 413)
    page = client.post("/sok", data={"q": "x" * (limit + 1)})
    assert page.status_code == 413
    assert "Forespørselen er for stor" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Solution.id))) == 1


def test_deeply_nested_json_is_422(client: FlaskClient, publisher, make_solution):
    slug = make_solution()
    deep = "[" * 100_000 + "]" * 100_000
    inside = '{"contact": {"name": ' + "{" * 5_000 + "}" * 5_000 + "}}"
    for method, path, body in (
        ("POST", "/api/v1/solutions", deep),
        ("PATCH", f"/api/v1/solutions/{slug}", deep),
        ("PATCH", f"/api/v1/solutions/{slug}", inside.replace("{}", '{"a": 1}')),
        ("POST", f"/api/v1/solutions/{slug}/adoptions", '{"organisation": ' + deep + "}"),
    ):
        response = client.open(
            path,
            method=method,
            data=body,
            headers={**publisher, "If-Match": '"1"', "Content-Type": "application/json"},
        )
        assert _is_clean_error(response, 422), (path, response.data[:300])


def test_invalid_utf8_is_a_clean_4xx(client: FlaskClient, publisher, make_solution):
    slug = make_solution()
    for body in (b'{"name": "\xff\xfe Ugyldig"}', b"\xc3\x28", b'{"summary": "\xed\xa0\x80"}'):
        response = client.patch(
            f"/api/v1/solutions/{slug}",
            data=body,
            headers={**publisher, "If-Match": '"1"', "Content-Type": "application/json"},
        )
        assert _is_clean_error(response, 422), response.data[:300]
    # Escaped lone surrogates are valid JSON but no text of the catalogue.
    lone = client.patch(
        f"/api/v1/solutions/{slug}",
        data=b'{"summary": "Ugyldig \\ud800 tegn i teksten"}',
        headers={**publisher, "If-Match": '"1"', "Content-Type": "application/json"},
    )
    assert _is_clean_error(lone, 422)
    assert "summary" in lone.json["errors"]["json"]
    # In the URL and the headers: decoded as far as possible, never a server error.
    for path in (
        "/api/v1/search?q=%ff%fe",
        "/api/v1/solutions?tag=%ff",
        "/api/v1/solutions/%ff%fe",
        "/sok?q=%ff%fe",
        "/losninger/%ff%fe",
        "/kommuner/%c3%28",
    ):
        response = client.get(path)
        assert response.status_code in (200, 400, 404, 422), (path, response.status_code)
    weird_etag = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"summary": "Endret med rart If-Match-felt."},
        headers={**publisher, "If-Match": '"\xff\xfe"'},
    )
    assert _is_clean_error(weird_etag, 412)


# -- Query strings and search syntax ------------------------------------------------------------


def test_huge_query_strings_are_clean(client: FlaskClient):
    for path in (
        "/api/v1/search?q=" + "kvern%20" * 5_000,
        "/api/v1/search/suggest?q=" + "k" * 10_000,
        "/api/v1/search?" + "&".join(["theme=helse"] * 2_000),
        "/api/v1/solutions?" + "&".join([f"tag=t{n}" for n in range(2_000)]),
        "/api/v1/organisations?kind=" + "k" * 10_000,
    ):
        response = client.get(path)
        assert _is_clean_error(response, 422), (path[:60], response.status_code)
    past_the_end = client.get("/api/v1/solutions?page=" + "9" * 400)
    assert past_the_end.status_code == 200  # an empty page; the database is never asked
    assert past_the_end.json == []
    for path in (
        "/sok?q=" + "kvern%20" * 5_000,
        "/sok?" + "&".join(["theme=helse"] * 2_000),
        "/sok?page=" + "9" * 400,
        "/sok/forslag?q=" + "k" * 10_000,
    ):
        response = client.get(path)
        assert response.status_code == 400, (path[:60], response.status_code)
        assert "Ugyldig forespørsel" in response.get_data(as_text=True)


@pytest.mark.parametrize("q", WHOOSH_SYNTAX)
def test_whoosh_syntax_is_just_text(client: FlaskClient, make_solution, q: str):
    make_solution(name="Kvernkallregister", tags=["kvern"])
    api = client.get("/api/v1/search", query_string={"q": q})
    assert api.status_code in (200, 422), api.data[:300]
    if api.status_code == 200:
        # Nothing outside the solutions is ever a hit (the index's own state document).
        assert all(hit["slug"] for hit in api.json["results"])
    else:
        assert _is_clean_error(api, 422)
    suggest = client.get("/api/v1/search/suggest", query_string={"q": q})
    assert suggest.status_code in (200, 422)
    page = client.get("/sok", query_string={"q": q})
    assert page.status_code in (200, 400), page.status_code
    assert client.get("/sok/forslag", query_string={"q": q}).status_code in (200, 400)


def test_control_characters_in_a_search(client: FlaskClient, make_solution):
    make_solution(name="Kvernkallregister")
    assert _is_clean_error(client.get("/api/v1/search?q=kvern%00"), 422)
    for path in ("/sok?q=kvern%00", "/sok?q=%00", "/sok/forslag?q=%00%01"):
        assert client.get(path).status_code in (200, 400), path


@pytest.mark.parametrize("text", SQL_METACHARACTERS)
def test_sql_metacharacters_are_data(
    app: Flask, client: FlaskClient, publisher, make_solution, text: str
):
    make_solution(name="Kvernkallregister")
    name = f"Løsning {text}"
    created = client.post(
        "/api/v1/solutions",
        json=solution_payload(name=name, summary=f"Oppsummering {text}", tags=[text[:60]]),
        headers=publisher,
    )
    assert created.status_code == 201, created.json
    slug = created.json["slug"]
    assert client.get(f"/api/v1/solutions/{slug}").json["name"] == name
    for path, params in (
        ("/api/v1/search", {"q": text}),
        ("/api/v1/search", {"owner": text}),
        ("/api/v1/search", {"theme": text}),
        ("/api/v1/solutions", {"tag": text}),
        ("/api/v1/solutions", {"owner": text}),
        ("/api/v1/organisations", {"kind": text}),
        (f"/api/v1/solutions/{text}", {}),
        (f"/api/v1/organisations/{text}/solutions", {}),
        ("/sok", {"q": text, "owner": text}),
        (f"/losninger/{text}", {}),
        (f"/kommuner/{text}", {}),
    ):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400, 404, 422), (path, params, response.status_code)
    tagged = client.get("/api/v1/solutions", query_string={"tag": text[:60].strip().lower()})
    assert [s["slug"] for s in tagged.json] == [slug]
    with app.app_context():  # every table is still there, every row too
        assert db.session.scalar(select(func.count(Solution.id))) == 2


# -- Script tags --------------------------------------------------------------------------------


def test_script_tags_in_every_text_field_are_inert(
    app: Flask, client: FlaskClient, publisher, make_solution
):
    body = solution_payload(
        name=f"Skjema {SCRIPT}",
        summary=f"Oppsummering {SCRIPT} med mer tekst.",
        description=(
            f"Beskrivelse {SCRIPT}\n\n<img src=x onerror=alert(1)>\n\n"
            '[lenke](javascript:alert(1)) <a href="javascript:alert(1)">a</a>\n\n'
            '<iframe src="https://example.org"></iframe> <b onclick="alert(1)">fet</b>'
        ),
        vendor=f"Leverandør {SCRIPT}",
        licence=f"MIT {SCRIPT}",
        tags=["<script>", "onerror=alert(1)"],
        contact={"name": f"Kari {SCRIPT}", "role": f"Rådgiver {SCRIPT}"},
    )
    created = client.post("/api/v1/solutions", json=body, headers=publisher)
    assert created.status_code == 201, created.json
    slug = created.json["slug"]
    adoption = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={
            "organisation": "5007",
            "status": "in_use",
            "notes": f"Notat {SCRIPT}",
            "contact": {"name": f"Ola {SCRIPT}", "role": f"Leder {SCRIPT}"},
        },
        headers=publisher,
    )
    assert adoption.status_code == 201, adoption.json
    bad_link = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"links": {"homepage": "javascript:alert(1)"}},
        headers={**publisher, "If-Match": f'"{created.json["version"]}"'},
    )
    assert _is_clean_error(bad_link, 422)

    # The API hands the text back as it was written, as JSON (inert, nosniff).
    read = client.get(f"/api/v1/solutions/{slug}")
    assert read.json["name"] == f"Skjema {SCRIPT}"
    assert read.headers["X-Content-Type-Options"] == "nosniff"

    pages = [
        f"/losninger/{slug}",
        f"/losninger/{slug}/historikk",
        "/sok?q=skjema",
        "/sok?q=script",
        "/sok?q=" + SCRIPT,
        "/kommuner/namsos",
        "/",
        "/feed.atom",
        "/kommuner/namsos/feed.atom",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html, path
        assert not EVENT_HANDLER.search(html), path
        assert not SCRIPT_URL.search(html), path
        assert "<iframe" not in html, path
        assert "<img src=x" not in html, path
    page = client.get(f"/losninger/{slug}").get_data(as_text=True)
    assert "Skjema &lt;script&gt;" in page  # shown, as text
    assert "Notat &lt;script&gt;" in page or "Ola &lt;script&gt;" in page
    assert (
        "default-src 'self'" in client.get(f"/losninger/{slug}").headers["Content-Security-Policy"]
    )


# -- What only a real HTTP server sees ---------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """Serve the example catalogue with two workers."""
    root: Path = tmp_path_factory.mktemp("hostile")
    with fresh_database(root) as url:
        env = reliability_env(url, root)
        init = flask(env, "catalogue", "init")
        assert init.returncode == 0, init.stdout + init.stderr
        gunicorn = Gunicorn(env, root, workers=2)
        gunicorn.start()
        try:
            yield gunicorn
        finally:
            gunicorn.stop()


def _raw(url: str, request: bytes) -> bytes:
    """Send raw bytes to the server; return what it answers (the status line first)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(request)
        answer = b""
        while len(answer) < 65536:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /api/v1/search?q=" + b"k" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /sok HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 20_000 + b"\r\n\r\n",
        b"GET /sok HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % n for n in range(200)),
        b"GET /api/v1/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /sok?q=\xc3\x28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /api/v1/solutions HTTP/1.1\r\nHost: x\r\nIf-Match: \xff\xfe\r\n\r\n",
        b"POST /api/v1/solutions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{",
        b"POST /api/v1/solutions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=[
        "long-request-line",
        "huge-header",
        "many-headers",
        "raw-invalid-utf8-query",
        "raw-invalid-utf8-page",
        "raw-invalid-utf8-header",
        "absurd-content-length",
        "broken-chunking",
    ],
)
def test_what_only_a_server_sees_is_a_clean_4xx(server: Gunicorn, request_bytes: bytes):
    if not request_bytes.endswith(b"\r\n\r\n") and b"\r\n\r\n" not in request_bytes:
        request_bytes += b"\r\n"
    if b"Connection:" not in request_bytes:
        request_bytes = request_bytes.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
    answer = _raw(server.url, request_bytes)
    status_line = answer.split(b"\r\n", 1)[0]
    match = re.match(rb"HTTP/1\.[01] (\d{3})", status_line)
    assert match, answer[:300]
    status = int(match.group(1))
    assert 200 <= status < 500, answer[:500]
    assert b"Traceback" not in answer
    assert '" 500 ' not in server.logs()
