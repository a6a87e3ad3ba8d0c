"""Each step of a return tells the buyer and the merchant in-app, once per event."""

import pytest

from tradelane.accounts.models import Notification
from tradelane.core.outbox import relay_pending
from tradelane.returns import services
from tradelane.returns.testing import make_return

pytestmark = pytest.mark.django_db


def _kinds(organisation_id):
    return set(
        Notification.objects.filter(organisation_id=organisation_id).values_list("kind", flat=True)
    )


def test_a_request_and_its_rejection_reach_both_parties(buyer_owner, merchant_owner):
    request = make_return(buyer_owner, merchant_owner, reason="defective")
    relay_pending()
    assert "returns.return_requested" in _kinds(merchant_owner.organisation_id)
    assert "returns.return_requested" in _kinds(buyer_owner.organisation_id)
    notice = Notification.objects.get(
        organisation_id=merchant_owner.organisation_id, kind="returns.return_requested"
    )
    assert request.number in notice.title
    assert notice.link == f"/merchant/returns/{request.pk}/"

    services.reject_return(actor=merchant_owner, return_id=request.pk, reason="Works as sold")
    relay_pending()
    relay_pending()  # a redelivery notifies nobody twice
    rejected = Notification.objects.filter(
        organisation_id=buyer_owner.organisation_id, kind="returns.return_rejected"
    )
    assert rejected.count() == 1
    assert rejected.get().link == f"/store/returns/{request.pk}/"
