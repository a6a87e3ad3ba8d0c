from celery import shared_task

from . import idempotency, outbox


@shared_task(name="tradelane.core.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    return outbox.relay_pending()


@shared_task(name="tradelane.core.tasks.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()
