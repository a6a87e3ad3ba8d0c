"""The one NinjaAPI, mounted at /api/v1. OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from tradelane.accounts.api import router as accounts_router
from tradelane.accounts.auth import BearerToken, SessionAuth
from tradelane.catalog.api import router as catalog_router
from tradelane.core.api import enforce_access_declarations, install_error_handlers
from tradelane.logistics.api import router as logistics_router
from tradelane.markets.api import router as markets_router
from tradelane.merchants.api import router as merchants_router
from tradelane.orders.api import router as orders_router
from tradelane.payments.api import router as payments_router

api = NinjaAPI(
    title="Tradelane API",
    version="1",
    description=(
        "Semi-managed cross-border B2B commerce. Authenticate with `Authorization: Bearer <token>` "
        "(create tokens on the /account/ page) or a browser session with CSRF. Errors are "
        '`{"code", "message", "field"}`; amounts are `{"amount": "12.50", "currency": "EUR"}`.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", markets_router)
api.add_router("", merchants_router)
api.add_router("", catalog_router)
api.add_router("", logistics_router)
api.add_router("", orders_router)
api.add_router("", payments_router)
api.add_router("", "tradelane.logistics.fulfilment.api.router")
api.add_router("", "tradelane.returns.api.router")
enforce_access_declarations(api)
