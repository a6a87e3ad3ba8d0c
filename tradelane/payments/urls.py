from django.urls import path

from tradelane.markets.urls import RowIdConverter  # noqa: F401  registers <rowid:>

from . import views

app_name = "payments"
urlpatterns = [
    path("ops/payments/", views.ops_payment_list, name="ops_list"),
    path("ops/payments/<rowid:payment_id>/", views.ops_payment_detail, name="ops_detail"),
    path("ops/payments/<rowid:payment_id>/refunds/", views.ops_refund, name="ops_refund"),
]
