"""Threaded races on PostgreSQL: stock never negative, no lost update, one winner per
version."""

import threading

import pytest
from django.db import connection

from tradelane.catalog import services
from tradelane.catalog.models import StockLevel, StockMovement
from tradelane.catalog.testing import make_product
from tradelane.core.errors import Conflict
from tradelane.merchants.testing import make_warehouse

race = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="race tests run on PostgreSQL (DATABASE_URL=postgres://…)",
)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:  # collected for the assertions
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def setup(merchant_owner):
    sku = make_product(merchant_owner).skus.get()
    warehouse = make_warehouse(merchant_owner)
    return sku, warehouse


@race
def test_concurrent_decrements_never_drive_stock_negative(merchant_owner, setup):
    sku, warehouse = setup
    services.adjust_stock(actor=merchant_owner, sku_id=sku.pk, warehouse_id=warehouse.pk, delta=5)

    def take():
        return services.adjust_stock(
            actor=merchant_owner, sku_id=sku.pk, warehouse_id=warehouse.pk, delta=-1
        )

    results = run_together(*[take] * 8)
    oks = [v for kind, v in results if kind == "ok"]
    errors = [v for kind, v in results if kind == "error"]
    assert len(oks) == 5 and len(errors) == 3
    assert all(isinstance(e, Conflict) and e.code == "insufficient_stock" for e in errors)
    level = StockLevel.objects.get()
    assert (level.on_hand, level.version) == (0, 6)
    assert StockMovement.objects.count() == 6


@race
def test_concurrent_increments_lose_no_update(merchant_owner, setup):
    sku, warehouse = setup

    def add():
        return services.adjust_stock(
            actor=merchant_owner, sku_id=sku.pk, warehouse_id=warehouse.pk, delta=3
        )

    results = run_together(*[add] * 6)
    assert [kind for kind, _ in results] == ["ok"] * 6
    assert StockLevel.objects.get().on_hand == 18
    assert sorted(StockMovement.objects.values_list("on_hand_after", flat=True)) == [
        3,
        6,
        9,
        12,
        15,
        18,
    ]


@race
def test_two_syncs_with_the_same_version_one_wins_the_other_is_412(merchant_owner, setup):
    sku, warehouse = setup
    services.set_stock(
        actor=merchant_owner, sku_id=sku.pk, warehouse_id=warehouse.pk, on_hand=10, if_match=0
    )

    def sync(quantity):
        return lambda: services.set_stock(
            actor=merchant_owner,
            sku_id=sku.pk,
            warehouse_id=warehouse.pk,
            on_hand=quantity,
            if_match=1,
        )

    results = run_together(sync(40), sync(70))
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"]
    error = next(v for k, v in results if k == "error")
    winner = next(v for k, v in results if k == "ok")
    assert (error.status, error.code) == (412, "precondition_failed")
    level = StockLevel.objects.get()
    assert (level.on_hand, level.version) == (winner.on_hand, 2)
    assert StockMovement.objects.count() == 2


@race
def test_first_sync_of_a_new_level_races_safely(merchant_owner, setup):
    sku, warehouse = setup

    def sync(quantity):
        return lambda: services.set_stock(
            actor=merchant_owner,
            sku_id=sku.pk,
            warehouse_id=warehouse.pk,
            on_hand=quantity,
            if_match=0,
        )

    results = run_together(sync(5), sync(9))
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert StockLevel.objects.count() == 1
    assert StockLevel.objects.get().version == 1
