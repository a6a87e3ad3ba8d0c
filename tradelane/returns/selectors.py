"""Return reads, always scoped to the acting organisation: a buyer sees its requests, a
merchant the requests on its orders, an operator all. Anything else is 404.

Order lines are read here (orders' models, read only) so the buyer's own delivered lines
are the only ones a request can name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.orders.models import Order, OrderLine
from tradelane.orders.states import OrderStatus

from .models import (
    MarketReturnPolicy,
    MerchantReturnTerms,
    ReturnableLine,
    ReturnEvidence,
    ReturnRequest,
    ReturnStatusChange,
)
from .policies import Policy
from .seed import default_for
from .states import OPERATOR_QUEUE, ReturnStatus

DELIVERED = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


# --- policies -------------------------------------------------------------------------------


def effective_policy(*, market: str, merchant_id: int | None) -> Policy:
    """The market's terms (seeded default when the row is missing) with the merchant's
    own on top: a longer window, and "changed mind" when it opted in."""
    market = market.upper()
    row = MarketReturnPolicy.objects.filter(market_id=market).first()
    if row is None:
        d = default_for(market)
        base = dict(
            window_days=d.window_days,
            covered_reasons=tuple(d.covered_reasons),
            changed_mind_days=d.changed_mind_days,
            changed_mind_business_days=d.changed_mind_business_days,
            decision_days=d.decision_days,
            auto_approve_days=d.auto_approve_days,
            auto_approve_reasons=tuple(d.auto_approve_reasons),
            source=d.source,
        )
    else:
        base = dict(
            window_days=row.window_days,
            covered_reasons=tuple(row.covered_reasons),
            changed_mind_days=row.changed_mind_days,
            changed_mind_business_days=row.changed_mind_business_days,
            decision_days=row.decision_days,
            auto_approve_days=row.auto_approve_days,
            auto_approve_reasons=tuple(row.auto_approve_reasons),
            source=row.source,
        )
    terms = None
    if merchant_id is not None:
        terms = MerchantReturnTerms.objects.filter(
            merchant_id=merchant_id, market_id=market
        ).first()
    if terms is not None:
        base["window_days"] = max(base["window_days"], terms.window_days)
    return Policy(
        market=market, accepts_changed_mind=bool(terms and terms.accepts_changed_mind), **base
    )


def market_or_404(market: str) -> MarketReturnPolicy:
    policy = MarketReturnPolicy.objects.filter(market_id=(market or "").upper()).first()
    if policy is None:
        raise NotFound("No such market.", field="market")
    return policy


def list_market_policies() -> QuerySet[MarketReturnPolicy]:
    return MarketReturnPolicy.objects.select_related("market").order_by("market_id")


def list_merchant_terms(*, actor: Actor) -> list[tuple[MarketReturnPolicy, MerchantReturnTerms]]:
    """Each market's default with the merchant's terms there (None when it has none)."""
    if actor is None or actor.kind != "merchant":
        return []
    terms = {
        t.market_id: t
        for t in MerchantReturnTerms.objects.filter(merchant_id=actor.organisation_id)
    }
    return [(p, terms.get(p.market_id)) for p in list_market_policies()]


# --- order lines ----------------------------------------------------------------------------


def get_buyer_line(*, actor: Actor, order_line_id: int) -> OrderLine:
    """One of the buyer's order lines, with its order; another's is 404."""
    line = None
    if actor is not None and actor.kind == "buyer":
        line = (
            OrderLine.objects.select_related("order")
            .filter(pk=order_line_id, order__buyer_id=actor.organisation_id)
            .first()
        )
    if line is None:
        raise NotFound("No such order line.", field="order_line_id")
    return line


@dataclass
class ReturnableView:
    line: OrderLine
    delivered: int
    held: int

    @property
    def returnable(self) -> int:
        return max(self.delivered - self.held, 0)


def get_buyer_order(*, actor: Actor, order_id: int) -> Order:
    order = None
    if actor is not None and actor.kind == "buyer":
        order = (
            Order.objects.select_related("merchant", "market")
            .filter(pk=order_id, buyer_id=actor.organisation_id)
            .first()
        )
    if order is None:
        raise NotFound("No such order.", field="order_id")
    return order


def returnable_lines(order: Order) -> list[ReturnableView]:
    """Each line with what is delivered, held by requests and still returnable (nothing
    is returnable before delivery)."""
    lines = list(order.lines.order_by("id"))
    counters = {c.order_line_id: c for c in ReturnableLine.objects.filter(order_line__in=lines)}
    delivered = order.status in DELIVERED and order.delivered_at is not None
    out = []
    for line in lines:
        counter = counters.get(line.pk)
        out.append(
            ReturnableView(
                line=line,
                delivered=line.quantity if delivered else 0,
                held=counter.held if counter else 0,
            )
        )
    return out


# --- requests -------------------------------------------------------------------------------


def scoped_returns(*, actor: Actor) -> QuerySet[ReturnRequest]:
    """The requests the actor may see at all (no joins: services lock through it)."""
    if actor is None or actor.organisation is None:
        return ReturnRequest.objects.none()
    if actor.kind == "buyer":
        return ReturnRequest.objects.filter(buyer_id=actor.organisation_id)
    if actor.kind == "merchant":
        return ReturnRequest.objects.filter(merchant_id=actor.organisation_id)
    if actor.is_operator:
        return ReturnRequest.objects.all()
    return ReturnRequest.objects.none()


def list_returns(*, actor: Actor, status: str | None = None) -> QuerySet[ReturnRequest]:
    rows = scoped_returns(actor=actor).select_related("order", "order_line", "buyer", "merchant")
    if status:
        if status not in ReturnStatus.values:
            raise InvalidInput("Unknown status.", field="status")
        rows = rows.filter(status=status)
    return rows.annotate(evidence_count=Count("evidence")).order_by("-created_at", "-id")


def operator_queue(*, actor: Actor) -> QuerySet[ReturnRequest]:
    """Disputed and escalated requests, oldest first (operators only)."""
    if actor is None or not actor.is_operator:
        return ReturnRequest.objects.none()
    return list_returns(actor=actor).filter(status__in=OPERATOR_QUEUE).order_by("updated_at", "id")


def get_return(*, actor: Actor, return_id: int) -> ReturnRequest:
    row = list_returns(actor=actor).filter(pk=return_id).select_related("market").first()
    if row is None:
        raise NotFound("No such return request.", field="return_id")
    return row


def history_of(request: ReturnRequest) -> QuerySet[ReturnStatusChange]:
    return request.history.select_related("actor").order_by("created_at", "id")


def evidence_of(request: ReturnRequest) -> QuerySet[ReturnEvidence]:
    return request.evidence.order_by("id")


def get_evidence(*, actor: Actor, return_id: int, evidence_id: int) -> ReturnEvidence:
    request = get_return(actor=actor, return_id=return_id)
    evidence = request.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound("No such evidence.", field="evidence_id")
    return evidence
