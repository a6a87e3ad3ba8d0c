from django.urls import path

from tradelane.markets.urls import RowIdConverter  # noqa: F401  registers "rowid"

from .views import merchant, ops, public

app_name = "merchants"

urlpatterns = [
    # merchant portal
    path("merchant/program/", merchant.program, name="program"),
    path(
        "merchant/program/editions/<rowid:edition_id>/apply/",
        merchant.start_application,
        name="apply",
    ),
    path("merchant/applications/<rowid:application_id>/", merchant.application, name="application"),
    path(
        "merchant/applications/<rowid:application_id>/eligibility/",
        merchant.eligibility,
        name="eligibility",
    ),
    path("merchant/warehouses/", merchant.warehouses, name="warehouses"),
    path("merchant/warehouses/new/", merchant.warehouse_new, name="warehouse_new"),
    path(
        "merchant/warehouses/<rowid:warehouse_id>/", merchant.warehouse_edit, name="warehouse_edit"
    ),
    path("merchant/profile/", merchant.profile, name="profile"),
    # operator portal
    path("ops/program/", ops.editions, name="ops_editions"),
    path("ops/program/editions/<rowid:edition_id>/", ops.edition, name="ops_edition"),
    path(
        "ops/program/editions/<rowid:edition_id>/rules/<slug:code>/",
        ops.edition_rule,
        name="ops_rule",
    ),
    path("ops/applications/", ops.queue, name="ops_queue"),
    path("ops/applications/<rowid:application_id>/", ops.review, name="ops_application"),
    path("ops/applications/<rowid:application_id>/decide/", ops.decide, name="ops_decide"),
    # public
    path("merchants/<rowid:organisation_id>/", public.merchant_profile, name="public_profile"),
]
