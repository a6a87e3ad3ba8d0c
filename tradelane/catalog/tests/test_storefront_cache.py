"""The short-lived storefront cache: served while fresh, keyed per market, parameters and
language, read only after the access rule, and a price change shows once the TTL is over."""

import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.catalog import storefront_cache
from tradelane.catalog.testing import admit, listed, price

pytestmark = pytest.mark.django_db

TTL = 5


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.STOREFRONT_CACHE_SECONDS = TTL
    caches[storefront_cache.ALIAS].clear()
    yield
    caches[storefront_cache.ALIAS].clear()


def _later(seconds):
    """Move the clock the cache reads its expiry from (time.time) forward."""
    now = time.time()
    return mock.patch("time.time", return_value=now + seconds)


def _catalog_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "catalog_" in q["sql"]]


def test_api_page_is_served_from_the_cache_until_the_ttl_then_shows_the_new_price(
    api, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="LAMP-1", unit_price="10.00")
    client = api(buyer_owner)
    first = client.get("/store/US/products")
    assert first.json()["items"][0]["unit_price"] == {"amount": "10.00", "currency": "USD"}
    price(merchant_owner, sku, "US", "USD", "12.50")

    with CaptureQueriesContext(connection) as ctx:
        cached = client.get("/store/US/products")
    assert cached.status_code == 200
    assert cached.content == first.content
    assert _catalog_queries(ctx) == []
    with _later(TTL - 1):
        assert client.get("/store/US/products").content == first.content
    with _later(TTL + 1):
        fresh = client.get("/store/US/products").json()
    assert fresh["items"][0]["unit_price"] == {"amount": "12.50", "currency": "USD"}


def test_page_result_list_is_cached_but_the_page_around_it_is_rendered_per_viewer(
    page_client, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, title="Floor lamp", code="LAMP-1", unit_price="10.00")
    buyer = page_client(buyer_owner)
    assert "$10.00" in buyer.get("/store/US/", {"q": "lamp"}).content.decode()
    price(merchant_owner, sku, "US", "USD", "12.50")

    with CaptureQueriesContext(connection) as ctx:
        html = page_client(merchant_owner).get("/store/US/", {"q": "lamp"}).content.decode()
    assert "$10.00" in html
    assert [q for q in _catalog_queries(ctx) if "catalog_listing" in q] == []
    assert merchant_owner.user.email in html and buyer_owner.user.email not in html
    with _later(TTL + 1):
        assert "$12.50" in buyer.get("/store/US/", {"q": "lamp"}).content.decode()


def test_key_separates_markets_parameters_and_languages():
    def key(market="US", language="en", **params):
        base = {"q": "lamp", "sort": "relevance", "page": 1, "min_price": None}
        return storefront_cache.key_for(
            kind="api", market=market, params={**base, **params}, language=language
        )

    assert key() == key(market="us") == key(q="  lamp ") == key(min_price="")
    assert len({key(), key(market="DE"), key(language="de"), key(q="lamps"), key(page=2)}) == 5
    assert key(sort="price_asc") != key()
    assert key(min_price="10") != key(max_price="10")
    page = storefront_cache.key_for(
        kind="page",
        market="US",
        params={"q": "lamp", "sort": "relevance", "page": 1},
        language="en",
    )
    assert page != key()


def test_cached_responses_differ_by_market_parameters_and_language(
    api, page_client, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US", "DE"])
    listed(merchant_owner, title="Floor lamp", code="LAMP-1", markets=("US", "DE"))
    listed(merchant_owner, title="Desk fan", code="FAN-1", markets=("US",))
    client = api(buyer_owner)
    assert client.get("/store/US/products").json()["count"] == 2
    assert client.get("/store/DE/products").json()["currency"] == "EUR"
    assert client.get("/store/DE/products").json()["count"] == 1
    assert client.get("/store/US/products", {"q": "fan"}).json()["items"][0]["code"] == "FAN-1"
    assert client.get("/store/US/products", {"q": "lamp"}).json()["items"][0]["code"] == "LAMP-1"
    pages = page_client(buyer_owner)
    english = pages.get("/store/DE/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = pages.get("/store/DE/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "€10.00" in english and "1 product" in english
    assert "10,00\xa0€" in german and "1 product" not in german


def test_a_cached_page_is_never_served_to_a_caller_the_access_rule_refuses(
    api, page_client, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US"])
    listed(merchant_owner, code="LAMP-1")
    assert api(buyer_owner).get("/store/US/products").status_code == 200
    assert page_client(buyer_owner).get("/store/US/").status_code == 200

    assert api().get("/store/US/products").status_code == 401
    anonymous = page_client().get("/store/US/")
    assert anonymous.status_code == 302 and "LAMP-1" not in anonymous.content.decode()


def test_cached_hits_issue_the_same_queries_whatever_the_page_size(
    api, page_client, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US"])
    for i in range(5):
        listed(merchant_owner, code=f"LAMP-{i}")
    client, pages = api(buyer_owner), page_client(buyer_owner)
    counts = []
    for size in (1, 5):
        client.get("/store/US/products", {"page_size": size})
        with CaptureQueriesContext(connection) as ctx:
            assert (
                len(client.get("/store/US/products", {"page_size": size}).json()["items"]) == size
            )
        counts.append(len(ctx.captured_queries))
        assert _catalog_queries(ctx) == []
    pages.get("/store/US/", {"q": "charger"})
    with CaptureQueriesContext(connection) as page_ctx:
        assert pages.get("/store/US/", {"q": "charger"}).content.decode().count("data-listing") == 5
    assert counts[0] == counts[1]
    assert [q for q in _catalog_queries(page_ctx) if "catalog_listing" in q] == []


def test_concurrent_misses_of_one_key_compute_it_once():
    """Racing threads (released together) ask for a missing entry: one computes it, the
    others get that result."""
    import threading

    threads, computed, got = 8, [], []
    barrier = threading.Barrier(threads)

    def compute():
        computed.append(1)
        time.sleep(0.2)  # a slow page: the others arrive while it is being computed
        return b"page"

    def ask():
        barrier.wait()
        got.append(storefront_cache.cached("store:test:race", compute))

    workers = [threading.Thread(target=ask) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert (len(computed), got) == (1, [b"page"] * threads)
