from django.urls import path

from tradelane.markets.urls import RowIdConverter  # noqa: F401  registers <rowid:>

from .views import inspection as inspection_views
from .views import reports as reports_views
from .views import requests as views
from .views import reverse as reverse_views

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
    # reverse logistics (views/reverse.py)
    path("returns/<rowid:return_id>/shipment/panel/", reverse_views.panel, name="reverse_panel"),
    path("returns/<rowid:return_id>/shipment/method/", reverse_views.method, name="reverse_method"),
    path("returns/<rowid:return_id>/label.pdf", reverse_views.label, name="reverse_label"),
    path("ops/returns/receive/", reverse_views.receive_page, name="ops_receive"),
    path("ops/returns/receive/scan/", reverse_views.receive, name="ops_receive_scan"),
    path("ops/returns/points/", reverse_views.return_points, name="ops_return_points"),
    path("ops/returns/points/<str:market>/", reverse_views.return_point, name="ops_return_point"),
    # inspection, disposition, refunds (views/inspection.py)
    path("ops/returns/inspection/", inspection_views.inspection_queue, name="inspection_queue"),
    path(
        "ops/returns/<rowid:return_id>/inspection/",
        inspection_views.inspection_return,
        name="inspection",
    ),
    path("ops/returns/<rowid:return_id>/inspection/grade/", inspection_views.grade, name="grade"),
    path(
        "ops/returns/<rowid:return_id>/inspection/confirm/",
        inspection_views.confirm,
        name="confirm",
    ),
    path(
        "ops/returns/<rowid:return_id>/refund/retry/",
        inspection_views.retry_refund,
        name="retry_refund",
    ),
    path("ops/returns/consolidations/", inspection_views.consolidations, name="consolidations"),
    path(
        "ops/returns/consolidations/<rowid:consolidation_id>/ship/",
        inspection_views.ship,
        name="ship_consolidation",
    ),
    # return rates (views/reports.py)
    path("merchant/returns/rates/", reports_views.merchant_rates, name="merchant_rates"),
    path("ops/returns/rates/", reports_views.ops_rates, name="ops_rates"),
]
