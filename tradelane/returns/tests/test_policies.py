"""Policies: seeded per market, the merchant's terms on top; the pure rules."""

from datetime import UTC, datetime, timedelta

import pytest

from tradelane.returns.models import MarketReturnPolicy
from tradelane.returns.policies import add_business_days
from tradelane.returns.selectors import effective_policy


@pytest.mark.django_db
def test_every_market_has_a_seeded_b2b_policy():
    policies = {p.market_id: p for p in MarketReturnPolicy.objects.all()}
    assert {"US", "CA", "MX", "GB", "DE", "FR"} <= set(policies)
    us = policies["US"]
    assert us.window_days == 30
    assert us.covered_reasons == [
        "defective",
        "damaged_in_transit",
        "not_as_described",
        "wrong_item",
        "missing_item",
    ]
    assert (policies["DE"].changed_mind_days, policies["GB"].changed_mind_days) == (14, 14)
    assert (policies["MX"].changed_mind_days, policies["MX"].changed_mind_business_days) == (
        5,
        True,
    )


@pytest.mark.django_db
def test_changed_mind_is_not_covered_without_opt_in():
    policy = effective_policy(market="de", merchant_id=None)
    assert "changed_mind" not in policy.reasons and not policy.covers("changed_mind")
    assert policy.covers("damaged_in_transit")


@pytest.mark.django_db
def test_changed_mind_window_uses_business_days_in_mexico():
    policy = effective_policy(market="MX", merchant_id=None)
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    # five business days from a Friday: Mon..Fri of the next week
    assert policy.window_end("changed_mind", friday) == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert policy.window_end("defective", friday) == friday + timedelta(days=30)


def test_add_business_days_skips_weekends():
    saturday = datetime(2026, 11, 21, tzinfo=UTC)
    assert add_business_days(saturday, 1) == datetime(2026, 11, 23, tzinfo=UTC)
    assert add_business_days(saturday, 0) == saturday


@pytest.mark.django_db
def test_policy_is_public_with_the_merchants_terms(api, merchant_owner):
    from tradelane.returns import services

    services.set_merchant_terms(
        actor=merchant_owner, market="DE", window_days=45, accepts_changed_mind=True
    )
    plain = api().get("/returns/policies/DE").json()
    assert (plain["window_days"], plain["accepts_changed_mind"]) == (30, False)
    own = api().get(f"/returns/policies/de?merchant_id={merchant_owner.organisation_id}").json()
    assert (own["window_days"], own["accepts_changed_mind"], own["changed_mind_days"]) == (
        45,
        True,
        14,
    )
    assert "changed_mind" in own["reasons"]
    assert api().get("/returns/policies/ZZ").status_code == 404


@pytest.mark.django_db
def test_operator_admin_edits_a_market_policy(
    api, operator_admin, operator_support, merchant_owner
):
    from tradelane.core.models import AuditEntry

    body = '{"window_days": 45, "decision_days": 5}'

    def put(actor, data=body):
        client = api(actor)
        return client.client.put(
            "/api/v1/ops/return-policies/FR",
            data,
            content_type="application/json",
            **client._headers(None),
        )

    assert put(merchant_owner).status_code == 403
    assert put(operator_support).status_code == 403
    response = put(operator_admin)
    assert response.status_code == 200, response.content
    assert (response.json()["window_days"], response.json()["decision_days"]) == (45, 5)
    assert MarketReturnPolicy.objects.get(market_id="FR").changed_mind_days == 14  # untouched
    bad = put(operator_admin, '{"decision_days": 0}')
    assert bad.status_code == 422 and bad.json()["field"] == "decision_days"
    assert AuditEntry.objects.filter(action="returns.policy_changed").count() == 1


@pytest.mark.django_db
def test_ops_policies_page(page_client, operator_admin, operator_support):
    page = page_client(operator_support).get("/ops/returns/policies/")
    assert page.status_code == 200 and b'data-market="MX"' in page.content
    data = {
        "market": "MX",
        "window_days": "40",
        "changed_mind_days": "5",
        "changed_mind_business_days": "on",
        "decision_days": "4",
        "auto_approve_days": "7",
    }
    assert page_client(operator_support).post("/ops/returns/policies/", data).status_code == 403
    assert page_client(operator_admin).post("/ops/returns/policies/", data).status_code == 302
    policy = MarketReturnPolicy.objects.get(market_id="MX")
    assert (policy.window_days, policy.decision_days, policy.changed_mind_business_days) == (
        40,
        4,
        True,
    )
