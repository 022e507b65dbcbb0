"""Jinja filters of the web pages: Norwegian dates, numbers, labels and Markdown."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from markupsafe import Markup

from app import labels
from app.models.base import as_utc
from app.web.markdown import render_markdown

MONTHS_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
"""Month names in bokmål (the server's locale may not have them)."""

LOCAL_ZONE = "Europe/Oslo"
"""The time zone of the times the pages show (the database keeps UTC)."""


def date_nb(value: date | datetime | None) -> str:
    """Format a date the Norwegian way: ``3. mars 2025``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).date()
    return f"{value.day}. {MONTHS_NB[value.month - 1]} {value.year}"


def iso_date(value: date | datetime | None) -> str:
    """Format a date for the ``datetime`` attribute of ``<time>``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).date()
    return value.isoformat()


def datetime_nb(value: datetime | None) -> str:
    """Format a moment in Norwegian time: ``3. mars 2025 kl. 14.05``."""
    if value is None:
        return ""
    moment = as_utc(value)
    try:
        moment = moment.astimezone(ZoneInfo(LOCAL_ZONE))
    except ZoneInfoNotFoundError:  # no time zone data installed: UTC, and say so
        return f"{date_nb(moment)} kl. {moment:%H.%M} (UTC)"
    return f"{date_nb(moment.date())} kl. {moment:%H.%M}"


def iso_datetime(value: datetime | None) -> str:
    """Format a moment for the ``datetime`` attribute of ``<time>`` (UTC)."""
    if value is None:
        return ""
    return as_utc(value).isoformat(timespec="seconds")


def number_nb(value: int | float | Decimal) -> str:
    """Format a number the Norwegian way: ``10 000``, ``2,5`` (space between thousands)."""
    if value != int(value):
        return f"{float(value):,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


NO_DATA = Markup(
    '<span class="muted" aria-hidden="true">–</span>'
    '<span class="visually-hidden">mangler data</span>'
)
"""A dash that tells screen readers there is no figure."""
NOT_COMPUTABLE = Markup(
    '<span class="muted" aria-hidden="true">–</span>'
    '<span class="visually-hidden">kan ikke beregnes</span>'
)


def kroner_nb(value: int | float | Decimal | None) -> Markup:
    """Return a sum in kroner (``10 000 kr``), or a dash read out as «mangler data».

    A filter, not a macro: the portfolio shows it thousands of times on one page.
    """
    if value is None:
        return NO_DATA
    # number_nb gives digits, commas and spaces only: nothing to escape.
    return Markup(number_nb(value) + "&nbsp;kr")  # noqa: S704


def years_nb(value: int | float | Decimal | None) -> Markup:
    """Return a payback time (``2,5 år``), or a dash read out as «kan ikke beregnes»."""
    if value is None:
        return NOT_COMPUTABLE
    return Markup(number_nb(value) + "&nbsp;år")  # noqa: S704


def plural(count: int, singular: str, plural_form: str) -> str:
    """Return ``count`` with the singular or plural noun: ``1 løsning``, ``3 løsninger``."""
    return f"{number_nb(count)} {singular if count == 1 else plural_form}"


def markdown(text: str | None) -> Markup:
    """Render publisher Markdown as sanitised HTML."""
    return render_markdown(text or "")


def init_app(app: Flask) -> None:
    """Register the filters and the label lookups on the app's Jinja environment."""
    app.jinja_env.filters.update(
        date_nb=date_nb,
        iso_date=iso_date,
        datetime_nb=datetime_nb,
        iso_datetime=iso_datetime,
        number_nb=number_nb,
        kr=kroner_nb,
        years=years_nb,
        plural=plural,
        markdown=markdown,
        kind_label=lambda v: labels.SOLUTION_KIND_LABELS.get(v, v),
        solution_status_label=lambda v: labels.SOLUTION_STATUS_LABELS.get(v, v),
        freshness_label=lambda v: labels.FRESHNESS_LABELS.get(v, v),
        lineage_label=lambda v: labels.LINEAGE_LABELS.get(v, v),
        adoption_status_label=lambda v: labels.ADOPTION_STATUS_LABELS.get(v, v),
        organisation_kind_label=lambda v: labels.ORGANISATION_KIND_LABELS.get(v, v),
        benefit_category_label=lambda v: labels.BENEFIT_CATEGORY_LABELS.get(v, v),
        benefit_unit_label=labels.benefit_unit_label,
        cost_kind_label=lambda v: labels.COST_KIND_LABELS.get(v, v),
        match_field_label=lambda v: labels.MATCH_FIELD_LABELS.get(v, v),
        cost_category_label=lambda v: labels.COST_CATEGORY_LABELS.get(v, v),
        cost_payer_label=lambda v: labels.COST_PAYER_LABELS.get(v, v),
        webhook_topic_label=lambda v: labels.WEBHOOK_TOPIC_LABELS.get(v, v),
        webhook_status_label=lambda v: labels.WEBHOOK_DELIVERY_STATUS_LABELS.get(v, v),
        webhook_event_label=labels.webhook_event_label,
    )
