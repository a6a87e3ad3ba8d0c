"""The market list's rate chart and the FX list's htmx partial."""

from tradelane.markets.models import FxRate


def test_market_list_shows_the_rate_chart_with_live_markets_emphasised(db, page_client):
    html = page_client().get("/markets/").content.decode()
    assert html.count('<g class="bar') == 20
    assert html.count('<g class="bar emphasis">') == 6  # the six live markets
    assert "<title>Germany (DE) (live): 19%</title>" in html
    assert "<title>Singapore (SG): 9%</title>" in html
    # highest rate today is Italy's 22%, so the axis ends at 25% and DE's bar is 19/25 of 400
    assert 'width="304" height="18" fill="#1d4ed8"' in html
    assert "<figcaption>" in html and 'role="img"' in html
    assert "<script" not in html.split("<figure")[1].split("</figure>")[0]


def test_market_list_chart_follows_the_status_filter(db, page_client):
    html = page_client().get("/markets/", {"status": "planned"}).content.decode()
    assert html.count('<g class="bar') == 14
    assert '<g class="bar emphasis">' not in html


def add_rates(days=30):
    FxRate.objects.bulk_create(
        [
            FxRate(base="EUR", quote=quote, rate="1.1", as_of=f"2026-01-{d:02d}", source="ECB")
            for d in range(1, days + 1)
            for quote in ("USD", "GBP")
        ]
    )


def test_fx_filter_and_pages_are_wired_for_htmx(db, page_client, operator_support):
    add_rates()
    html = page_client(operator_support).get("/ops/fx/").content.decode()
    assert 'hx-get="/ops/fx/" hx-target="#fx-table" hx-push-url="true"' in html
    assert '<div id="fx-table" aria-live="polite">' in html
    assert (
        '<a href="/ops/fx/?page=2" hx-get="/ops/fx/?page=2" hx-target="#fx-table" '
        'hx-push-url="true" rel="next">' in html
    )


def test_fx_htmx_request_gets_only_the_table(db, page_client, operator_support):
    add_rates()
    client = page_client(operator_support)
    response = client.get(
        "/ops/fx/",
        {"quote": "USD", "page": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="fx-table",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.count("<tr data-fx=") == 30
    assert "EUR/GBP" not in html
    assert "30 rates" in html
    assert "HX-Request" in response["Vary"]
    page2 = client.get("/ops/fx/", {"page": "2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="fx-table")
    assert page2.content.decode().count("<tr data-fx=") == 10
    assert 'hx-get="/ops/fx/?page=1"' in page2.content.decode()


def test_fx_filter_keeps_the_filter_in_page_links(db, page_client, operator_support):
    FxRate.objects.bulk_create(
        [
            FxRate(base="EUR", quote="USD", rate="1.1", as_of=f"2026-{m:02d}-{d:02d}", source="ECB")
            for m in (1, 2, 3)
            for d in range(1, 21)
        ]
    )
    html = page_client(operator_support).get("/ops/fx/", {"quote": "USD"}).content.decode()
    assert 'hx-get="/ops/fx/?quote=USD&amp;page=2"' in html


def test_fx_without_htmx_or_on_history_restore_gets_the_full_page(
    db, page_client, operator_support
):
    client = page_client(operator_support)
    assert "<html" in client.get("/ops/fx/", {"quote": "USD"}).content.decode()
    restore = client.get(
        "/ops/fx/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="fx-table",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restore.content.decode()


def test_fx_htmx_filter_error_is_shown_in_the_partial(db, page_client, operator_support):
    response = page_client(operator_support).get(
        "/ops/fx/", {"base": "ZZZ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="fx-table"
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "Base: Unknown currency code &#x27;ZZZ&#x27;." in html
