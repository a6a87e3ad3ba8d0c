from django.urls import path, register_converter

from . import views


class MarketCodeConverter:
    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


class RowIdConverter:
    """A database id: bounded so that a huge number is a 404, not an integer overflow."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(MarketCodeConverter, "market")
register_converter(RowIdConverter, "rowid")

app_name = "markets"
urlpatterns = [
    path("markets/", views.market_list, name="list"),
    path("markets/<market:code>/", views.market_detail, name="detail"),
    path("ops/markets/", views.ops_market_list, name="ops_list"),
    path("ops/markets/<market:code>/", views.ops_market_detail, name="ops_detail"),
    path("ops/markets/<market:code>/status/", views.ops_market_status, name="ops_status"),
    path("ops/markets/<market:code>/tax-regimes/", views.ops_regime_add, name="ops_regime_add"),
    path(
        "ops/markets/<market:code>/tax-regimes/<rowid:regime_id>/end/",
        views.ops_regime_end,
        name="ops_regime_end",
    ),
    path("ops/markets/<market:code>/fees/", views.ops_fee_add, name="ops_fee_add"),
    path(
        "ops/markets/<market:code>/fees/<rowid:fee_id>/end/",
        views.ops_fee_end,
        name="ops_fee_end",
    ),
    path("ops/fx/", views.ops_fx, name="ops_fx"),
    path("ops/fx/rates/", views.ops_fx_set, name="ops_fx_set"),
    path("ops/fx/import/", views.ops_fx_import, name="ops_fx_import"),
]
