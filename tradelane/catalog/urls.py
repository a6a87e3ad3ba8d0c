from django.urls import path

from tradelane.markets.urls import MarketCodeConverter, RowIdConverter  # noqa: F401  converters

from .views import imports, managed, merchant, store

app_name = "catalog"

urlpatterns = [
    # merchant portal
    path("merchant/products/", merchant.products, name="products"),
    path("merchant/products/new/", merchant.product_new, name="product_new"),
    path("merchant/products/<rowid:product_id>/", merchant.product, name="product"),
    path("merchant/products/<rowid:product_id>/skus/", merchant.sku_new, name="sku_new"),
    path("merchant/products/<rowid:product_id>/images/", merchant.image_new, name="image_new"),
    path("merchant/skus/<rowid:sku_id>/", merchant.sku, name="sku"),
    path("merchant/prices/", merchant.prices, name="prices"),
    path("merchant/prices/<rowid:sku_id>/<market:market>/", merchant.price_edit, name="price_edit"),
    path("merchant/stock/", merchant.stock, name="stock"),
    path(
        "merchant/stock/<rowid:sku_id>/<rowid:warehouse_id>/",
        merchant.stock_set,
        name="stock_set",
    ),
    path("merchant/visibility/", merchant.visibility, name="visibility"),
    path("merchant/skus/<rowid:sku_id>/models/", managed.compare, name="compare"),
    # operators: fully-managed retail prices
    path("ops/catalog/managed-offers/", managed.ops_offers, name="ops_offers"),
    path("ops/catalog/managed-offers/<rowid:offer_id>/", managed.ops_offer, name="ops_offer"),
    path(
        "ops/catalog/managed-offers/<rowid:offer_id>/retail/",
        managed.ops_set_retail,
        name="ops_set_retail",
    ),
    path("merchant/import/<slug:kind>/", imports.bulk_import, name="import"),
    path("merchant/imports/<rowid:job_id>/", imports.import_job, name="import_job"),
    path("merchant/export/<slug:kind>.csv", imports.bulk_export, name="export"),
    # images (served through the app: type from the database, nosniff)
    path("catalog/images/<rowid:image_id>/", store.image, name="image"),
    path("catalog/images/<rowid:image_id>/thumb/", store.thumbnail, name="thumbnail"),
    # storefront
    path("store/catalog/", store.storefront_home, name="storefront_home"),
    path("store/<market:market>/", store.storefront, name="storefront"),
    path("store/<market:market>/products/<rowid:sku_id>/", store.listing, name="listing"),
]
