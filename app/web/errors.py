"""Norwegian error pages for every path outside the API.

``app/errors.py`` maps exceptions to a status and hands non-API requests to the renderer
registered here. The page never shows the (English, technical) message meant for API clients:
each status has its own Norwegian title and explanation. The template uses no database, so the
page renders even when the database is what failed.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.wrappers import Response

from app.errors import register_page_renderer

log = logging.getLogger(__name__)

ERROR_TEXTS: dict[int, tuple[str, str]] = {
    400: (
        "Ugyldig forespørsel",
        "Adressen inneholder en verdi katalogen ikke forstår, for eksempel et sidetall som "
        "ikke finnes eller en sortering som ikke er støttet.",
    ),
    404: (
        "Siden finnes ikke",
        "Vi fant ikke siden du leter etter. Den kan være flyttet eller slettet, eller "
        "adressen kan være skrevet feil.",
    ),
    401: ("Du må logge inn", "Denne siden krever at du er logget inn."),
    403: (
        "Du har ikke tilgang",
        "Kontoen din kan ikke gjøre dette. Redaktører kan endre sin egen organisasjons "
        "løsninger og bruk; administratorer kan endre alt.",
    ),
    405: ("Metoden er ikke tillatt", "Denne adressen kan ikke brukes på den måten."),
    409: (
        "Endringen kolliderer med det som er lagret",
        "Noe av det du ville lagre finnes allerede, eller ble endret av noen andre i mellomtiden. "
        "Gå tilbake, last siden på nytt og prøv igjen.",
    ),
    412: (
        "Endret av noen andre",
        "Det du ville endre er endret av noen andre siden du åpnet det. Last siden på nytt og "
        "prøv igjen.",
    ),
    428: ("Versjon mangler", "Endringen må si hvilken versjon den bygger på. Last siden på nytt."),
    429: (
        "For mange forespørsler",
        "Du har sendt for mange forespørsler på kort tid. Vent litt og prøv igjen.",
    ),
    413: ("Forespørselen er for stor", "Innholdet du sendte er større enn katalogen tar imot."),
    422: (
        "Ugyldig søk",
        "Søket inneholder en verdi katalogen ikke kjenner, for eksempel et tema, en standard "
        "eller en kommune som ikke finnes. Fjern filteret og prøv igjen.",
    ),
    500: (
        "Noe gikk galt hos oss",
        "Det oppstod en feil i katalogen. Feilen er logget. Prøv igjen om litt.",
    ),
    503: (
        "Tjenesten er midlertidig utilgjengelig",
        "En del av katalogen svarer ikke akkurat nå. Prøv igjen om litt.",
    ),
}
"""Title and explanation of each status the site answers with a page."""


def error_title(code: int) -> str:
    """Return the Norwegian title of an error status."""
    return ERROR_TEXTS.get(code, ("Noe gikk galt", ""))[0]


def render_error_page(code: int, message: str) -> Response:
    """Return the Norwegian page for an error status (the message is for logs only)."""
    if code >= 500:
        log.warning("error page %s: %s", code, message)
    title, text = ERROR_TEXTS.get(
        code,
        ("Noe gikk galt", "Forespørselen kunne ikke behandles."),
    )
    body = render_template("web/error.html", code=code, title=title, text=text)
    return Response(body, status=code, mimetype="text/html")


def init_app(app: Flask) -> None:
    """Register the page renderer with the application's error handlers."""
    register_page_renderer(render_error_page)
