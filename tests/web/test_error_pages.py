"""Error pages that need an app of their own: a crash (500) and a broken search index (503)."""

from __future__ import annotations

import shutil

from flask import Flask

from tests.web.test_pages import assert_layout, get_page


def test_internal_error_is_a_norwegian_500(catalogue_app: Flask) -> None:
    catalogue_app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("boom")

    catalogue_app.add_url_rule("/krasj", "krasj", broken)
    html, page = get_page(catalogue_app.test_client(), "/krasj", status=500)
    assert page.h1() == "Noe gikk galt hos oss"
    assert_layout(page)
    assert "boom" not in html


def test_unusable_index_gives_503_page_and_the_rest_still_works(catalogue_app: Flask) -> None:
    from app import search

    with catalogue_app.app_context():
        search.reader().close()
    shutil.rmtree(catalogue_app.config["SEARCH_INDEX_DIR"])
    client = catalogue_app.test_client()
    html, _ = get_page(client, "/sok?q=byggesak", status=503)
    assert client.get("/sok").headers["Retry-After"] == "30"
    assert "Søket er midlertidig utilgjengelig" in html
    # Suggestions degrade to none; every other page keeps working.
    assert client.get("/sok/forslag?q=bygg").json == ["bygg", [], [], []]
    get_page(client, "/losninger/digital-byggesaksbehandling")
    get_page(client, "/kommuner/5007")
    get_page(client, "/")
