"""Test helpers: payments in each state, through the real services and test provider."""

from __future__ import annotations

import secrets

from tradelane.core.money import Money

from . import services
from .models import Payment


def _org_id(party) -> int | None:
    if party is None:
        return None
    return getattr(party, "organisation_id", None) or party.pk


def make_payment(
    payer,
    payee=None,
    *,
    amount: str = "100.00",
    currency: str = "USD",
    method: str = "test_ok",
    reference: str | None = None,
) -> Payment:
    """A pending payment from `payer` to `payee` (actors or organisations)."""
    return services.create_payment(
        payer_organisation_id=_org_id(payer),
        payee_organisation_id=_org_id(payee),
        amount=Money.of(amount, currency),
        reference=reference or f"test:{secrets.token_hex(4)}",
        method=method,
    )


def authorised_payment(payer, payee=None, **kwargs) -> Payment:
    payment = make_payment(payer, payee, **kwargs)
    return services.authorise_payment(payment_id=payment.pk)


def captured_payment(payer, payee=None, **kwargs) -> Payment:
    payment = authorised_payment(payer, payee, **kwargs)
    return services.capture_payment(payment_id=payment.pk)
