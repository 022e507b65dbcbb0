"""Single-value checks of publiccode.yml: URLs, dates, languages, licences, lengths.

Each check returns ``None`` when the value is fine, else the message (the wording follows the
reference validator, italia/publiccode-parser-go). Checks that need the network or the
repository's files (reachable URLs, existing logos and screenshots, oEmbed providers, the
Italian iPA register) are not made: an offline catalogue cannot judge them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import langcodes
from license_expression import get_spdx_licensing

from app.interop.publiccode_vocab import CATEGORIES, COUNTRIES, SCOPES

Check = Callable[[str], str | None]

BCP47 = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
"""The shape of a BCP 47 tag (hyphens only: ``en_GB`` is a POSIX locale, not a tag)."""

MIME_TYPE = re.compile(
    r" *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *"
)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+", re.I)
LICENSE_REF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")
LOGO_EXTENSIONS = (".svg", ".svgz", ".png")


def graphemes(text: str) -> int:
    """Return about how many user-perceived characters ``text`` has.

    Combining marks, zero-width joiners with the character they join, variation selectors and
    skin-tone modifiers do not count on their own (the standard counts grapheme clusters).
    """
    count = 0
    joined = False
    for char in text:
        code = ord(char)
        if joined:
            joined = False
            continue
        if code == 0x200D:
            joined = True
            continue
        if (
            unicodedata.combining(char)
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
        ):
            continue
        count += 1
    return count


def max_length(limit: int) -> Check:
    """Return a check that the text has at most ``limit`` characters."""

    def check(value: str) -> str | None:
        n = graphemes(value)
        return f"must be at most {limit} characters long (it has {n})" if n > limit else None

    return check


def min_length(limit: int) -> Check:
    """Return a check that the text has at least ``limit`` characters."""

    def check(value: str) -> str | None:
        n = graphemes(value)
        return f"must be at least {limit} characters long (it has {n})" if n < limit else None

    return check


def one_of(values: tuple[str, ...]) -> Check:
    """Return a check that the value is one of ``values``."""

    def check(value: str) -> str | None:
        return None if value in values else f"must be one of: {', '.join(values)}"

    return check


def url(value: str) -> str | None:
    """Check a URL of any scheme (``url``)."""
    parts = urlsplit(value.strip())
    if not parts.scheme or not (parts.netloc or parts.path and ":" in value):
        return "must be a valid URL"
    return None


def http_url(value: str) -> str | None:
    """Check an http(s) URL with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an HTTP URL"
    return None


def organisation_uri(value: str) -> str | None:
    """Check an organisation URI: an http(s) URL or a URN."""
    if URN.fullmatch(value):
        return None
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return "is not a valid URI"
    return None


def email(value: str) -> str | None:
    """Check an e-mail address."""
    return None if EMAIL.fullmatch(value) else "must be a valid email"


def iso_date(value: str) -> str | None:
    """Check a date written YYYY-MM-DD."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "must be a date with format 'YYYY-MM-DD'"


def language_tag(value: str) -> str | None:
    """Check a BCP 47 language tag against the IANA subtag registry."""
    if BCP47.fullmatch(value) and langcodes.tag_is_valid(value):
        return None
    return "must be a valid BCP 47 language tag"


def country(value: str) -> str | None:
    """Check an ISO 3166-1 alpha-2 country code, all upper or all lower case."""
    if value in (value.upper(), value.lower()) and value.upper() in COUNTRIES:
        return None
    return "must be a valid ISO 3166-1 alpha-2 two-letter country code"


def category(value: str) -> str | None:
    """Check a category of the standard's list."""
    return None if value in CATEGORIES else "must be a valid category (see the standard's list)"


def scope(value: str) -> str | None:
    """Check a scope of the standard's list."""
    return None if value in SCOPES else "must be a valid scope (see the standard's list)"


def mime_type(value: str) -> str | None:
    """Check the shape of a MIME type."""
    return None if MIME_TYPE.fullmatch(value) else "is not a valid MIME type"


@lru_cache(maxsize=1)
def _licensing():  # type: ignore[no-untyped-def]
    return get_spdx_licensing()


def spdx_expression(value: str) -> str | None:
    """Check an SPDX licence expression (``LicenseRef-…`` ids are allowed)."""
    # LicenseRef ids are free by definition; stand in a known id so only the syntax is judged.
    expression = LICENSE_REF.sub("MIT", value)
    try:
        info = _licensing().validate(expression, strict=True)
    except Exception:  # noqa: BLE001 - the library raises bare errors on some bad syntax
        return "must be a valid SPDX license expression (see https://spdx.org/licenses)"
    if info.errors:
        return "must be a valid SPDX license expression (see https://spdx.org/licenses)"
    return None


def relative_path_or_url(value: str) -> str | None:
    """Check a file reference: a relative path in the repository or an HTTP(S) URL."""
    if value.startswith("/"):
        return "is an absolute path. Only relative paths or HTTP(s) URLs allowed"
    if value.lower().startswith("file:"):
        return "is a file:// URL. Only relative paths or HTTP(s) URLs allowed"
    return None


def logo(value: str) -> str | None:
    """Check a logo reference: relative path or URL to an SVG, SVGZ or PNG file."""
    problem = relative_path_or_url(value)
    if problem:
        return problem
    path = urlsplit(value).path.lower()
    if not path.endswith(LOGO_EXTENSIONS):
        return "must be an SVG, SVGZ or PNG file"
    return None
