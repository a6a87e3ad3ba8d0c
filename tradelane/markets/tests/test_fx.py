from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.models import AuditEntry
from tradelane.core.money import Money
from tradelane.markets import selectors, services
from tradelane.markets.models import FxRate

DATA = Path(__file__).parent / "data"
SAMPLE = (DATA / "eurofxref-hist-small.xml").read_bytes()
DEMO = Path(__file__).parent.parent / "data" / "ecb-sample.xml"

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
    b'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>'
)
TAIL = b"</Cube></gesmes:Envelope>"


def ecb(days: bytes) -> bytes:
    return HEAD + days + TAIL


def test_import_ecb_file_creates_eur_rates(db):
    result = services.import_ecb_rates(SAMPLE)
    assert (result.days, result.rates, result.created, result.updated) == (2, 6, 6, 0)
    assert (result.first_day, result.last_day) == (date(2026, 6, 30), date(2026, 7, 1))
    row = FxRate.objects.get(base="EUR", quote="USD", as_of=date(2026, 7, 1))
    assert (row.rate, row.source) == (Decimal("1.08"), "ECB")
    assert AuditEntry.objects.filter(action="markets.ecb_rates_imported").count() == 1


def test_reimport_is_idempotent_and_updates_changed_rates(db):
    services.import_ecb_rates(SAMPLE)
    again = services.import_ecb_rates(SAMPLE)
    assert (again.created, again.updated) == (0, 0)
    changed = services.import_ecb_rates(
        ecb(b'<Cube time="2026-07-01"><Cube currency="USD" rate="1.0900"/></Cube>')
    )
    assert (changed.created, changed.updated) == (0, 1)
    assert FxRate.objects.get(quote="USD", as_of=date(2026, 7, 1)).rate == Decimal("1.09")
    assert FxRate.objects.count() == 6


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [
        (b"<not xml", "invalid_ecb_file", "not well-formed"),
        (b"", "invalid_ecb_file", "empty"),
        (b"<root/>", "invalid_ecb_file", "root element"),
        (ecb(b'<Cube><Cube currency="USD" rate="1.1"/></Cube>'), "invalid_ecb_file", "no time"),
        (
            ecb(b'<Cube time="2026-13-01"><Cube currency="USD" rate="1.1"/></Cube>'),
            "invalid_ecb_file",
            "not a date",
        ),
        (
            ecb(b'<Cube time="2026-07-02"><Cube currency="USD" rate="abc"/></Cube>'),
            "invalid_rate",
            "USD",
        ),
        (
            ecb(b'<Cube time="2026-07-02"><Cube currency="USD" rate="0"/></Cube>'),
            "invalid_rate",
            "positive",
        ),
        (
            ecb(b'<Cube time="2026-07-02"><Cube currency="USD" rate="-1.2"/></Cube>'),
            "invalid_rate",
            "positive",
        ),
        (
            ecb(b'<Cube time="2026-07-02"><Cube currency="XXY" rate="1.2"/></Cube>'),
            "unknown_currency",
            "XXY",
        ),
        (
            ecb(b'<Cube time="2026-07-02"><Cube currency="USD"/></Cube>'),
            "invalid_ecb_file",
            "expected",
        ),
        (ecb(b""), "invalid_ecb_file", "no rates"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "invalid_ecb_file",
            "forbidden",
        ),
    ],
)
def test_malformed_ecb_file_writes_nothing(db, content, code, fragment):
    good_day_first = content.replace(
        b"<Cube time=",
        b'<Cube time="2026-07-01"><Cube currency="GBP" rate="0.85"/></Cube><Cube time=',
        1,
    )
    with pytest.raises(InvalidInput) as err:
        services.import_ecb_rates(good_day_first)
    assert err.value.code == code
    assert fragment in err.value.message
    assert err.value.field == "file"
    assert FxRate.objects.count() == 0
    assert not AuditEntry.objects.filter(action="markets.ecb_rates_imported").exists()


def test_bad_rate_names_day_and_currency(db):
    with pytest.raises(InvalidInput) as err:
        services.import_ecb_rates(
            ecb(
                b'<Cube time="2026-07-02"><Cube currency="USD" rate="1.1"/><Cube currency="JPY" rate="x"/></Cube>'
            )
        )
    assert err.value.message == "day 2026-07-02, rate #2 (JPY): rate 'x' is not a number."


