"""Catalog writes. Each public function is one transaction (see its docstring)."""

from . import images
from .images import add_image
from .pricing import set_price, validate_price
from .products import create_product, create_sku, update_product, update_sku
from .reservations import StockLine, release_stock, reserve_stock, ship_stock
from .stock import PreconditionFailed, PreconditionRequired, adjust_stock, set_stock

__all__ = [
    "PreconditionFailed",
    "PreconditionRequired",
    "StockLine",
    "add_image",
    "images",
    "adjust_stock",
    "create_product",
    "create_sku",
    "release_stock",
    "reserve_stock",
    "set_price",
    "set_stock",
    "ship_stock",
    "update_product",
    "update_sku",
    "validate_price",
]
