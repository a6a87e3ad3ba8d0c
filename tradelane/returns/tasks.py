"""Celery tasks: call a service; idempotent."""

from celery import shared_task

from . import services


@shared_task
def escalate_overdue_returns() -> int:
    return services.escalate_overdue()
