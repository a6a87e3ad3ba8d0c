"""The demo seed: editions, warehouses and admitted demo merchants; safe to rerun."""

from datetime import date

import pytest

from tradelane.accounts import demo as accounts_demo
from tradelane.merchants import demo, selectors
from tradelane.merchants.models import Application, ProgramEdition, Warehouse

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_admits_the_demo_merchants_from_2024_02_03():
    accounts_demo.seed()
    first = demo.seed()
    again = demo.seed()
    assert (
        first
        == again
        == {
            "editions": ["2024 launch edition", "2027 expansion edition"],
            "merchants": 3,
        }
    )
    assert ProgramEdition.objects.count() == 2
    assert Warehouse.objects.count() == 3
    assert Application.objects.filter(status="approved").count() == 3
    launch = ProgramEdition.objects.get(name="2024 launch edition")
    assert (launch.recruitment_opens_on, launch.operations_start_on) == (
        date(2024, 1, 5),
        date(2024, 2, 3),
    )
    expansion = ProgramEdition.objects.get(name="2027 expansion edition")
    assert expansion.is_recruiting(date(2026, 11, 25))
    assert "JP" in {m.pk for m in expansion.markets.all()}
    assert not {"US", "DE"} & {m.pk for m in expansion.markets.all()}
    volt = Warehouse.objects.get(name="Shenzhen Nanshan warehouse").organisation_id
    assert selectors.list_active_markets(volt, on=date(2024, 2, 3)) == [
        "CA", "DE", "FR", "GB", "MX", "US",
    ]  # fmt: skip
    assert selectors.is_merchant_active(volt, "US", on=date(2024, 2, 2)) is False
