from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tradelane.accounts.urls")),
    path("", include("tradelane.markets.urls")),
    path("", include("tradelane.merchants.urls")),
    path("", include("tradelane.logistics.urls")),
    path("", include("tradelane.catalog.urls")),
    path("", include("tradelane.orders.urls")),
    path("", include("tradelane.payments.urls")),
    path("", include("tradelane.logistics.fulfilment.urls")),
    path("", include("tradelane.returns.urls")),
    path("", include("tradelane.web.urls")),
]

handler404 = "tradelane.web.views.not_found"
handler403 = "tradelane.web.views.forbidden"
