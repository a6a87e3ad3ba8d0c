"""Celery tasks: finish refunds left pending by a provider that did not answer."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .errors import ProviderUnavailable
from .models import Refund
from .states import RefundStatus

STALE_AFTER = timedelta(minutes=2)


@shared_task(name="tradelane.payments.tasks.resume_pending_refunds", ignore_result=True)
def resume_pending_refunds(batch: int = 50) -> int:
    """Retry refunds pending for a while (same provider key: money moves at most once);
    returns how many are now settled. Idempotent; safe to run from beat."""
    cutoff = timezone.now() - STALE_AFTER
    ids = list(
        Refund.objects.filter(status=RefundStatus.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    settled = 0
    for refund_id in ids:
        try:
            refund = services.resume_refund(refund_id=refund_id)
        except ProviderUnavailable:
            continue  # still no answer: the next sweep tries again
        settled += refund.status != RefundStatus.PENDING
    return settled
