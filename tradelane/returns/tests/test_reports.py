"""Return rates: per SKU (merchants, their own only), per merchant and per top-level
category (operators), as pages with charts and as API lists — exact figures on a small
fixture, cancelled and denied requests excluded, no deliveries shown as "—", filters
validated, a constant number of queries per page."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tradelane.accounts.testing import make_actor
from tradelane.catalog.models import Category, Product
from tradelane.orders import services as orders
from tradelane.orders.testing import place_order, selling
from tradelane.returns import reports, services
from tradelane.returns.testing import delivered_order, make_return

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _deliver(buyer, merchant, sku, quantity, days_ago, market="US"):
    """An order of `quantity` of `sku` delivered `days_ago` days ago."""
    at = timezone.now() - days_ago * DAY
    if market == "US":
        return delivered_order(buyer, merchant, quantity=quantity, at=at, sku=sku)
    order = place_order(buyer, merchant, quantity=quantity, sku=sku, market=market)
    orders.accept_order(actor=merchant, order_id=order.pk)
    orders.record_handover(order_id=order.pk)
    return orders.record_delivered(order_id=order.pk, at=at)


def _return(buyer, order, quantity, reason="defective", days_ago=None):
    """A request (status `requested`: no approval) made now or `days_ago` days ago."""
    if days_ago is None:
        return make_return(buyer, None, quantity=quantity, reason=reason, order=order)
    return services.request_return(
        actor=buyer,
        order_line_id=order.lines.get().pk,
        quantity=quantity,
        reason=reason,
        now=timezone.now() - days_ago * DAY,
    )


def _categorise(sku, category):
    Product.objects.filter(pk=sku.product_id).update(category=category)


@pytest.fixture
def fixture(buyer_owner, merchant_owner, other_merchant, operator_support):
    """Shenzhen Volt: SKU A (20 units delivered in the last 90 days, 5 returned; 10 more
    delivered 200 days ago with 2 returned then) and SKU B (delivered 95 days ago, 1
    returned 88 days ago: no delivery in 90 days). Yiwu Home: SKU Y, 4 delivered, 1
    returned. Categories: Electronics > Chargers > GaN (A), Electronics > Chargers (Y),
    Home (B)."""
    a = selling(merchant_owner, code="VOLT-A", title="Charger A")
    b = selling(merchant_owner, code="VOLT-B", title="Lamp B")
    y = selling(other_merchant, code="YIWU-Y", title="Cable Y")
    electronics = Category.objects.create(name="Electronics", slug="electronics")
    chargers = Category.objects.create(name="Chargers", slug="chargers", parent=electronics)
    gan = Category.objects.create(name="GaN", slug="gan", parent=chargers)
    home = Category.objects.create(name="Home", slug="home")
    _categorise(a, gan)
    _categorise(b, home)
    _categorise(y, chargers)

    first = _deliver(buyer_owner, merchant_owner, a, 10, days_ago=5)
    second = _deliver(buyer_owner, merchant_owner, a, 10, days_ago=10)
    _return(buyer_owner, first, 3, "defective")
    _return(buyer_owner, second, 2, "not_as_described")
    cancelled = _return(buyer_owner, second, 4, "defective")
    services.cancel_return(actor=buyer_owner, return_id=cancelled.pk)
    denied = _return(buyer_owner, first, 1, "wrong_item")
    services.reject_return(actor=merchant_owner, return_id=denied.pk, reason="Used")
    services.dispute_return(actor=buyer_owner, return_id=denied.pk, note="It was not")
    services.resolve_return(
        actor=operator_support, return_id=denied.pk, decision="deny", note="Photos show use"
    )
    old = _deliver(buyer_owner, merchant_owner, a, 10, days_ago=200)
    _return(buyer_owner, old, 2, "wrong_item", days_ago=195)
    lamp = _deliver(buyer_owner, merchant_owner, b, 5, days_ago=95)
    _return(buyer_owner, lamp, 1, "defective", days_ago=88)

    cable = _deliver(buyer_owner, other_merchant, y, 4, days_ago=3)
    _return(buyer_owner, cable, 1, "missing_item")
    return {"a": a, "b": b, "y": y, "electronics": electronics, "home": home}


def _window(days=90, market=None):
    return reports.window(period=days, market=market)


def _by_key(rows):
    return {row.key: row for row in rows}


# --- the rule -------------------------------------------------------------------------------


def test_sku_rate_counts_live_returns_over_deliveries_of_the_period(fixture, merchant_owner):
    rows = _by_key(reports.sku_rates(actor=merchant_owner, window=_window())[0:50])
    a, b = rows[fixture["a"].pk], rows[fixture["b"].pk]
    # cancelled (4) and denied (1) requests are not returns; the 200-day-old order is out
    assert (a.delivered, a.returned, a.rate, a.percent) == (20, 5, 0.25, 25)
    assert [(r.reason, r.units) for r in a.top_reasons] == [
        ("defective", 3),
        ("not_as_described", 2),
    ]
    # returned in the period, nothing delivered in it: no rate, not a division error
    assert (b.delivered, b.returned, b.rate, b.percent) == (0, 1, None, None)
    assert set(rows) == {fixture["a"].pk, fixture["b"].pk}  # never Yiwu's SKU


def test_the_period_widens_to_a_year_and_narrows_to_30_days(fixture, merchant_owner):
    year = _by_key(reports.sku_rates(actor=merchant_owner, window=_window(365))[0:50])
    a = year[fixture["a"].pk]
    assert (a.delivered, a.returned, str(a.rate)) == (30, 7, "0.233")
    assert (year[fixture["b"].pk].delivered, year[fixture["b"].pk].returned) == (5, 1)
    month = _by_key(reports.sku_rates(actor=merchant_owner, window=_window(30))[0:50])
    assert set(month) == {fixture["a"].pk}  # B had nothing in the last 30 days


def test_merchant_and_category_rates_for_operators(fixture, operator_support, merchant_owner):
    merchants = reports.merchant_rates(actor=operator_support, window=_window())[0:50]
    assert [(r.label, r.delivered, r.returned, r.percent) for r in merchants] == [
        ("Shenzhen Volt", 20, 6, 30),
        ("Yiwu Home", 4, 1, 25),
    ]
    categories = reports.category_rates(actor=operator_support, window=_window())
    # GaN and Chargers fold into Electronics; Home has no delivery in 90 days: last
    assert [(r.label, r.delivered, r.returned, r.percent) for r in categories] == [
        ("Electronics", 24, 6, 25),
        ("Home", 0, 1, None),
    ]
    assert [r.reason for r in categories[0].top_reasons] == [
        "defective",
        "not_as_described",
        "missing_item",
    ]
    with pytest.raises(reports.NotFound):
        reports.merchant_rates(actor=merchant_owner, window=_window())
    with pytest.raises(reports.NotFound):
        reports.category_rates(actor=merchant_owner, window=_window())


@pytest.fixture
def eur(db):
    """An EUR/USD rate, so that orders to DE can be priced."""
    from tradelane.logistics.selectors import snapshots
    from tradelane.markets import services as markets

    snapshots.clear()
    markets.set_fx_rate(
        actor=None, base="EUR", quote="USD", rate="1.25", as_of=date(2025, 1, 1), source="TEST"
    )
    yield
    snapshots.clear()


def test_a_market_filter_counts_only_that_market(
    eur, buyer_owner, other_merchant, operator_support
):
    y = selling(other_merchant, code="YIWU-Y", title="Cable Y")
    _deliver(buyer_owner, other_merchant, y, 4, days_ago=3, market="US")
    de = _deliver(buyer_owner, other_merchant, y, 6, days_ago=3, market="DE")
    _return(buyer_owner, de, 3)
    [us_row] = reports.merchant_rates(actor=operator_support, window=_window(market="us"))[0:5]
    assert (us_row.delivered, us_row.returned) == (4, 0)
    [de_row] = reports.merchant_rates(actor=operator_support, window=_window(market="DE"))[0:5]
    assert (de_row.delivered, de_row.returned, de_row.percent) == (6, 3, 50)
    [all_row] = reports.merchant_rates(actor=operator_support, window=_window())[0:5]
    assert (all_row.delivered, all_row.returned) == (10, 3)


def test_sorts(fixture, merchant_owner):
    def codes(sort):
        return [
            r.code
            for r in reports.sku_rates(actor=merchant_owner, window=_window(), sort=sort)[0:9]
        ]

    assert codes("rate") == ["VOLT-A", "VOLT-B"]  # no rate last
    assert codes("delivered") == ["VOLT-A", "VOLT-B"]
    assert codes("returned") == ["VOLT-A", "VOLT-B"]
    assert codes("name") == ["VOLT-A", "VOLT-B"]
    with pytest.raises(reports.InvalidInput) as error:
        codes("price")
    assert error.value.field == "sort"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": 45}, "period"),
        ({"period": "soon"}, "period"),
        ({"market": "ZZ"}, "market"),
    ],
)
def test_window_refuses_bad_parameters(db, params, field):
    with pytest.raises(reports.InvalidInput) as error:
        reports.window(**params)
    assert error.value.field == field


# --- API ------------------------------------------------------------------------------------


def test_api_merchant_sees_only_its_own_skus(api, fixture, merchant_owner, other_merchant):
    response = api(merchant_owner).get("/returns/rates/skus")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first == {
        "sku_id": fixture["a"].pk,
        "sku_code": "VOLT-A",
        "title": "Charger A",
        "merchant_id": merchant_owner.organisation_id,
        "merchant_name": "Shenzhen Volt",
        "units_delivered": 20,
        "units_returned": 5,
        "rate_percent": "25.0",
        "top_reasons": [
            {"reason": "defective", "label": "Defective", "units": 3},
            {"reason": "not_as_described", "label": "Not as described", "units": 2},
        ],
    }
    assert body["items"][1]["rate_percent"] is None
    other = api(merchant_owner).get(
        "/returns/rates/skus", {"merchant": other_merchant.organisation_id}
    )
    assert other.status_code == 404 and other.json()["field"] == "merchant"
    own = api(merchant_owner).get(
        "/returns/rates/skus", {"merchant": merchant_owner.organisation_id}
    )
    assert own.json()["count"] == 2
    yiwu = api(other_merchant).get("/returns/rates/skus").json()
    assert [i["sku_code"] for i in yiwu["items"]] == ["YIWU-Y"]


def test_api_operator_reads_any_merchant(api, fixture, operator_support, other_merchant):
    everyone = api(operator_support).get("/returns/rates/skus", {"period": 365}).json()
    assert [i["sku_code"] for i in everyone["items"]] == ["YIWU-Y", "VOLT-A", "VOLT-B"]
    one = api(operator_support).get(
        "/returns/rates/skus", {"merchant": other_merchant.organisation_id}
    )
    assert [i["sku_code"] for i in one.json()["items"]] == ["YIWU-Y"]
    assert api(operator_support).get("/returns/rates/skus", {"merchant": 999999}).status_code == 404
    merchants = api(operator_support).get("/returns/rates/merchants").json()
    assert merchants["count"] == 2
    assert [(i["merchant_name"], i["rate_percent"]) for i in merchants["items"]] == [
        ("Shenzhen Volt", "30.0"),
        ("Yiwu Home", "25.0"),
    ]
    categories = api(operator_support).get("/returns/rates/categories", {"sort": "name"}).json()
    assert [
        (i["category_id"], i["category_name"], i["rate_percent"]) for i in categories["items"]
    ] == [
        (fixture["electronics"].pk, "Electronics", "25.0"),
        (fixture["home"].pk, "Home", None),
    ]
    paged = api(operator_support).get("/returns/rates/categories", {"page_size": 1, "page": 2})
    assert paged.json() == {**paged.json(), "count": 2}
    assert [i["category_name"] for i in paged.json()["items"]] == ["Home"]


def test_api_refuses_other_roles(api, buyer_owner, merchant_owner):
    for path in ("/returns/rates/skus", "/returns/rates/merchants", "/returns/rates/categories"):
        assert api(buyer_owner).get(path).status_code == 403
        assert api().get(path).status_code == 401
    assert api(merchant_owner).get("/returns/rates/merchants").status_code == 403
    assert api(merchant_owner).get("/returns/rates/categories").status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": 7}, "period"),
        ({"period": "ninety"}, "period"),
        ({"market": "ZZ"}, "market"),
        ({"market": "USA"}, "market"),
        ({"sort": "price"}, "sort"),
        ({"page_size": 500}, "page_size"),
    ],
)
def test_api_names_the_bad_parameter(api, operator_support, params, field):
    for path in ("/returns/rates/skus", "/returns/rates/merchants", "/returns/rates/categories"):
        response = api(operator_support).get(path, params)
        assert response.status_code == 422, path
        assert response.json()["field"] == field


def test_api_empty_lists(api, merchant_owner, operator_support):
    assert api(merchant_owner).get("/returns/rates/skus").json() == {"items": [], "count": 0}
    assert api(operator_support).get("/returns/rates/categories").json() == {
        "items": [],
        "count": 0,
    }


# --- pages ----------------------------------------------------------------------------------


def test_merchant_page_shows_its_skus(page_client, fixture, merchant_owner):
    response = page_client(merchant_owner).get("/merchant/returns/rates/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="rate-definition"' in html
    row = re.search(rf'<tr data-key="{fixture["a"].pk}">(.*?)</tr>', html).group(1)
    assert '<td class="num" data-col="delivered">20</td>' in row
    assert '<td class="num" data-col="returned">5</td>' in row
    assert '<td class="num" data-col="rate">25%</td>' in row
    assert "Defective (3), Not as described (2)" in row
    lamp = re.search(rf'<tr data-key="{fixture["b"].pk}">(.*?)</tr>', html).group(1)
    assert '<td class="num" data-col="rate">—</td>' in lamp
    assert "YIWU-Y" not in html
    assert 'href="/merchant/returns/rates/"' in html  # the navigation link


def test_merchant_page_empty_and_refused_filters(page_client, merchant_owner, buyer_owner):
    client = page_client(merchant_owner)
    empty = client.get("/merchant/returns/rates/")
    assert empty.status_code == 200 and b'data-testid="sku-rates-empty"' in empty.content
    bad = client.get("/merchant/returns/rates/", {"period": "45"})
    assert bad.status_code == 422
    assert b'data-field="period"' in bad.content
    assert b'data-testid="sku-rates"' not in bad.content
    assert client.get("/merchant/returns/rates/", {"sort": "x"}).status_code == 422
    assert page_client(buyer_owner).get("/merchant/returns/rates/").status_code == 403
    assert page_client(merchant_owner).get("/ops/returns/rates/").status_code == 403


def _svg(html, chart_id):
    return re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)


def test_ops_page_charts_one_bar_per_merchant_and_category(page_client, fixture, operator_support):
    response = page_client(operator_support).get("/ops/returns/rates/")
    assert response.status_code == 200
    html = response.content.decode()
    merchants = _svg(html, "return-rate-merchants")
    assert merchants.count('<g class="bar') == 2
    assert 'role="img"' in merchants and "<title" in merchants and "<desc" in merchants
    assert "Shenzhen Volt: 30% (6/20)" in merchants
    assert "Yiwu Home: 25% (1/4)" in merchants
    categories = _svg(html, "return-rate-categories")
    assert categories.count('<g class="bar') == 2
    assert "Electronics: 25% (6/24)" in categories
    assert "Home: — no deliveries" in categories
    # the same figures in tables, the charts' text alternative
    assert 'data-testid="merchant-rates"' in html and 'data-testid="category-rates"' in html
    assert 'href="/ops/returns/rates/"' in html


def test_ops_page_filters_by_market_and_period(page_client, fixture, operator_support):
    client = page_client(operator_support)
    de = client.get("/ops/returns/rates/", {"market": "DE", "period": "30"})
    assert de.status_code == 200
    assert b'data-testid="merchant-rates-empty"' in de.content
    assert b'data-testid="chart-merchants"' not in de.content
    year = client.get("/ops/returns/rates/", {"period": "365"}).content.decode()
    assert "Shenzhen Volt: 22.9% (8/35)" in _svg(year, "return-rate-merchants")
    bad = client.get("/ops/returns/rates/", {"market": "ZZ"})
    assert bad.status_code == 422 and b'data-field="market"' in bad.content


# --- constant queries -----------------------------------------------------------------------


def _sku_with_activity(buyer, merchant, n):
    sku = selling(merchant, code=f"Q-{n}", title=f"Item {n}")
    order = _deliver(buyer, merchant, sku, 5, days_ago=2)
    _return(buyer, order, 1, "defective")
    return sku


def _count(callable_):
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
        assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_whatever_its_rows(
    api, page_client, buyer_owner, merchant_owner, operator_support, django_assert_max_num_queries
):
    _sku_with_activity(buyer_owner, merchant_owner, 0)
    calls = {
        "merchant page": lambda: page_client(merchant_owner).get("/merchant/returns/rates/"),
        "ops page": lambda: page_client(operator_support).get("/ops/returns/rates/"),
        "skus": lambda: api(merchant_owner).get("/returns/rates/skus"),
        "merchants": lambda: api(operator_support).get("/returns/rates/merchants"),
        "categories": lambda: api(operator_support).get("/returns/rates/categories"),
    }
    few = {name: _count(call) for name, call in calls.items()}
    for n in range(1, 4):
        _sku_with_activity(buyer_owner, merchant_owner, n)
    for n in range(3):
        other = make_actor("merchant", "owner", email=f"m{n}@q.test", org_name=f"Q{n}")
        _sku_with_activity(buyer_owner, other, 10 + n)
    assert api(merchant_owner).get("/returns/rates/skus").json()["count"] == 4
    for name, call in calls.items():
        with django_assert_max_num_queries(few[name]):
            call()


def test_rate_chart_draws_one_bar_per_row_and_scales_its_axis():
    from tradelane.returns import charts

    rows = [
        reports.RateRow(
            key=1, label="A very long merchant name that goes on", delivered=8, returned=1
        ),
        reports.RateRow(key=2, label="Small", delivered=0, returned=2),
        reports.RateRow(key=3, label="Big", delivered=2, returned=3),
    ]
    svg = str(charts.rate_chart(rows, chart_id="t", title="T"))
    assert svg.count('<g class="bar') == 3
    assert svg.count('height="18"') == 2  # no bar without deliveries
    assert "A very long merchant name tha…: 12.5% (1/8)" in svg
    assert "Small: — no deliveries" in svg and "Big: 150% (3/2)" in svg
    assert charts.step_for(rows) == 25  # 150% → ticks every 25%
    assert charts.step_for(rows[:1]) == 2
    assert charts.step_for([]) == 1
