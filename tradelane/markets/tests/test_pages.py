from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tradelane.core.models import AuditEntry
from tradelane.markets.models import FxRate, Market, MarketStatusChange

SAMPLE = (Path(__file__).parent / "data" / "eurofxref-hist-small.xml").read_bytes()


def test_public_market_list_shows_twenty_markets(db, page_client):
    response = page_client().get("/markets/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-market="') == 20
    assert 'href="/markets/GB/"' in html


def test_public_market_list_filters_live(db, page_client):
    html = page_client().get("/markets/", {"status": "live"}).content.decode()
    assert html.count('data-market="') == 6


def test_public_market_page_explains_the_rules(db, page_client):
    response = page_client().get("/markets/gb/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "United Kingdom" in html
    assert "No customs duty is due on consignments worth up to £135.00." in html
    assert "Reverse charge: customer to account for VAT to HMRC" in html
    assert "20%" in html


def test_public_market_page_lists_fees_with_dates(db, page_client):
    html = page_client().get("/markets/DE/").content.decode()
    assert "EU flat customs duty on low-value consignments" in html
    assert "2028-07-01" in html
    assert "€3.00" in html


def test_market_page_formats_money_for_the_language(db, page_client):
    client = page_client()
    html = client.get("/markets/DE/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "150,00\xa0€" in html


def test_unknown_market_page_is_404(db, page_client):
    assert page_client().get("/markets/ZZ/").status_code == 404


def test_ops_pages_need_an_operator(db, page_client, merchant_owner):
    assert page_client().get("/ops/markets/").status_code == 302
    assert page_client(merchant_owner).get("/ops/markets/").status_code == 403
    assert page_client(merchant_owner).get("/ops/fx/").status_code == 403


def test_ops_market_list_and_detail(db, page_client, operator_support):
    client = page_client(operator_support)
    assert client.get("/ops/markets/").content.decode().count('data-market="') == 20
    html = client.get("/ops/markets/NL/").content.decode()
    assert "Netherlands" in html
    assert '<form method="post" action="/ops/markets/NL/"' not in html  # support may look, not edit


def test_support_cannot_post_edits(db, page_client, operator_support):
    response = page_client(operator_support).post("/ops/markets/NL/", {"name": "X"})
    assert response.status_code == 403
    assert Market.objects.get(pk="NL").name == "Netherlands"


def edit_data(**overrides):
    data = {
        "name": "Netherlands",
        "locales": "nl-NL, en-NL",
        "default_locale": "nl-NL",
        "display_decimals": "",
        "postal_code_regex": "^[1-9][0-9]{3} ?[A-Z]{2}$",
        "postal_code_example": "1065 AM",
        "postal_code_required": "on",
        "phone_prefix": "+31",
        "source_note": "x",
    }
    return {**data, **overrides}


def test_admin_edits_a_market_through_the_form(db, page_client, operator_admin):
    response = page_client(operator_admin).post("/ops/markets/NL/", edit_data(name="Nederland"))
    assert response.status_code == 302
    assert Market.objects.get(pk="NL").name == "Nederland"
    assert AuditEntry.objects.filter(action="markets.market_updated", target_id="NL").count() == 1


def test_edit_form_shows_errors_inline_and_saves_nothing(db, page_client, operator_admin):
    response = page_client(operator_admin).post(
        "/ops/markets/NL/", edit_data(default_locale="fr-FR", name="Y")
    )
    assert response.status_code == 422
    assert 'id="id_default_locale-error"' in response.content.decode()
    assert Market.objects.get(pk="NL").name == "Netherlands"


def test_admin_changes_status_and_sees_history(db, page_client, operator_admin):
    client = page_client(operator_admin)
    assert (
        client.post(
            "/ops/markets/NL/status/", {"status": "recruiting", "note": "first merchants"}
        ).status_code
        == 302
    )
    html = client.get("/ops/markets/NL/").content.decode()
    assert "first merchants" in html
    assert "markets.market_status_changed" in html
    assert MarketStatusChange.objects.filter(subject_id="NL").count() == 1


def test_status_form_refuses_a_disallowed_status(db, page_client, operator_admin):
    response = page_client(operator_admin).post("/ops/markets/NL/status/", {"status": "live"})
    assert response.status_code == 422
    assert Market.objects.get(pk="NL").status == "planned"


def test_fx_page_uploads_ecb_file(db, page_client, operator_admin):
    client = page_client(operator_admin)
    upload = SimpleUploadedFile("eurofxref.xml", SAMPLE, content_type="text/xml")
    response = client.post("/ops/fx/import/", {"file": upload, "source": "ECB"})
    assert response.status_code == 302
    assert FxRate.objects.count() == 6
    html = client.get("/ops/fx/", {"quote": "USD"}).content.decode()
    assert "EUR/USD" in html and "EUR/GBP" not in html


def test_fx_page_shows_upload_errors_and_saves_nothing(db, page_client, operator_admin):
    upload = SimpleUploadedFile("bad.xml", b"<oops", content_type="text/xml")
    response = page_client(operator_admin).post(
        "/ops/fx/import/", {"file": upload, "source": "ECB"}
    )
    assert response.status_code == 422
    assert "not well-formed XML" in response.content.decode()
    assert FxRate.objects.count() == 0


def test_fx_page_adds_a_rate_and_shows_field_errors(db, page_client, operator_admin):
    client = page_client(operator_admin)
    data = {"base": "usd", "quote": "cny", "rate": "7.1", "as_of": "2026-11-20", "source": "manual"}
    assert client.post("/ops/fx/rates/", data).status_code == 302
    assert FxRate.objects.get().base == "USD"
    bad = client.post("/ops/fx/rates/", {**data, "quote": "USD"})
    assert bad.status_code == 422
    assert 'id="id_quote-error"' in bad.content.decode()
    assert FxRate.objects.count() == 1


def test_fx_page_paginates(db, page_client, operator_support):
    FxRate.objects.bulk_create(
        [
            FxRate(base="EUR", quote="USD", rate="1.1", as_of=f"2026-01-{d:02d}", source="ECB")
            for d in range(1, 31)
        ]
        + [
            FxRate(base="EUR", quote="GBP", rate="0.8", as_of=f"2026-01-{d:02d}", source="ECB")
            for d in range(1, 31)
        ]
    )
    html = page_client(operator_support).get("/ops/fx/").content.decode()
    assert "Page 1 of 2" in html
    assert 'action="/ops/fx/rates/"' not in html  # support sees no edit forms
