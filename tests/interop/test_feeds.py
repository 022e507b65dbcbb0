"""Atom feeds: /feed.atom, /tema/<slug>/feed.atom, /kommuner/<ref>/feed.atom."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

A = "{http://www.w3.org/2005/Atom}"


def _feed(client: FlaskClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own feed, not untrusted input
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}").text  # type: ignore[union-attr]
    assert root.find(f"{A}author/{A}name") is not None
    for entry in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{A}{tag}").text  # type: ignore[union-attr]
        link = entry.find(f"{A}link[@rel='alternate']")
        assert link is not None
        assert "/losninger/" in link.get("href", "")
    return root


def test_catalogue_feed_lists_newest_changes_first(catalogue_app: Flask) -> None:
    root = _feed(catalogue_app.test_client(), "/feed.atom")
    entries = root.findall(f"{A}entry")
    assert 0 < len(entries) <= 50
    stamps = [e.find(f"{A}updated").text for e in entries]  # type: ignore[union-attr]
    assert stamps == sorted(stamps, reverse=True)
    assert root.find(f"{A}link[@rel='self']").get("href") == "http://localhost/feed.atom"  # type: ignore[union-attr]


def test_theme_and_organisation_feeds(catalogue_app: Flask) -> None:
    client = catalogue_app.test_client()
    theme = _feed(client, "/tema/bygg-og-eiendom/feed.atom")
    assert "Bygg og eiendom" in theme.find(f"{A}title").text  # type: ignore[union-attr, operator]
    terms = {c.get("term") for c in theme.iter(f"{A}category")}
    assert "https://psi.norge.no/los/tema/bygg-og-eiendom" in terms
    owner = _feed(client, "/kommuner/5001/feed.atom")
    assert "Trondheim kommune" in owner.find(f"{A}title").text  # type: ignore[union-attr, operator]
    authors = {e.find(f"{A}author/{A}name").text for e in owner.findall(f"{A}entry")}  # type: ignore[union-attr]
    assert authors == {"Trondheim kommune"}


def test_text_is_escaped(client: FlaskClient, make_solution: Callable[..., str]) -> None:
    make_solution(name='Skjema <b>& "sånn"', summary="Tekst med <script>alert(1)</script> & mer.")
    response = client.get("/feed.atom")
    assert b"<script>" not in response.data
    root = _feed(client, "/feed.atom")
    entry = root.find(f"{A}entry")
    assert entry.find(f"{A}title").text == 'Skjema <b>& "sånn"'  # type: ignore[union-attr]


def test_empty_feed_is_valid(client: FlaskClient) -> None:
    root = _feed(client, "/feed.atom")
    assert root.findall(f"{A}entry") == []


@pytest.mark.parametrize("path", ["/tema/finnes-ikke/feed.atom", "/kommuner/9999/feed.atom"])
def test_unknown_theme_or_organisation_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404
