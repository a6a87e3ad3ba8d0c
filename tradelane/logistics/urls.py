from django.urls import path

from tradelane.markets.urls import (  # noqa: F401  (registers "market" and "rowid")
    MarketCodeConverter,
    RowIdConverter,
)

from . import views

app_name = "logistics"
urlpatterns = [
    path("merchant/landed-cost/", views.calculator, name="calculator"),
    path(
        "store/<market:market>/products/<rowid:sku_id>/delivered-cost/",
        views.delivered_cost,
        name="delivered_cost",
    ),
    path("ops/logistics/rate-cards/", views.ops_rate_cards, name="ops_rate_cards"),
    path("ops/logistics/rate-cards/<rowid:card_id>/", views.ops_rate_card, name="ops_rate_card"),
    path("ops/logistics/duty-rates/", views.ops_duty_rates, name="ops_duty_rates"),
    path(
        "ops/logistics/duty-rates/<rowid:rate_id>/end/",
        views.ops_duty_rate_end,
        name="ops_duty_rate_end",
    ),
]
