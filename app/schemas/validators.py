"""Field rules that need no database: kommunenummer, organisation number, slugs."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, validate

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A slug: lowercase letters and digits in words joined by single dashes."""

KOMMUNENUMMER = re.compile(r"[0-9]{4}")
"""A kommunenummer: four (ASCII) digits."""

ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
"""Weights of the modulus-11 control digit of a Norwegian organisation number."""


def orgnr_is_valid(orgnr: str) -> bool:
    """Return whether ``orgnr`` is nine digits with a correct modulus-11 control digit."""
    if not re.fullmatch(r"\d{9}", orgnr):
        return False
    remainder = sum(int(d) * w for d, w in zip(orgnr, ORGNR_WEIGHTS, strict=False)) % 11
    control = 0 if remainder == 0 else 11 - remainder
    return control != 10 and control == int(orgnr[8])


def validate_orgnr(value: str) -> None:
    """Raise unless ``value`` is a valid organisation number."""
    if not orgnr_is_valid(value):
        raise ValidationError("Must be 9 digits with a valid modulus-11 control digit.")


class FullMatch(validate.Regexp):
    """A regular expression the whole value must match, documented as the OpenAPI ``pattern``.

    apispec writes a ``Regexp`` validator's pattern into the OpenAPI document, so clients (and
    the fuzzer) know the rule; a plain function would leave the documented field wider than
    the one the API accepts. ``fullmatch`` rather than ``match``: ``$`` alone lets ``"a\n"`` in.
    """

    def __init__(self, regex: re.Pattern[str], error: str) -> None:
        super().__init__(f"^(?:{regex.pattern})$", error=error)
        self._whole = regex

    def __call__(self, value: Any) -> Any:
        """Return ``value``, or raise unless all of it matches."""
        if not isinstance(value, str) or self._whole.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


validate_slug = FullMatch(SLUG, "Must be lowercase letters, digits and single dashes.")
"""Raise unless the value is a lowercase URL slug."""

validate_kommunenummer = FullMatch(KOMMUNENUMMER, "Must be exactly 4 digits.")
"""Raise unless the value is a 4-digit kommunenummer."""
