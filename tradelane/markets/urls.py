from django.urls import path, register_converter

from . import views


class MarketCodeConverter:
    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(MarketCodeConverter, "market")

app_name = "markets"
urlpatterns = [
    path("markets/", views.market_list, name="list"),
    path("markets/<market:code>/", views.market_detail, name="detail"),
    path("ops/markets/", views.ops_market_list, name="ops_list"),
    path("ops/markets/<market:code>/", views.ops_market_detail, name="ops_detail"),
    path("ops/markets/<market:code>/status/", views.ops_market_status, name="ops_status"),
    path("ops/fx/", views.ops_fx, name="ops_fx"),
    path("ops/fx/rates/", views.ops_fx_set, name="ops_fx_set"),
    path("ops/fx/import/", views.ops_fx_import, name="ops_fx_import"),
]
