"""The reference-data version: every write to data a quote depends on replaces it.

Called explicitly (no signals) by the write services of markets (markets, tax regimes,
fees, FX rates) and logistics (lanes, rate cards, duty rates), inside their transaction:
the new token commits with the data, so another process sees both or neither.
"""

from __future__ import annotations

import secrets

from django.utils import timezone

from ..models import ReferenceVersion


def bump_reference_version() -> str:
    """Replace the token (creating the row if a flush removed it). Locks the row until the
    caller's transaction ends: concurrent reference writes serialise on it."""
    token = secrets.token_hex(16)
    now = timezone.now()
    if not ReferenceVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        ReferenceVersion.objects.update_or_create(
            pk=1, defaults={"token": token, "changed_at": now}
        )
    return token
