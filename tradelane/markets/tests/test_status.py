from datetime import date

import pytest
from django.utils import timezone

from tradelane.core.errors import InvalidInput, InvalidTransition
from tradelane.core.models import AuditEntry
from tradelane.markets import services
from tradelane.markets.models import Market, MarketStatusChange


def test_planned_market_recruits_then_launches_with_history_and_audit(db, operator_admin):
    services.change_market_status(
        actor=operator_admin, code="JP", status="recruiting", note="merchants wanted"
    )
    market = services.launch_market(actor=operator_admin, code="jp")
    today = timezone.localdate()
    assert (market.status, market.recruiting_from, market.live_from) == ("live", today, today)
    history = list(
        MarketStatusChange.objects.filter(subject=market).values_list(
            "from_status", "to_status", "actor", "note"
        )
    )
    assert history == [
        ("planned", "recruiting", operator_admin.user.pk, "merchants wanted"),
        ("recruiting", "live", operator_admin.user.pk, ""),
    ]
    audit = AuditEntry.objects.filter(
        action="markets.market_status_changed", target_id="JP"
    ).order_by("id")
    assert [a.changes for a in audit] == [
        {"status": ["planned", "recruiting"]},
        {"status": ["recruiting", "live"]},
    ]


def test_launching_a_planned_market_is_refused(db, operator_admin):
    with pytest.raises(InvalidTransition):
        services.launch_market(actor=operator_admin, code="KR")
    market = Market.objects.get(pk="KR")
    assert (market.status, market.live_from) == ("planned", None)
    assert not MarketStatusChange.objects.exists()
    assert not AuditEntry.objects.filter(action="markets.market_status_changed").exists()


def test_a_live_market_cannot_go_back(db, operator_admin):
    with pytest.raises(InvalidTransition):
        services.change_market_status(actor=operator_admin, code="US", status="planned")
    assert Market.objects.get(pk="US").live_from == date(2024, 2, 3)


def test_update_market_audits_the_changes(db, operator_admin):
    services.update_market(
        actor=operator_admin, code="NL", name="The Netherlands", phone_prefix="+31"
    )
    entry = AuditEntry.objects.get(action="markets.market_updated")
    assert entry.changes == {"name": ["Netherlands", "The Netherlands"]}
    assert Market.objects.get(pk="NL").name == "The Netherlands"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"postal_code_regex": "(["}, "postal_code_regex"),
        ({"postal_code_example": "ABC"}, "postal_code_example"),
        ({"default_locale": "fr-FR"}, "default_locale"),
        ({"locales": []}, "locales"),
        ({"phone_prefix": "0031"}, "phone_prefix"),
        ({"currency": "USD"}, "currency"),
    ],
)
def test_update_market_refuses_bad_values_and_changes_nothing(db, operator_admin, fields, field):
    before = Market.objects.filter(pk="NL").values().get()
    with pytest.raises(InvalidInput) as err:
        services.update_market(actor=operator_admin, code="NL", **fields)
    assert err.value.field == field
    assert Market.objects.filter(pk="NL").values().get() == before
    assert not AuditEntry.objects.exists()
