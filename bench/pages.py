"""The list and detail endpoints of the API and the pages a person opens, as timed paths."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def pick_slug(database: Path) -> str:
    """Return the slug of the most adopted published solution (the richest detail page)."""
    connection = sqlite3.connect(database)
    try:
        row = connection.execute(
            "SELECT s.slug FROM solutions s LEFT JOIN adoptions a ON a.solution_id = s.id "
            "WHERE NOT s.is_draft GROUP BY s.id ORDER BY count(a.id) DESC, s.id LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    if row is None:
        raise RuntimeError(f"no published solution in {database}")
    return str(row[0])


def endpoint_requests(slug: str) -> list[list[str]]:
    """Return ``[label, path]`` of the API's list and detail endpoints."""
    return [
        ["API solutions list", "/api/v1/solutions?page_size=20"],
        ["API solution detail", f"/api/v1/solutions/{slug}"],
        ["API organisation", "/api/v1/organisations/5001"],
        ["API portfolio", "/api/v1/organisations/5001/portfolio"],
        ["API shared plans", "/api/v1/shared-plans"],
    ]


def page_requests(slug: str) -> list[list[str]]:
    """Return ``[label, path]`` of the HTML pages (those docs/PERFORMANCE.md reports)."""
    return [
        ["page /sok?q=barnehage", "/sok?q=barnehage"],
        ["page /sok (browse)", "/sok"],
        ["page /losninger/<slug>", f"/losninger/{slug}"],
        ["page /kommuner/5007", "/kommuner/5007"],
        ["page /kommuner/5001/portefolje", "/kommuner/5001/portefolje"],
        ["page /gevinster", "/gevinster"],
        ["page /gjenbruksmatrise", "/gjenbruksmatrise"],
        ["page /samarbeid-muligheter", "/samarbeid-muligheter"],
        ["page /", "/"],
    ]
