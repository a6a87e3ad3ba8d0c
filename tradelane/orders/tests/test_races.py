"""Races over HTTP on PostgreSQL: the last units, and one Idempotency-Key sent many times.

K buyers, released at the same instant, each order one unit when U are left: exactly U
orders and K − U clean 409s, never negative stock, reserved = the open orders' lines.
"""

import json

import pytest
import requests
from django.db.models import Sum

from tradelane.accounts.testing import issue_token, make_actor
from tradelane.catalog.models import StockLevel
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.orders.models import Order, OrderLine
from tradelane.orders.states import HOLDS_STOCK
from tradelane.orders.testing import checkout_body, selling

pytestmark = [postgres_only, race]


def _post(url, token, body, headers=None):
    response = requests.post(
        url,
        data=json.dumps(body),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
        timeout=60,
    )
    return response.status_code, response.json()


def _buyers(k):
    return [
        issue_token(make_actor("buyer", "owner", org_name=f"Buyer {i}", country="US"))
        for i in range(k)
    ]


@pytest.mark.parametrize("repeat", [1, 2])
@pytest.mark.parametrize("units", [0, 1, 5])
@pytest.mark.parametrize("buyers", [10, 50])
def test_k_buyers_for_the_last_u_units(live_server, merchant_owner, buyers, units, repeat):
    sku = selling(merchant_owner, quantity=units + 3)
    # 3 units are already taken by an earlier order: U remain available
    first = _buyers(1)[0]
    url = f"{live_server.url}/api/v1/checkout"
    assert _post(url, first, checkout_body(lines=[(sku.pk, 3)]))[0] == 201
    tokens = _buyers(buyers)
    results = run_together(
        *[lambda t=t: _post(url, t, checkout_body(lines=[(sku.pk, 1)])) for t in tokens]
    )
    statuses = [r[1][0] for r in results if r[0] == "ok"]
    assert len(statuses) == buyers, [r for r in results if r is None or r[0] != "ok"]
    assert statuses.count(201) == units
    refused = [body for status, body in (r[1] for r in results) if status != 201]
    assert len(refused) == buyers - units
    assert all(body["code"] == "insufficient_stock" for body in refused), refused
    level = StockLevel.objects.get(sku=sku)
    assert level.on_hand == units + 3 and level.reserved == units + 3
    assert level.on_hand - level.reserved >= 0
    open_lines = OrderLine.objects.filter(order__status__in=HOLDS_STOCK, sku=sku)
    assert open_lines.aggregate(total=Sum("quantity"))["total"] == units + 3


def test_one_idempotency_key_sent_twenty_times_makes_one_order(live_server, merchant_owner):
    sku = selling(merchant_owner, quantity=100)
    token = _buyers(1)[0]
    url = f"{live_server.url}/api/v1/checkout"
    body = checkout_body(lines=[(sku.pk, 2)])
    headers = {"Idempotency-Key": "po-race-1"}
    results = run_together(*[lambda: _post(url, token, body, headers) for _ in range(20)])
    statuses = sorted(r[1][0] for r in results)
    assert Order.objects.count() == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}  # 409 idempotency_in_progress while the first runs
    status, replay = _post(url, token, body, headers)
    assert status == 201 and replay["orders"][0]["number"] == Order.objects.get().number
    assert StockLevel.objects.get(sku=sku).reserved == 2
    other = checkout_body(lines=[(sku.pk, 3)])
    assert _post(url, token, other, headers)[0] == 422
