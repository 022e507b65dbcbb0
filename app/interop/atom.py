"""Atom 1.0 feeds (RFC 4287), written with ElementTree so every text is escaped properly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET

from app.models.base import as_utc

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"


@dataclass
class Entry:
    """One entry: a solution that is new or has changed."""

    id: str
    title: str
    link: str
    updated: datetime
    published: datetime
    summary: str
    author: str
    categories: Sequence[tuple[str, str]] = field(default_factory=list)
    """(term, label) pairs: the LOS themes."""


def _stamp(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def write_feed(
    *,
    feed_id: str,
    title: str,
    self_link: str,
    alternate_link: str,
    updated: datetime,
    author: str,
    entries: Sequence[Entry],
) -> bytes:
    """Return the feed as UTF-8 XML."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "nb"})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", _stamp(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": ATOM_TYPE, "href": self_link})
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": alternate_link}
    )
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", author)
    _text(feed, "generator", "Gjenbrukskatalogen")
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", _stamp(item.updated))
        _text(entry, "published", _stamp(item.published))
        ET.SubElement(
            entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": item.link}
        )
        _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", item.author)
        _text(entry, "summary", item.summary, type="text")
        for term, label in item.categories:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": term, "label": label})
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
