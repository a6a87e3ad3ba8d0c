"""Lists cost a fixed number of queries, however many rows they show (no N+1)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.core.money import Money
from tradelane.markets import services
from tradelane.markets.models import Fee, FxRate, Market, TaxRegime


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200
    return len(context.captured_queries)


def add_markets(n: int) -> None:
    for i in range(n):
        code = f"Q{chr(ord('A') + i)}"
        market = Market.objects.create(
            code=code,
            name=f"Test market {code}",
            currency="EUR",
            minor_units=2,
            locales=["en-GB"],
            default_locale="en-GB",
            phone_prefix="+99",
            postal_code_required=False,
        )
        TaxRegime.objects.create(
            market=market,
            effective_from=date(2020, 1, 1),
            tax_name="VAT",
            standard_rate=Decimal("0.2"),
            b2b_rule="reverse_charge",
            duty_de_minimis_amount=Decimal(150),
            duty_de_minimis_currency="EUR",
        )
        Fee.objects.create(
            market=market,
            effective_from=date(2020, 1, 1),
            name="Fee",
            amount=Decimal(3),
            currency="EUR",
            basis="per_parcel",
        )


def add_fx_rates(n: int, user) -> None:
    add_fx_rates_from(date(2020, 1, 1), n, user)


def add_fx_rates_from(start: date, n: int, user) -> None:
    FxRate.objects.bulk_create(
        [
            FxRate(
                base="EUR",
                quote="USD",
                rate="1.1",
                as_of=start + timedelta(days=i),
                source="manual",
                created_by=user,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize(
    "path, who, bound",
    [
        ("/markets/", None, 4),
        ("/ops/markets/", "operator_support", 8),
    ],
)
def test_market_pages_do_not_grow_with_the_markets(
    db, page_client, request, django_assert_max_num_queries, path, who, bound
):
    client = page_client(request.getfixturevalue(who) if who else None)
    client.get(path)  # warm the session and the content-type caches
    with django_assert_max_num_queries(bound):
        baseline = count_queries(lambda: client.get(path))
    add_markets(12)
    with django_assert_max_num_queries(baseline):
        response = client.get(path)
    assert response.content.decode().count('data-market="') == 32


def test_api_market_list_does_not_grow_with_the_markets(db, api, django_assert_max_num_queries):
    client = api()
    with django_assert_max_num_queries(2):
        baseline = count_queries(lambda: client.get("/markets"))
    add_markets(12)
    with django_assert_max_num_queries(baseline):
        body = client.get("/markets").json()
    qa = next(m for m in body if m["code"] == "QA")
    assert len(body) == 32 and qa["tax"]["duty_de_minimis"]["amount"] == "150.00"


def test_ops_fx_page_does_not_grow_with_the_rates(
    db, page_client, operator_admin, django_assert_max_num_queries
):
    client = page_client(operator_admin)
    add_fx_rates(3, operator_admin.user)
    client.get("/ops/fx/")
    with django_assert_max_num_queries(8):
        baseline = count_queries(lambda: client.get("/ops/fx/"))
    add_fx_rates_from(date(2021, 1, 1), 60, operator_admin.user)
    with django_assert_max_num_queries(baseline):
        html = client.get("/ops/fx/").content.decode()
    assert html.count("<tr data-fx=") == 50
    assert html.count("ops-admin@test.example</td>") == 50
    with django_assert_max_num_queries(baseline):
        client.get("/ops/fx/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="fx-table")


def test_ops_market_detail_does_not_grow_with_regimes_fees_and_audit(
    db, page_client, operator_admin, django_assert_max_num_queries
):
    client = page_client(operator_admin)
    client.get("/ops/markets/NL/")
    baseline = count_queries(lambda: client.get("/ops/markets/NL/"))
    for year in range(2030, 2036):
        services.add_fee(
            actor=operator_admin,
            code="NL",
            name=f"Fee {year}",
            amount=Money.of("1", "EUR"),
            basis="per_parcel",
            effective_from=date(year, 1, 1),
        )
    with django_assert_max_num_queries(baseline):
        html = client.get("/ops/markets/NL/").content.decode()
    assert "Fee 2035" in html
