"""Tracking numbers in the UPU S10 shape: `LT` + 8-digit serial + check digit + origin.

    LT 00001234 7 CN

The check digit weighs the serial's digits 8 6 4 2 3 5 9 7, takes 11 − (sum mod 11) and
maps 10 → 0 and 11 → 5 (UPU S10 standard). A mistyped digit or a swap of two adjacent
digits is caught before any lookup.
"""

from __future__ import annotations

import re

WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
SERVICE = "LT"
PATTERN = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
SERIAL_MAX = 99_999_999


def check_digit(serial: str) -> int:
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("an S10 serial is 8 digits")
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def tracking_number(serial: int, origin_country: str, *, service: str = SERVICE) -> str:
    if not 1 <= serial <= SERIAL_MAX:
        raise ValueError("the serial must be 1 to 99,999,999")
    digits = f"{serial:08d}"
    return f"{service}{digits}{check_digit(digits)}{origin_country.upper()}"


def normalise(text: str) -> str:
    """What a person or a scanner typed: spaces and dashes dropped, upper-cased."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def is_valid(text: str) -> bool:
    match = PATTERN.match(normalise(text))
    return bool(match) and check_digit(match.group(2)) == int(match.group(3))
