"""Celery tasks: call a service; idempotent."""

from celery import shared_task

from . import reverse_simulation, services


@shared_task
def escalate_overdue_returns() -> int:
    return services.escalate_overdue()


@shared_task(name="tradelane.returns.tasks.advance_reverse_shipments")
def advance_reverse_shipments() -> int:
    """Beat, every few seconds: the simulated carrier's due scans of reverse parcels."""
    return reverse_simulation.advance()
