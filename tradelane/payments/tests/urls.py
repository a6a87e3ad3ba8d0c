"""The project's URLs plus this app's, for as long as config/ does not register them yet."""

from django.urls import include, path
from ninja import NinjaAPI

from config.api import api as project_api
from config.urls import urlpatterns as project_urls
from tradelane.accounts.auth import BearerToken, SessionAuth
from tradelane.core.api import install_error_handlers, operations
from tradelane.payments.api import router

API_REGISTERED = any(p.startswith("/payments") for _, p, _ in operations(project_api))

urlpatterns = list(project_urls)
if not API_REGISTERED:
    api = NinjaAPI(
        title="payments (tests)", urls_namespace="payments_api", auth=[BearerToken(), SessionAuth()]
    )
    install_error_handlers(api)
    api.add_router("", router)
    urlpatterns.insert(0, path("api/v1/", api.urls))
try:
    from django.urls import reverse

    reverse("payments:ops_list", urlconf="config.urls")
except Exception:
    urlpatterns.append(path("", include("tradelane.payments.urls")))
