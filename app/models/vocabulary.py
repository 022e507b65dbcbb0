"""Vocabularies loaded from data: LOS themes and national standards/common components."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Theme(db.Model):
    """A main theme of the national LOS vocabulary (``Tema``)."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    uri: Mapped[str] = mapped_column(String(300), unique=True)

    def __repr__(self) -> str:
        return f"<Theme {self.id} {self.slug!r}>"


class Standard(db.Model):
    """A national standard or common component a solution builds on (Noark 5, Fiks, ...)."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(40), default="standard")

    def __repr__(self) -> str:
        return f"<Standard {self.id} {self.slug!r}>"
