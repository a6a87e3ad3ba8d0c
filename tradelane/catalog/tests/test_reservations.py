"""Stock reservations for orders: reserve, release, ship — guarded, ordered, with history."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tradelane.catalog.models import StockLevel, StockMovement
from tradelane.catalog.services import StockLine, release_stock, reserve_stock, ship_stock
from tradelane.catalog.testing import make_product, sku_fields, stock
from tradelane.core.errors import Conflict, InvalidInput, NotFound
from tradelane.core.models import OutboxEvent
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.merchants.testing import make_warehouse


@pytest.fixture
def two_skus(merchant_owner):
    product = make_product(merchant_owner, skus=[sku_fields("A-1"), sku_fields("B-2")])
    a, b = product.skus.order_by("code")
    warehouse = make_warehouse(merchant_owner, name="Shenzhen 1")
    stock(merchant_owner, a, warehouse, 10)
    stock(merchant_owner, b, warehouse, 3)
    return a, b, warehouse


def levels(*skus):
    return [
        (lv.on_hand, lv.reserved)
        for lv in StockLevel.objects.filter(sku__in=skus).order_by("sku__code")
    ]


def test_reserve_outside_a_transaction_is_refused(two_skus):
    a, _, warehouse = two_skus
    # pytest-django's `db` wraps tests in an atomic block; leave it to check the guard
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError):
            reserve_stock(lines=[StockLine(a.pk, warehouse.pk, 1)], reference="order:1")
    finally:
        connection.in_atomic_block = saved


def test_reserve_moves_quantity_to_reserved_and_keeps_history(two_skus, merchant_owner):
    a, b, warehouse = two_skus
    version_before = StockLevel.objects.get(sku=a).version
    with transaction.atomic():
        reserve_stock(
            lines=[StockLine(b.pk, warehouse.pk, 3), StockLine(a.pk, warehouse.pk, 4)],
            reference="order:7",
            actor_user_id=merchant_owner.user.pk,
        )
    assert levels(a, b) == [(10, 4), (3, 3)]
    assert StockLevel.objects.get(sku=a).version == version_before + 1
    rows = list(
        StockMovement.objects.filter(reason="reserve")
        .order_by("stock_level__sku__code")
        .values_list("delta", "reserved_delta", "on_hand_after", "reserved_after", "reference")
    )
    assert rows == [(0, 4, 10, 4, "order:7"), (0, 3, 3, 3, "order:7")]
    event = OutboxEvent.objects.get(topic="catalog.stock_changed", payload__reason="reserve")
    assert event.payload["reference"] == "order:7"
    assert sorted((x["sku_id"], x["available"]) for x in event.payload["levels"]) == [
        (a.pk, 6),
        (b.pk, 0),
    ]


def test_reserve_refuses_more_than_available_naming_the_input_line(two_skus):
    a, b, warehouse = two_skus
    before = StockMovement.objects.count()
    with pytest.raises(Conflict) as refused, transaction.atomic():
        reserve_stock(
            lines=[StockLine(a.pk, warehouse.pk, 2), StockLine(b.pk, warehouse.pk, 4)],
            reference="order:8",
        )
    assert refused.value.code == "insufficient_stock"
    assert refused.value.field == "lines[1].quantity"
    assert "B-2" in refused.value.message and "only 3 available" in refused.value.message
    assert levels(a, b) == [(10, 0), (3, 0)]  # the first line rolled back with the rest
    assert StockMovement.objects.count() == before


def test_reserve_without_a_stock_level_or_unknown_sku(two_skus, merchant_owner):
    a, _, _ = two_skus
    empty = make_warehouse(merchant_owner, name="Empty")
    with pytest.raises(Conflict) as refused, transaction.atomic():
        reserve_stock(lines=[StockLine(a.pk, empty.pk, 1)], reference="order:9")
    assert (refused.value.field, refused.value.code) == ("lines[0].quantity", "insufficient_stock")
    with pytest.raises(NotFound) as missing, transaction.atomic():
        reserve_stock(lines=[StockLine(999999, empty.pk, 1)], reference="order:9")
    assert missing.value.field == "lines[0].sku_id"


def test_reserve_refuses_an_inactive_warehouse(two_skus):
    a, _, warehouse = two_skus
    type(warehouse).objects.filter(pk=warehouse.pk).update(is_active=False)
    with pytest.raises(Conflict) as refused, transaction.atomic():
        reserve_stock(lines=[StockLine(a.pk, warehouse.pk, 1)], reference="order:10")
    assert "not active" in refused.value.message
    assert levels(a) == [(10, 0)]


@pytest.mark.parametrize("quantity", [0, -1, True, 1.5])
def test_reserve_refuses_a_non_positive_quantity(two_skus, quantity):
    a, _, warehouse = two_skus
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        reserve_stock(lines=[StockLine(a.pk, warehouse.pk, quantity)], reference="order:1")
    assert refused.value.field == "lines[0].quantity"
    assert levels(a) == [(10, 0)]


def test_release_gives_back_and_refuses_more_than_reserved(two_skus):
    a, _, warehouse = two_skus
    with transaction.atomic():
        reserve_stock(lines=[StockLine(a.pk, warehouse.pk, 5)], reference="order:1")
        release_stock(lines=[StockLine(a.pk, warehouse.pk, 2)], reference="order:1")
    assert levels(a) == [(10, 3)]
    with pytest.raises(Conflict) as refused, transaction.atomic():
        release_stock(lines=[StockLine(a.pk, warehouse.pk, 4)], reference="order:1")
    assert (refused.value.code, refused.value.field) == ("not_reserved", "lines[0].quantity")
    assert levels(a) == [(10, 3)]
    movement = StockMovement.objects.filter(reason="release").get()
    assert (movement.delta, movement.reserved_delta, movement.reserved_after) == (0, -2, 3)


def test_ship_takes_goods_out_of_on_hand_and_reserved(two_skus):
    a, _, warehouse = two_skus
    with transaction.atomic():
        reserve_stock(lines=[StockLine(a.pk, warehouse.pk, 4)], reference="order:2")
        ship_stock(lines=[StockLine(a.pk, warehouse.pk, 4)], reference="order:2")
    assert levels(a) == [(6, 0)]
    movement = StockMovement.objects.filter(reason="ship").get()
    assert (movement.delta, movement.reserved_delta, movement.on_hand_after) == (-4, -4, 6)
    with pytest.raises(Conflict) as refused, transaction.atomic():
        ship_stock(lines=[StockLine(a.pk, warehouse.pk, 1)], reference="order:2")
    assert refused.value.code == "not_reserved"
    assert levels(a) == [(6, 0)]


def test_reserve_costs_one_statement_per_line_plus_history_and_event(two_skus, merchant_owner):
    a, b, warehouse = two_skus
    other = make_warehouse(merchant_owner, name="Shenzhen 2")
    stock(merchant_owner, a, other, 5)
    lines = [
        StockLine(a.pk, other.pk, 1),
        StockLine(b.pk, warehouse.pk, 1),
        StockLine(a.pk, warehouse.pk, 1),
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        reserve_stock(lines=lines, reference="order:3")
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 3 + 2, statements  # 3 updates, 1 history insert, 1 event
    updates = [s for s in statements if s.startswith("UPDATE")]
    assert len(updates) == 3


@race
@postgres_only
def test_many_buyers_racing_for_the_last_units_reserve_exactly_what_is_available(
    merchant_owner,
):
    sku = make_product(merchant_owner).skus.get()
    warehouse = make_warehouse(merchant_owner)
    stock(merchant_owner, sku, warehouse, 5)

    def buy(n):
        def call():
            with transaction.atomic():
                reserve_stock(lines=[StockLine(sku.pk, warehouse.pk, 1)], reference=f"order:{n}")

        return call

    results = run_together(*[buy(n) for n in range(12)])
    oks = [v for kind, v in results if kind == "ok"]
    errors = [v for kind, v in results if kind == "error"]
    assert len(oks) == 5 and len(errors) == 7
    assert all(isinstance(e, Conflict) and e.code == "insufficient_stock" for e in errors)
    level = StockLevel.objects.get()
    assert (level.on_hand, level.reserved) == (5, 5)
    assert StockMovement.objects.filter(reason="reserve").count() == 5


@race
@postgres_only
def test_orders_locking_two_levels_in_opposite_input_order_do_not_deadlock(merchant_owner):
    product = make_product(merchant_owner, skus=[sku_fields("A-1"), sku_fields("B-2")])
    a, b = product.skus.order_by("code")
    warehouse = make_warehouse(merchant_owner)
    stock(merchant_owner, a, warehouse, 50)
    stock(merchant_owner, b, warehouse, 50)

    def order(first, second, n):
        def call():
            with transaction.atomic():
                reserve_stock(
                    lines=[
                        StockLine(first.pk, warehouse.pk, 1),
                        StockLine(second.pk, warehouse.pk, 1),
                    ],
                    reference=f"order:{n}",
                )

        return call

    results = run_together(*[order(a, b, n) if n % 2 else order(b, a, n) for n in range(10)])
    assert [kind for kind, _ in results] == ["ok"] * 10
    assert levels(a, b) == [(50, 10), (50, 10)]
