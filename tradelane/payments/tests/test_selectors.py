"""Reads for other contexts: the payment of a reference, scoped when an actor is given."""

import pytest

from tradelane.payments import selectors
from tradelane.payments.testing import authorised_payment, make_payment

pytestmark = pytest.mark.django_db


def test_payment_for_reference_is_the_latest_attempt(buyer_owner):
    failed = authorised_payment(buyer_owner, method="test_decline", reference="order:9")
    retry = authorised_payment(buyer_owner, reference="order:9")
    assert failed.status == "failed"
    assert selectors.payment_for_reference("order:9") == retry
    assert selectors.payment_for_reference("order:10") is None


def test_payment_for_reference_respects_the_actor(buyer_owner, other_buyer, merchant_owner):
    payment = make_payment(buyer_owner, merchant_owner, reference="order:11")
    assert selectors.payment_for_reference("order:11", actor=buyer_owner) == payment
    assert selectors.payment_for_reference("order:11", actor=merchant_owner) == payment
    assert selectors.payment_for_reference("order:11", actor=other_buyer) is None


def test_payments_for_references_in_one_query(buyer_owner, django_assert_num_queries):
    first = make_payment(buyer_owner, reference="order:1")
    make_payment(buyer_owner, reference="order:2")
    second = make_payment(buyer_owner, reference="order:2")
    with django_assert_num_queries(1):
        found = selectors.payments_for_references(["order:1", "order:2", "order:3"])
    assert found == {"order:1": first, "order:2": second}
    assert selectors.payments_for_references([]) == {}


def test_visible_payments_for_nobody_is_empty(buyer_owner):
    make_payment(buyer_owner)
    assert list(selectors.visible_payments(None)) == []
