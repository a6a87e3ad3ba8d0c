"""Writes of the merchant program, one module per concept."""

from .applications import (
    approve_application,
    reject_application,
    request_changes,
    start_application,
    submit_application,
    update_application,
)
from .editions import create_edition, update_edition, update_rule
from .profiles import update_profile
from .warehouses import create_warehouse, update_warehouse

__all__ = [
    "approve_application",
    "create_edition",
    "create_warehouse",
    "reject_application",
    "request_changes",
    "start_application",
    "submit_application",
    "update_application",
    "update_edition",
    "update_profile",
    "update_rule",
    "update_warehouse",
]
