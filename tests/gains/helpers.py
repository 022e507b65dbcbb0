"""Read the figures back from what a person gets: the page's tables and figures, the downloads.

Nothing here calls the code under test: the tests compare what these read with sums they work
out themselves from the database rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, AdoptionStatusChange, Benefit, Solution

FIXED = {"time_saved": "hours_per_year", "cost_saved": "nok_per_year"}


class Tables(HTMLParser):
    """Collect every ``<table>`` of a page as {caption: [row cells as text]} (header row too)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows, self._name = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"} and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in {"td", "th"} and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Return the page's tables by caption."""
    parser = Tables()
    parser.feed(html)
    return parser.tables


def number(text: str) -> Decimal:
    """Read a Norwegian number as the page writes it: ``36 435``, ``27,5`` (unit words ignored)."""
    match = re.match(r"-?[\d\s\u00a0]+(,\d+)?", text.strip())
    assert match, text
    return Decimal(re.sub(r"[\s\u00a0]", "", match.group(0)).replace(",", "."))


def figure(html: str, name: str) -> Decimal:
    """Return the number of the ``data-figure="name"`` element."""
    match = re.search(rf'data-figure="{re.escape(name)}">([^<]+)<', html)
    assert match, name
    return number(match.group(1))


def benefit_rows(*conditions: Any) -> list[Any]:
    """Return every benefit as a plain row, with its adoption's solution and organisation ids."""
    return list(
        db.session.execute(
            select(
                Benefit.category,
                Benefit.unit,
                Benefit.expected_value,
                Benefit.realised_value,
                Benefit.is_measured,
                Adoption.id.label("adoption_id"),
                Adoption.solution_id,
                Adoption.organisation_id,
            )
            .join(Adoption, Adoption.id == Benefit.adoption_id)
            .where(*conditions)
        )
    )


def sums(rows: list[Any]) -> dict[tuple[str, str], dict[str, Decimal | int]]:
    """Return expected, realised, count and measured by (category, unit), added up in Python."""
    out: dict[tuple[str, str], dict[str, Decimal | int]] = defaultdict(
        lambda: {"expected": Decimal(0), "realised": Decimal(0), "benefits": 0, "measured": 0}
    )
    for row in rows:
        total = out[(row.category, row.unit)]
        total["expected"] += row.expected_value or 0
        total["realised"] += row.realised_value or 0
        total["benefits"] += 1
        total["measured"] += int(row.is_measured)
    return dict(out)


def theme_slugs() -> dict[int, list[str]]:
    """Return solution id → the slugs of its themes (through the ORM relationship)."""
    return {s.id: [t.slug for t in s.themes] for s in db.session.scalars(select(Solution))}


def status_at_year_end(until: date) -> dict[int, dict[str, int]]:
    """Return year → status → how many adoptions had that status at the end of each year.

    Worked out by hand from the dated status changes, up to ``until`` (the current year counts
    up to that day).
    """
    changes: dict[int, list[Any]] = defaultdict(list)
    for change in db.session.scalars(select(AdoptionStatusChange)):
        if change.changed_on <= until:
            changes[change.adoption_id].append(change)
    years = [c.changed_on.year for history in changes.values() for c in history]
    out: dict[int, dict[str, int]] = {}
    for year in range(min(years, default=until.year), until.year + 1):
        counts: dict[str, int] = defaultdict(int)
        for history in changes.values():
            status = None
            for change in sorted(history, key=lambda c: (c.changed_on, c.id)):
                if change.changed_on.year <= year:
                    status = change.status
            if status:
                counts[status] += 1
        out[year] = dict(counts)
    return out
