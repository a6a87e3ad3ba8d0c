"""Parse the ECB euro foreign-exchange reference-rate XML (eurofxref daily / hist / 90d).

    <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
                     xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <Cube><Cube time="2026-11-24"><Cube currency="USD" rate="1.0512"/>...</Cube></Cube>
    </gesmes:Envelope>

Pure: bytes in, validated rows out; any defect raises `InvalidInput` naming what and where,
so the caller writes nothing. Parsed with defusedxml (no entities, no external DTDs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception class

import pycountry
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from tradelane.core.errors import InvalidInput

GESMES = "{http://www.gesmes.org/xml/2002-08-01}"
EUROFXREF = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"
MAX_BYTES = 20 * 1024 * 1024
MAX_RATE = Decimal("1e10")


@dataclass(frozen=True)
class EcbRate:
    as_of: date
    currency: str
    rate: Decimal


def _fail(message: str, code: str = "invalid_ecb_file") -> InvalidInput:
    return InvalidInput(message, field="file", code=code)


def parse_ecb_xml(data: bytes) -> list[EcbRate]:
    """Every (day, currency, rate) of the file; raises InvalidInput on any defect."""
    if not data:
        raise _fail("The file is empty.")
    if len(data) > MAX_BYTES:
        raise _fail(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        raise _fail(f"The file is not well-formed XML: {exc}.") from None
    except DefusedXmlException as exc:
        raise _fail(f"The file uses forbidden XML features ({type(exc).__name__}).") from None
    if root.tag != f"{GESMES}Envelope":
        raise _fail(
            f"Not an ECB reference-rate file: the root element is {_local(root.tag)!r}, not gesmes:Envelope."
        )
    outer = root.find(f"{EUROFXREF}Cube")
    if outer is None:
        raise _fail("Not an ECB reference-rate file: no Cube element.")
    rates: list[EcbRate] = []
    seen_days: set[date] = set()
    days = list(outer)
    if not days:
        raise _fail("The file holds no rates.")
    for day_no, day_cube in enumerate(days, start=1):
        where = f"day #{day_no}"
        raw_time = day_cube.get("time")
        if _local(day_cube.tag) != "Cube" or raw_time is None:
            raise _fail(f"{where}: the Cube has no time attribute.")
        try:
            as_of = date.fromisoformat(raw_time.strip())
        except ValueError:
            raise _fail(f"{where}: time {raw_time!r} is not a date (YYYY-MM-DD).") from None
        if as_of in seen_days:
            raise _fail(f"{where}: the day {as_of} appears twice.")
        seen_days.add(as_of)
        where = f"day {as_of}"
        currencies: set[str] = set()
        for rate_no, cube in enumerate(day_cube, start=1):
            rates.append(_parse_rate(cube, as_of, f"{where}, rate #{rate_no}", currencies))
        if not currencies:
            raise _fail(f"{where}: no rates.")
    return rates


def _parse_rate(cube, as_of: date, where: str, currencies: set[str]) -> EcbRate:
    currency = (cube.get("currency") or "").strip()
    raw_rate = cube.get("rate")
    if _local(cube.tag) != "Cube" or not currency or raw_rate is None:
        raise _fail(f"{where}: expected <Cube currency=… rate=…/>.")
    where = f"{where} ({currency})"
    if (
        len(currency) != 3
        or not currency.isalpha()
        or not currency.isupper()
        or pycountry.currencies.get(alpha_3=currency) is None
    ):
        raise _fail(f"{where}: unknown currency {currency!r}.", code="unknown_currency")
    if currency == "EUR":
        raise _fail(f"{where}: a rate for EUR against itself.")
    if currency in currencies:
        raise _fail(f"{where}: the currency appears twice on this day.")
    currencies.add(currency)
    try:
        rate = Decimal(raw_rate.strip())
    except (InvalidOperation, ValueError):
        raise _fail(f"{where}: rate {raw_rate!r} is not a number.", code="invalid_rate") from None
    if not rate.is_finite() or rate <= 0 or rate >= MAX_RATE:
        raise _fail(f"{where}: rate {raw_rate!r} must be a positive number.", code="invalid_rate")
    if rate != rate.quantize(Decimal("1e-8")):
        raise _fail(f"{where}: rate {raw_rate!r} has more than 8 decimals.", code="invalid_rate")
    return EcbRate(as_of, currency, rate)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)
