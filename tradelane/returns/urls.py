from django.urls import path

from tradelane.markets.urls import RowIdConverter  # noqa: F401  registers <rowid:>

from . import views

app_name = "returns"

urlpatterns = [
    # buyer
    path("store/orders/<rowid:order_id>/return/", views.request_form, name="request"),
    path("store/returns/", views.buyer_returns, name="buyer_returns"),
    path("store/returns/<rowid:return_id>/", views.buyer_return, name="buyer_return"),
    # merchant
    path("merchant/returns/", views.merchant_returns, name="merchant_returns"),
    path("merchant/returns/<rowid:return_id>/", views.merchant_return, name="merchant_return"),
    path("merchant/return-terms/", views.merchant_terms, name="merchant_terms"),
    # operators
    path("ops/returns/", views.ops_queue, name="ops_queue"),
    path("ops/returns/all/", views.ops_returns, name="ops_returns"),
    path("ops/returns/policies/", views.ops_policies, name="ops_policies"),
    path("ops/returns/<rowid:return_id>/", views.ops_return, name="ops_return"),
    # all parties
    path("returns/<rowid:return_id>/<slug:action>/", views.return_action, name="action"),
    path(
        "returns/<rowid:return_id>/evidence/<rowid:evidence_id>",
        views.evidence,
        name="evidence",
    ),
]
