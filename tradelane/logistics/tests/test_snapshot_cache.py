"""The per-process network snapshot: reused while the reference-data version is unchanged,
reloaded by the next quote after any write to the data it holds (in any process)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tradelane.core.money import Money
from tradelane.logistics import selectors, services
from tradelane.logistics.models import DutyRate, RateCard
from tradelane.logistics.selectors import snapshots
from tradelane.markets import services as markets
from tradelane.markets.models import ReferenceVersion

from .conftest import bag, run, tier
from .test_api import body


def later(days=10) -> str:
    """A quote day after tomorrow (revisions start tomorrow at the earliest)."""
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def shipping(quote, name="standard"):
    return sum(line.amount.amount for line in tier(quote, name).lines if line.kind == "shipping")


def test_a_second_load_reuses_the_snapshot_with_one_query(fx, django_assert_num_queries):
    first = selectors.load_network(market="DE", on=date(2026, 7, 6), currencies={"USD"})
    with django_assert_num_queries(1):  # the version
        again = selectors.load_network(market="de", on=date(2026, 7, 6), currencies={"USD"})
    assert again is first
    assert snapshots.loads == 1


def test_each_quote_day_has_its_own_snapshot_with_the_rules_in_force(fx):
    before = tier(run("DE", "10115", [bag()], day="2026-06-30"), "standard")
    after = tier(run("DE", "10115", [bag()], day="2026-07-06"), "standard")
    duty = [line.label for line in after.lines if line.kind == "duty"]
    assert [line.amount.amount for line in before.lines if line.kind == "duty"] == [Decimal("0")]
    assert duty[0].startswith("EU flat customs duty on low-value consignments: 3 EUR")
    assert snapshots.loads == 2


def test_a_rate_card_revision_is_reflected_by_the_next_quote(fx):
    day = later()
    old = shipping(run("DE", "10115", [bag()], day=day))
    card = RateCard.objects.get(lane__destination_id="DE", tier="standard", effective_to=None)
    services.revise_rate_card(
        actor=None,
        card_id=card.pk,
        effective_from=timezone.localdate() + timedelta(days=1),
        changes={"handling_fee": str(card.handling_fee + 10)},
    )
    new = shipping(run("DE", "10115", [bag()], day=day))
    assert new > old
    assert snapshots.loads == 2


def test_an_fx_rate_and_a_fee_written_later_are_used_at_once(fx):
    day = date.fromisoformat(later())
    quote = run("DE", "10115", [bag()], day=day.isoformat())
    assert quote.rates[0].rate == Decimal("0.8")  # 1 USD = 0.80 EUR
    markets.set_fx_rate(actor=None, base="EUR", quote="USD", rate="1.6", as_of=day, source="T")
    quote = run("DE", "10115", [bag()], day=day.isoformat())
    assert quote.rates[0].rate == Decimal("0.625")
    markets.add_fee(
        actor=None,
        code="DE",
        name="Test handling fee",
        amount=Money(Decimal("2"), "EUR"),
        basis="per_consignment",
        effective_from=day,
        applies_to_b2b=True,
    )
    t = tier(run("DE", "10115", [bag()], day=day.isoformat()), "standard")
    assert "Test handling fee: 2 EUR × 1" in [line.label for line in t.lines]


def test_a_write_committed_by_another_process_is_seen_through_the_version(fx):
    """Another worker's write: the data and the version change in the database, this
    process's cache is not told; the version check alone makes it reload."""
    day = later()
    old = shipping(run("DE", "10115", [bag()], day=day))
    RateCard.objects.filter(lane__destination_id="DE", tier="standard").update(
        handling_fee=Decimal("99")
    )
    assert shipping(run("DE", "10115", [bag()], day=day)) == old  # same version: cached
    ReferenceVersion.objects.filter(pk=1).update(token="written-elsewhere")
    assert shipping(run("DE", "10115", [bag()], day=day)) > old


def test_without_a_version_row_nothing_is_cached(fx):
    ReferenceVersion.objects.all().delete()
    run("DE", "10115", [bag()])
    run("DE", "10115", [bag()])
    assert snapshots.loads == 2 and not snapshots.entries


def test_landed_cost_endpoint_queries_are_pinned(
    fx, api, merchant_owner, django_assert_num_queries
):
    client = api(merchant_owner)
    assert client.post("/landed-cost", body()).status_code == 200  # loads the snapshot
    with django_assert_num_queries(2):  # bearer token with its membership, the version
        response = client.post("/landed-cost", body())
    assert response.status_code == 200


def test_an_admin_edit_of_the_network_also_replaces_the_version(fx, admin_client):
    rate = DutyRate.objects.filter(market_id="US", program="section_301").first()
    before = ReferenceVersion.objects.get().token
    response = admin_client.post(
        f"/admin/logistics/dutyrate/{rate.pk}/delete/", {"post": "yes"}, follow=False
    )
    assert response.status_code == 302, response.content[:500]
    assert not DutyRate.objects.filter(pk=rate.pk).exists()
    assert ReferenceVersion.objects.get().token != before
