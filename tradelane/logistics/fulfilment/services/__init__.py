"""Fulfilment writes."""

from .events import Outcome, ingest_events
from .promise import monitor, set_credit_rule
from .shipments import (
    cancel_for_order,
    create_for_order,
    declare_lost,
    mark_label_printed,
    reattempt,
    record_scan,
    return_to_sender,
)

__all__ = [
    "Outcome",
    "cancel_for_order",
    "create_for_order",
    "declare_lost",
    "ingest_events",
    "mark_label_printed",
    "monitor",
    "reattempt",
    "record_scan",
    "return_to_sender",
    "set_credit_rule",
]
