"""Writes of the logistics network: one transaction each, audited.

Import from here (`from tradelane.logistics import services`).
"""

from .network import (
    EDITABLE_CARD_FIELDS,
    add_duty_rate,
    end_duty_rate,
    load_reference_network,
    revise_rate_card,
)

__all__ = [
    "EDITABLE_CARD_FIELDS",
    "add_duty_rate",
    "end_duty_rate",
    "load_reference_network",
    "revise_rate_card",
]
