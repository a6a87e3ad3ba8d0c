"""Celery tasks for orders: take ids or nothing, call a service; idempotent."""

from celery import shared_task

from .services.checkout import settle_stale_placements


@shared_task
def settle_pending_payments() -> int:
    """Beat, every 30 s: retry authorising orders left `placed` by a provider outage."""
    return settle_stale_placements()
