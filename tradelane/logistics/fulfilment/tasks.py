"""Celery tasks: the simulated network's clock and the delivery-promise monitor."""

from __future__ import annotations

from celery import shared_task

from . import simulation
from .services import monitor


@shared_task(name="tradelane.logistics.fulfilment.tasks.advance_simulated_shipments")
def advance_simulated_shipments() -> int:
    """Beat, every few seconds: feed the simulated network's due events in."""
    return simulation.advance()


@shared_task(name="tradelane.logistics.fulfilment.tasks.monitor_delivery_promise")
def monitor_delivery_promise() -> int:
    return monitor()
