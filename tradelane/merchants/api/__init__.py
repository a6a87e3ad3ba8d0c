"""The merchant program's API: one router (mounted at "" in config/api.py) made of one
sub-router per concept."""

from ninja import Router

from .applications import router as applications_router
from .program import router as program_router
from .warehouses import router as warehouses_router

router = Router(tags=["merchants"])
router.add_router("", program_router)
router.add_router("", applications_router)
router.add_router("", warehouses_router)
