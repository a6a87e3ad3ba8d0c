"""Operator payment pages: list with filters, detail with history, the refund form."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.payments.models import Payment, Refund
from tradelane.payments.testing import authorised_payment, captured_payment, make_payment

pytestmark = pytest.mark.django_db

LIST = "/ops/payments/"


def detail(payment):
    return f"/ops/payments/{payment.pk}/"


def refund_url(payment):
    return f"/ops/payments/{payment.pk}/refunds/"


@pytest.fixture
def some(buyer_owner, merchant_owner):
    return {
        "captured": captured_payment(buyer_owner, merchant_owner, reference="order:A-1"),
        "failed": authorised_payment(buyer_owner, merchant_owner, method="test_decline"),
        "pending": make_payment(buyer_owner, reference="order:A-3"),
    }


def rows(response) -> list[int]:
    html = response.content.decode()
    return [int(part.split('"')[0]) for part in html.split('data-payment="')[1:]]


def test_list_shows_every_payment_newest_first(page_client, operator_support, some):
    response = page_client(operator_support).get(LIST)
    assert response.status_code == 200
    assert rows(response) == [some["pending"].pk, some["failed"].pk, some["captured"].pk]
    assert "Acme Supply" in response.content.decode()


def test_list_filters_by_status_and_reference(page_client, operator_support, some):
    client = page_client(operator_support)
    assert rows(client.get(LIST, {"status": "failed"})) == [some["failed"].pk]
    assert rows(client.get(LIST, {"reference": "order:A-1"})) == [some["captured"].pk]
    assert rows(client.get(LIST, {"status": "bogus"})) == rows(client.get(LIST))


def test_list_paginates(page_client, operator_support, buyer_owner):
    for _ in range(51):
        make_payment(buyer_owner)
    client = page_client(operator_support)
    assert len(rows(client.get(LIST))) == 50
    assert len(rows(client.get(LIST, {"page": 2}))) == 1


def test_list_costs_a_constant_number_of_queries(
    page_client, operator_support, buyer_owner, merchant_owner
):
    client = page_client(operator_support)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    make_payment(buyer_owner, merchant_owner)
    few = count()
    for _ in range(10):
        make_payment(buyer_owner, merchant_owner)
    assert count() == few


@pytest.mark.parametrize("who", ["buyer_owner", "merchant_owner"])
def test_tenants_cannot_open_operator_pages(page_client, request, some, who):
    client = page_client(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(some["captured"])).status_code == 403


def test_anonymous_is_sent_to_sign_in(page_client, some):
    response = page_client().get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]


def test_detail_shows_history_amounts_and_provider_calls(page_client, operator_admin, some):
    response = page_client(operator_admin).get(detail(some["captured"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "pending → <strong>authorised</strong>" in html.replace("\u2192", "→")
    assert "authorised → <strong>captured</strong>" in html
    assert f"tradelane-payment-{some['captured'].pk}-capture" in html
    assert 'data-testid="refund-form"' in html


def test_failed_payment_detail_shows_the_failure_and_no_refund_form(
    page_client, operator_admin, some
):
    html = page_client(operator_admin).get(detail(some["failed"])).content.decode()
    assert "payment_declined" in html
    assert 'data-testid="refund-form"' not in html


def test_support_staff_see_no_refund_form_and_cannot_post(page_client, operator_support, some):
    client = page_client(operator_support)
    assert 'data-testid="refund-form"' not in client.get(detail(some["captured"])).content.decode()
    response = client.post(
        refund_url(some["captured"]), {"amount": "1", "reason": "x", "idempotency_key": "k"}
    )
    assert response.status_code == 403
    assert not Refund.objects.exists()


def test_refund_form_refunds_and_redirects(page_client, operator_admin, some):
    client = page_client(operator_admin)
    form = {"amount": "40.00", "reason": "damaged", "idempotency_key": "abc"}
    response = client.post(refund_url(some["captured"]), form)
    assert response.status_code == 302 and response["Location"] == detail(some["captured"])
    # the same rendered form submitted twice refunds once
    assert client.post(refund_url(some["captured"]), form).status_code == 302
    payment = Payment.objects.get(pk=some["captured"].pk)
    assert (payment.status, payment.refunded_amount) == ("partially_refunded", Decimal("40.00"))
    assert Refund.objects.count() == 1
    page = client.get(detail(payment)).content.decode()
    assert "damaged" in page and "Succeeded" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"amount": "100.01", "reason": "too much"}, "can still be refunded"),
        ({"amount": "", "reason": "x"}, "This field is required"),
        ({"amount": "abc", "reason": "x"}, "Enter a number"),
        ({"amount": "5", "reason": ""}, "This field is required"),
    ],
)
def test_refund_form_shows_errors_inline(page_client, operator_admin, some, form, message):
    response = page_client(operator_admin).post(
        refund_url(some["captured"]), form | {"idempotency_key": "k1"}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Payment.objects.get(pk=some["captured"].pk).refunded_amount == 0
    assert not Refund.objects.filter(status="succeeded").exists()


def test_refund_of_another_payment_id_that_does_not_exist_is_404(page_client, operator_admin):
    response = page_client(operator_admin).post(
        "/ops/payments/999999/refunds/", {"amount": "1", "reason": "x", "idempotency_key": "k"}
    )
    assert response.status_code == 404


def test_reusing_a_form_key_for_another_amount_shows_the_error(page_client, operator_admin, some):
    client = page_client(operator_admin)
    url = refund_url(some["captured"])
    client.post(url, {"amount": "10", "reason": "damaged", "idempotency_key": "k2"})
    response = client.post(url, {"amount": "11", "reason": "damaged", "idempotency_key": "k2"})
    assert response.status_code == 422
    assert "This idempotency key was used for a different refund." in response.content.decode()
    assert Refund.objects.count() == 1
