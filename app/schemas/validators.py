"""Field rules that need no database: kommunenummer, organisation number, slugs."""

from __future__ import annotations

import re

from marshmallow import ValidationError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A slug: lowercase letters and digits in words joined by single dashes."""

KOMMUNENUMMER = re.compile(r"\d{4}")
"""A kommunenummer: four digits."""

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


def validate_kommunenummer(value: str) -> None:
    """Raise unless ``value`` is a 4-digit kommunenummer."""
    if not KOMMUNENUMMER.fullmatch(value):
        raise ValidationError("Must be exactly 4 digits.")


def validate_slug(value: str) -> None:
    """Raise unless ``value`` is a lowercase URL slug."""
    if not SLUG.fullmatch(value):
        raise ValidationError("Must be lowercase letters, digits and single dashes.")