def test_import_command_reads_the_demo_file(db, capsys):
    call_command("import_ecb_rates", str(DEMO))
    assert (
        "Imported 26 rates for 2 days (2026-11-23 → 2026-11-24): 26 new, 0 changed."
        in capsys.readouterr().out
    )


def test_import_command_refuses_missing_and_bad_files(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_ecb_rates", str(tmp_path / "missing.xml"))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(ecb(b'<Cube time="2026-07-02"><Cube currency="USD" rate="0"/></Cube>'))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_ecb_rates", str(bad))
    assert FxRate.objects.count() == 0


def test_get_rate_uses_latest_on_or_before_the_day(db):
    services.import_ecb_rates(SAMPLE)
    assert selectors.get_rate("EUR", "USD", on=date(2026, 6, 30)).rate == Decimal("1.075")
    assert selectors.get_rate("EUR", "USD", on=date(2026, 7, 1)).rate == Decimal("1.08")
    assert selectors.get_rate("EUR", "USD", on=date(2026, 8, 15)).as_of == date(2026, 7, 1)
    with pytest.raises(NotFound) as err:
        selectors.get_rate("EUR", "USD", on=date(2026, 6, 29))
    assert err.value.code == "no_fx_rate"


def test_convert_records_the_rate_used(db):
    services.import_ecb_rates(SAMPLE)
    row = FxRate.objects.get(quote="USD", as_of=date(2026, 7, 1))
    result = selectors.convert(Money.of("100.00", "EUR"), "USD", on=date(2026, 7, 3))
    assert result.converted == Money(Decimal("108.00"), "USD")
    assert (
        result.rate.rate,
        result.rate.rate_id,
        result.rate.source,
        result.rate.as_of,
        result.rate.method,
    ) == (Decimal("1.08"), row.pk, "ECB", date(2026, 7, 1), "direct")


def test_convert_inverse_and_cross_via_eur(db):
    services.import_ecb_rates(SAMPLE)
    inverse = selectors.convert(Money.of("108", "USD"), "EUR", on=date(2026, 7, 1))
    assert inverse.rate.method == "inverse"
    assert inverse.converted.rounded() == Money(Decimal("100.00"), "EUR")
    cross = selectors.convert(Money.of("100", "GBP"), "USD", on=date(2026, 7, 1))
    assert cross.rate.method == "cross"
    assert cross.rate.rate == Decimal("1.270588235294")  # 1.08 / 0.85
    assert cross.rate.rate_id is None
    assert len(cross.rate.rate_ids) == 2
    assert cross.converted.rounded() == Money(Decimal("127.06"), "USD")


def test_same_currency_converts_at_one(db):
    result = selectors.convert(Money.of("5", "EUR"), "EUR")
    assert (result.converted, result.rate.rate, result.rate.method) == (
        Money.of("5", "EUR"),
        Decimal(1),
        "identity",
    )


def test_set_fx_rate_upserts_and_audits(db, operator_admin):
    row, created = services.set_fx_rate(
        actor=operator_admin,
        base="usd",
        quote="CNY",
        rate="7.1234",
        as_of=date(2026, 11, 20),
        source="manual",
    )
    assert created and (row.base, row.rate, row.created_by) == (
        "USD",
        Decimal("7.1234"),
        operator_admin.user,
    )
    again, created = services.set_fx_rate(
        actor=operator_admin,
        base="USD",
        quote="CNY",
        rate="7.2",
        as_of=date(2026, 11, 20),
        source="manual",
    )
    assert not created and again.pk == row.pk and again.rate == Decimal("7.2")
    assert AuditEntry.objects.filter(action="markets.fx_rate_set").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate": "0"}, "rate"),
        ({"rate": "-1"}, "rate"),
        ({"rate": "1.123456789"}, "rate"),
        ({"quote": "USD"}, "quote"),
        ({"base": "ABC"}, "base"),
        ({"source": ""}, "source"),
    ],
)
def test_set_fx_rate_refuses_bad_input(db, operator_admin, kwargs, field):
    args = {
        "base": "USD",
        "quote": "CNY",
        "rate": "7.1",
        "as_of": date(2026, 11, 20),
        "source": "manual",
        **kwargs,
    }
    with pytest.raises(InvalidInput) as err:
        services.set_fx_rate(actor=operator_admin, **args)
    assert err.value.field == field
    assert FxRate.objects.count() == 0
