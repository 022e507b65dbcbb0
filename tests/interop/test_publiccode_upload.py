"""Uploading a publiccode.yml on the site (/losninger/ny/publiccode): the API's import, for
editors in a browser, with every problem of the file shown in bokmål by its key path."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.accounts.browser import csp_watch, serve
from tests.accounts.conftest import PASSWORD, csrf_token, page_text
from tests.accounts.test_browser import axe, sign_in
from tests.interop.conftest import reference_files
from tests.interop.test_publiccode_import import EXPECTED_KEYS, NEEDS_NETWORK, _file

URL = "/losninger/ny/publiccode"
SOURCE_URL = "https://github.com/italia/developers.italia.it.git"
"""The ``url`` of the reference test files: the key the import finds a solution by."""

Clients = Callable[[str | None], FlaskClient]


def upload(
    client: FlaskClient,
    raw: bytes | None = None,
    *,
    text: str = "",
    owner: str | None = None,
    with_csrf: bool = True,
) -> Any:
    """Post the upload form as a browser would (multipart, with the session's CSRF token)."""
    form: dict[str, Any] = {"yaml": text}
    if with_csrf:
        form["csrf_token"] = csrf_token(client, URL)
    if raw is not None:
        form["publiccode"] = (io.BytesIO(raw), "publiccode.yml")
    if owner is not None:
        form["owner"] = owner
    return client.post(URL, data=form, content_type="multipart/form-data")


def solution_count(client: FlaskClient) -> int:
    """Return how many (published) solutions the catalogue lists."""
    return int(json.loads(client.get("/api/v1/solutions").headers["X-Pagination"])["total"])


def solution_json(client: FlaskClient, slug: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/solutions/{slug}")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def slug_of(response: Any) -> str:
    """Return the slug of the solution page an import redirected to."""
    assert response.status_code == 303, page_text(response)
    match = re.fullmatch(r"/losninger/([a-z0-9-]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def test_anonymous_visitors_are_sent_to_the_login(client: FlaskClient, testdata: Path) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logg-inn?neste=/losninger/ny/publiccode")
    token = csrf_token(client)  # a valid form post, only without an account
    posted = client.post(
        URL,
        data={"csrf_token": token, "publiccode": (io.BytesIO(b"name: x"), "publiccode.yml")},
        content_type="multipart/form-data",
    )
    assert posted.status_code == 302
    assert posted.headers["Location"].startswith("/logg-inn")
    assert solution_count(client) == 0


def test_the_dashboard_links_to_the_upload(client_for: Clients) -> None:
    page = client_for("editor").get("/min-side").get_data(as_text=True)
    assert f'href="{URL}"' in page


def test_the_form_is_labelled_and_posts_a_file_with_a_csrf_token(client_for: Clients) -> None:
    response = client_for("editor").get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrf_token"' in html
    assert '<label class="field__label" for="f-publiccode">' in html
    assert 'id="f-publiccode" name="publiccode" type="file"' in html
    assert 'for="f-yaml"' in html
    assert "høyst 1 MB" in html
    assert 'name="owner"' not in html  # an editor imports into their own organisation
    assert "Namsos kommune som eier" in page_text(response)
    assert 'name="owner"' in client_for("admin").get(URL).get_data(as_text=True)


def test_an_editor_uploads_a_valid_file_and_the_solution_appears(
    client_for: Clients, testdata: Path
) -> None:
    editor = client_for("editor")
    response = upload(editor, (testdata / "valid" / "valid.yml").read_bytes())
    slug = slug_of(response)
    page = editor.get(response.headers["Location"])
    text = page_text(page)
    assert "Løsningen er opprettet fra publiccode.yml." in text
    assert "Merknad til categories: Katalogen tar høyst 20 stikkord" in text

    s = solution_json(editor, slug)
    assert s["name"] == "Medusa"
    assert s["owner"] == "namsos"
    assert s["summary"] == "A really interesting software."
    assert s["description"].startswith("Very long description of this software")
    assert s["status"] == "development"
    assert s["kind"] == "system"
    assert s["licence"] == "AGPL-3.0-or-later"
    assert s["vendor"] == "Fornitore Privato SPA"
    assert s["links"] == {
        "homepage": "https://developers.italia.it",
        "documentation": "https://docs.italia.it",
        "source_code": SOURCE_URL,
    }
    assert s["contact"]["email"] == "francesco.rossi@example.org"
    assert s["themes"] == ["demokrati-og-innbyggerrettigheter"]
    assert len(s["tags"]) == 20
    assert solution_count(editor) == 1


def test_pasted_yaml_imports_like_a_file(client_for: Clients) -> None:
    editor = client_for("editor")
    slug = slug_of(upload(editor, text=_file().decode()))
    s = solution_json(editor, slug)
    assert s["name"] == "Timebok helsestasjon"
    assert s["themes"] == ["helse-og-omsorg"]
    assert s["standards"] == ["id-porten"]


def test_an_invalid_file_shows_its_key_paths_and_changes_nothing(client_for: Clients) -> None:
    editor = client_for("editor")
    slug = slug_of(upload(editor, _file()))
    before = solution_json(editor, slug)
    count = solution_count(editor)

    bad = _file(nb_short="x" * 151, status="ferdig")
    response = upload(editor, bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Feil: Importer en løsning fra publiccode.yml" in text  # the page title says it
    assert "Filen ble ikke importert: 2 feil må rettes" in text
    assert (
        "<code>description.nb.shortDescription</code> (linje 18): Kan ha høyst 150 tegn (har 151)."
        in html
    )
    assert "<code>developmentStatus</code> (linje 7): Må være en av disse verdiene:" in html
    assert '<div class="error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#f-publiccode"' in html  # each problem leads to the file input
    assert 'aria-invalid="true"' in html
    assert "Filen har 2 feil. Se listen over." in text

    # The catalogue's own rules are named by the file's keys too (summary: 10 characters).
    short = upload(editor, _file(nb_short="Kort"))
    assert short.status_code == 422
    assert "<code>description.nb.shortDescription</code>" in short.get_data(as_text=True)
    assert "Katalogen krever mellom 10 og 500 tegn." in page_text(short)

    assert solution_count(editor) == count
    assert solution_json(editor, slug) == before


def test_a_pasted_invalid_file_stays_in_the_textarea(client_for: Clients) -> None:
    editor = client_for("editor")
    response = upload(editor, text="name: [unclosed")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Hele filen: Filen er ikke gyldig YAML" in page_text(response)
    assert 'href="#f-yaml"' in html
    assert ">name: [unclosed</textarea>" in html
    assert solution_count(editor) == 0


def test_no_file_at_all_is_a_form_error(client_for: Clients) -> None:
    response = upload(client_for("editor"))
    assert response.status_code == 422
    assert "publiccode.yml-fil: Velg en publiccode.yml-fil, eller lim inn innholdet av den." in (
        page_text(response)
    )


def test_every_invalid_reference_file_is_explained_in_norwegian(client_for: Clients) -> None:
    """Each key the API names is on the page, and no message falls back to the generic one."""
    editor = client_for("editor")
    for path in reference_files("invalid"):
        if path.name in NEEDS_NETWORK:
            continue
        response = upload(editor, path.read_bytes())
        assert response.status_code == 422, path.name
        html = response.get_data(as_text=True)
        for key in EXPECTED_KEYS[path.name]:
            shown = "Hele filen" if key == "(file)" else f"<code>{key}</code>"
            assert shown in html, (path.name, key)
        assert "Verdien er ugyldig." not in html, path.name
    assert solution_count(editor) == 0


def test_uploading_again_updates_the_same_solution(client_for: Clients) -> None:
    editor = client_for("editor")
    slug = slug_of(upload(editor, _file()))
    first = solution_json(editor, slug)

    again = upload(editor, _file(status="obsolete"))
    assert slug_of(again) == slug
    assert "Løsningen er oppdatert fra publiccode.yml." in page_text(
        editor.get(again.headers["Location"])
    )
    updated = solution_json(editor, slug)
    assert updated["status"] == "retired"
    assert updated["version"] > first["version"]

    same = upload(editor, _file(status="obsolete"))
    assert slug_of(same) == slug
    assert "Filen inneholdt ingen endringer." in page_text(editor.get(same.headers["Location"]))
    assert solution_json(editor, slug)["version"] == updated["version"]
    assert solution_count(editor) == 1


def test_a_post_without_the_csrf_token_is_refused(client_for: Clients) -> None:
    editor = client_for("editor")
    response = upload(editor, _file(), with_csrf=False)
    assert response.status_code == 400
    assert "Skjemaet kunne ikke sendes" in page_text(response)
    assert solution_count(editor) == 0


def test_an_editor_of_another_organisation_may_not_import_over_their_solution(
    client_for: Clients,
) -> None:
    owner = client_for("editor")  # Namsos
    slug = slug_of(upload(owner, _file()))
    before = solution_json(owner, slug)

    other = client_for("other")  # Trondheim: the same url is Namsos's solution
    response = upload(other, _file(status="obsolete"))
    assert response.status_code == 403
    text = page_text(response)
    assert "Filen ble ikke importert" in text
    assert "en løsning (samme url) som en annen organisasjon eier" in text
    assert "Trondheim kommune eier" in text
    assert solution_json(owner, slug) == before
    assert solution_count(owner) == 1


def test_an_admin_chooses_the_owner(client_for: Clients) -> None:
    admin = client_for("admin")
    slug = slug_of(upload(admin, _file(), owner="namsos"))
    assert solution_json(admin, slug)["owner"] == "namsos"
    # Left empty, an update keeps the owner the solution has.
    slug_of(upload(admin, _file(status="obsolete"), owner=""))
    assert solution_json(admin, slug)["owner"] == "namsos"
    unknown = upload(admin, _file(), owner="finnes-ikke")
    assert unknown.status_code == 422
    assert "Eier: Velg en organisasjon som finnes i katalogen." in page_text(unknown)


def test_a_file_over_the_size_limit_gets_the_form_again(client_for: Clients) -> None:
    editor = client_for("editor")
    big = b"# " + b"x" * (1024 * 1024) + b"\n"
    # Encoded here, in memory: the test client would spool a body this big to a temporary
    # file that it never closes (a ResourceWarning, an error under filterwarnings).
    boundary, body = encode_multipart(
        {"csrf_token": csrf_token(editor, URL), "publiccode": FileStorage(io.BytesIO(big), "a.yml")}
    )
    response = editor.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "publiccode.yml-fil: Filen er for stor. Katalogen tar imot høyst 1 MB." in (
        page_text(response)
    )
    assert 'name="csrf_token"' in response.get_data(as_text=True)  # ready to try again
    # Other pages keep the general answer.
    assert editor.post("/losninger/ny", data={"x": "y" * (1024 * 1024)}).status_code == 413


# ---- In a real browser ----


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Serve a fresh catalogue with gunicorn for the browser test, with an editor of Namsos."""
    served = serve(tmp_path_factory.mktemp("upload-live"))
    catalogue = next(served)
    try:
        catalogue.create_user("kari@namsos.kommune.no", "5007", password=PASSWORD)
        yield catalogue
    finally:
        served.close()  # stops gunicorn


@pytest.mark.browser
@pytest.mark.server
def test_the_form_with_errors_passes_axe_in_chromium(
    browser: Any,
    live: Any,
    testdata: Path,
) -> None:
    context = browser.new_context(
        base_url=live.url, viewport={"width": 1280, "height": 900}, locale="nb-NO"
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        violations = csp_watch(page)
        sign_in(page, "kari@namsos.kommune.no", PASSWORD)
        page.wait_for_url(re.compile(r"/min-side$"))
        page.get_by_role("link", name="Importer fra publiccode.yml").click()
        page.wait_for_url(re.compile(r"/losninger/ny/publiccode$"))

        invalid = testdata / "invalid" / "mostly_empty.yml"
        page.get_by_label("publiccode.yml-fil").set_input_files(str(invalid))
        page.get_by_role("button", name="Importer filen").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        assert "description.en-US.shortDescription" in summary.inner_text()
        assert axe(page) == []

        page.get_by_label("publiccode.yml-fil").set_input_files(
            str(testdata / "valid" / "valid.yml")
        )
        page.get_by_role("button", name="Importer filen").click()
        page.wait_for_url(re.compile(r"/losninger/medusa$"))
        assert (
            "Løsningen er opprettet fra publiccode.yml." in page.get_by_role("status").inner_text()
        )
        assert violations == []
    finally:
        context.close()
