"""The storefront read model follows every write that changes what is sold, and how."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tradelane.catalog import listings, search, services, tasks
from tradelane.catalog.models import Listing, Price
from tradelane.catalog.services import StockLine, release_stock, reserve_stock
from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields
from tradelane.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def _codes(page):
    return [sku.code for sku in page.object_list]


def test_a_reservation_of_the_last_units_takes_the_sku_off_the_storefront_and_a_release_brings_it_back(
    merchant_owner,
):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="LAST", quantity=2)
    warehouse_id = sku.stock_levels.get().warehouse_id
    with transaction.atomic():
        reserve_stock(lines=[StockLine(sku.pk, warehouse_id, 1)], reference="order:1")
    assert _codes(search.search_products(market="US")) == ["LAST"]
    assert search.search_products(market="US").object_list[0].available == 1
    with transaction.atomic():
        reserve_stock(lines=[StockLine(sku.pk, warehouse_id, 1)], reference="order:2")
    assert _codes(search.search_products(market="US")) == []
    assert Listing.objects.get(sku=sku).in_stock is False
    with transaction.atomic():
        release_stock(lines=[StockLine(sku.pk, warehouse_id, 1)], reference="order:2")
    assert _codes(search.search_products(market="US")) == ["LAST"]


def test_stock_adjusted_to_zero_hides_and_near_ready_shows_again(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="ADJ", quantity=3)
    level = sku.stock_levels.get()
    services.adjust_stock(
        actor=merchant_owner, sku_id=sku.pk, warehouse_id=level.warehouse_id, delta=-3
    )
    assert _codes(search.search_products(market="US")) == []
    services.update_sku(actor=merchant_owner, sku_id=sku.pk, readiness="near_ready", lead_days=5)
    page = search.search_products(market="US")
    assert _codes(page) == ["ADJ"] and page.object_list[0].lead_days == 5


def test_deactivating_a_product_or_breaking_trade_data_hides_it(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="OFF")
    services.update_product(actor=merchant_owner, product_id=sku.product_id, is_active=False)
    assert _codes(search.search_products(market="US")) == []
    services.update_product(actor=merchant_owner, product_id=sku.product_id, is_active=True)
    assert _codes(search.search_products(market="US")) == ["OFF"]
    services.update_sku(actor=merchant_owner, sku_id=sku.pk, hs_code="")
    assert _codes(search.search_products(market="US")) == []


def test_retitled_product_is_found_by_its_new_words(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, title="Desk lamp", code="LAMP")
    services.update_product(actor=merchant_owner, product_id=sku.product_id, title="Floor light")
    assert _codes(search.search_products(market="US", query="floor")) == ["LAMP"]
    assert _codes(search.search_products(market="US", query="desk")) == []


def test_a_scheduled_price_is_never_shown_early_and_is_shown_once_started(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="SCHED", unit_price="10.00")
    later = timezone.now() + timedelta(hours=2)
    scheduled = price(merchant_owner, sku, "US", "USD", "7.00", effective_from=later)
    listing = Listing.objects.get(sku=sku, market="US")
    assert (listing.unit_price, listing.next_price_at) == (10, later)
    assert search.search_products(market="US").object_list[0].price_amount == 10
    # time passes: the version starts before the beat task has run
    started = timezone.now()
    Price.objects.filter(pk=scheduled.pk).update(effective_from=started)
    Listing.objects.filter(pk=listing.pk).update(next_price_at=started)
    assert search.search_products(market="US").object_list[0].price_amount == 7
    assert tasks.activate_due_prices() == 1
    listing.refresh_from_db()
    assert (listing.unit_price, listing.price_id, listing.next_price_at) == (7, scheduled.pk, None)
    assert listings.activate_due_prices() == 0  # idempotent


def test_a_sku_priced_only_for_later_appears_when_its_first_price_starts(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="LATER", markets=("DE",))
    later = timezone.now() + timedelta(days=1)
    first = price(merchant_owner, sku, "US", "USD", "4.00", effective_from=later)
    assert _codes(search.search_products(market="US")) == []
    assert Listing.objects.get(sku=sku, market="US").sellable is False
    Price.objects.filter(pk=first.pk).update(effective_from=timezone.now())
    Listing.objects.filter(sku=sku, market="US").update(next_price_at=timezone.now())
    listings.activate_due_prices()
    assert _codes(search.search_products(market="US")) == ["LATER"]


def test_price_and_stock_changes_record_events(merchant_owner):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="EVT", unit_price="9.00", quantity=4)
    changed = OutboxEvent.objects.filter(topic="catalog.price_changed").get()
    assert changed.payload | {"effective_from": None} == {
        "sku_id": sku.pk,
        "market": "US",
        "price_id": Price.objects.get(sku=sku).pk,
        "currency": "USD",
        "unit_price": "9.00",
        "moq": 1,
        "effective_from": None,
    }
    stock = OutboxEvent.objects.filter(topic="catalog.stock_changed").get()
    level = sku.stock_levels.get()
    assert stock.payload == {
        "reason": "received",
        "reference": "",
        "levels": [
            {
                "sku_id": sku.pk,
                "warehouse_id": level.warehouse_id,
                "on_hand": 4,
                "reserved": 0,
                "available": 4,
                "version": 1,
            }
        ],
    }


def test_rebuild_all_recreates_the_read_model(merchant_owner):
    admit(merchant_owner, ["US", "DE"])
    listed(merchant_owner, code="R-1", markets=("US", "DE"))
    make_product(merchant_owner, title="Unpriced", skus=[sku_fields("R-2")])
    before = sorted(Listing.objects.values_list("sku__code", "market_id", "unit_price"))
    Listing.objects.all().delete()
    assert listings.rebuild_all(batch=1) == 2
    assert sorted(Listing.objects.values_list("sku__code", "market_id", "unit_price")) == before
