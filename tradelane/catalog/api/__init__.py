"""The catalog's API: one router (mounted at "" in config/api.py), one sub-router per
concept."""

from ninja import Router

from .bulk import router as bulk_router
from .images import router as images_router
from .managed import router as managed_router
from .prices import router as prices_router
from .products import router as products_router
from .stock import router as stock_router
from .storefront import router as storefront_router

router = Router(tags=["catalog"])
router.add_router("", products_router)
router.add_router("", images_router)
router.add_router("", prices_router)
router.add_router("", managed_router)
router.add_router("", bulk_router)
router.add_router("", stock_router)
router.add_router("", storefront_router)
