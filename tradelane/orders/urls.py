from django.urls import path

from tradelane.markets.urls import MarketCodeConverter, RowIdConverter  # noqa: F401  converters

from . import views

app_name = "orders"

urlpatterns = [
    # buyer
    path("store/<market:market>/cart/", views.cart, name="cart"),
    path("store/<market:market>/cart/<slug:action>/", views.cart_action, name="cart_action"),
    path("store/<market:market>/checkout/", views.checkout, name="checkout"),
    path("store/checkouts/<rowid:checkout_id>/", views.confirmation, name="confirmation"),
    path("store/orders/", views.buyer_orders, name="buyer_orders"),
    path("store/orders/<rowid:order_id>/", views.buyer_order, name="buyer_order"),
    # merchant
    path("merchant/orders/", views.merchant_orders, name="merchant_orders"),
    path("merchant/orders/<rowid:order_id>/", views.merchant_order, name="merchant_order"),
    # operators
    path("ops/orders/", views.ops_orders, name="ops_orders"),
    path("ops/orders/<rowid:order_id>/", views.ops_order, name="ops_order"),
    # both
    path("orders/<rowid:order_id>/<slug:action>/", views.order_action, name="order_action"),
    path("orders/<rowid:order_id>/invoice.pdf", views.invoice, name="invoice"),
]
