"""Concurrent return requests on PostgreSQL never exceed the delivered quantity.

K requests for one line, released at the same instant, each for q units when D were
delivered: exactly floor(D / q) succeed (the counter may not even exist yet), the rest
are clean 422 `exceeds_returnable`, and held = the sum of the requests."""

import pytest
from django.db.models import Sum

from tradelane.core.errors import InvalidInput
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.returns import services
from tradelane.returns.models import ReturnableLine, ReturnRequest
from tradelane.returns.testing import delivered_order

pytestmark = [postgres_only, race]


@pytest.mark.parametrize("repeat", [1, 2])
@pytest.mark.parametrize(("delivered", "each", "requests"), [(5, 1, 20), (10, 3, 12), (4, 4, 8)])
def test_concurrent_requests_never_exceed_delivered(
    buyer_owner, merchant_owner, delivered, each, requests, repeat
):
    order = delivered_order(buyer_owner, merchant_owner, quantity=delivered)
    line_id = order.lines.get().pk

    def ask():
        return services.request_return(
            actor=buyer_owner, order_line_id=line_id, quantity=each, reason="defective"
        ).pk

    results = run_together(*[ask for _ in range(requests)])
    ok = [r for r in results if r is not None and r[0] == "ok"]
    refused = [r[1] for r in results if r is not None and r[0] == "error"]
    assert len(ok) + len(refused) == requests
    assert len(ok) == delivered // each
    assert all(
        isinstance(e, InvalidInput) and (e.code, e.field) == ("exceeds_returnable", "quantity")
        for e in refused
    ), refused
    counter = ReturnableLine.objects.get(order_line_id=line_id)
    total = ReturnRequest.objects.filter(order_line_id=line_id).aggregate(s=Sum("quantity"))["s"]
    assert counter.held == total == len(ok) * each <= delivered
