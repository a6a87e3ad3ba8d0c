from django.urls import path

from tradelane.markets.urls import RowIdConverter  # noqa: F401  registers <rowid:>

from . import views

app_name = "fulfilment"

urlpatterns = [
    path("merchant/pickups/", views.pickups, name="pickups"),
    path("merchant/pickups/scan/", views.scan, name="scan"),
    path("merchant/shipments/", views.merchant_shipments, name="merchant_shipments"),
    path("shipments/<rowid:shipment_id>/<str:name>", views.document, name="document"),
    path(
        "shipments/orders/<rowid:order_id>/tracking/", views.order_tracking, name="order_tracking"
    ),
    path("track/", views.track, name="track_search"),
    path("track/<str:number>/", views.track, name="track"),
    path("ops/shipments/", views.ops_shipments, name="ops_shipments"),
    path("ops/shipments/exceptions/", views.ops_exceptions, name="ops_exceptions"),
    path("ops/shipments/sla/", views.ops_sla, name="ops_sla"),
    path("ops/shipments/credit-rule/", views.ops_credit_rule, name="ops_credit_rule"),
    path("ops/shipments/<rowid:shipment_id>/", views.ops_shipment, name="ops_shipment"),
    path("ops/shipments/<rowid:shipment_id>/<slug:action>/", views.ops_action, name="ops_action"),
]
