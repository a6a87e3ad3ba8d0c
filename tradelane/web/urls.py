from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("store/", views.store_home, name="store_home"),
    path("merchant/", views.merchant_home, name="merchant_home"),
    path("ops/", views.ops_home, name="ops_home"),
    path("ops/audit/", views.ops_audit, name="ops_audit"),
]
