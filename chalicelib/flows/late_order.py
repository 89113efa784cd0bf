"""Late-order apology: an order not fulfilled by its promised-by date (the shop's dispatch promise, in
business days and the shop's time zone) gets one apology before the customer has to ask. Fulfillment,
cancellation or a refund cancels it. Optionally with a single-use goodwill code (Shopify Admin API)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from ..domain import events as ev
from ..domain.decisions import CancelSteps, Decision, Goodwill, Note, ScheduleStep, SendEmail
from .base import Flow, View

NAME = "late_order"


@dataclass(frozen=True)
class GoodwillSettings:
    kind: Literal["percent", "amount"]
    value: float
    expires_in_days: int


@dataclass(frozen=True)
class Config:
    enabled: bool
    template: str
    goodwill: GoodwillSettings | None


def order_placed(event: ev.OrderPlaced, view: View, config: Config, now: datetime) -> list[Decision]:
    customer = view.customer
    order = customer.order(event.order_id) if customer else None
    if order is None or order.promised_by is None or event.test:
        return []
    if order.cancelled or order.fulfilled or order.refunded:
        return [CancelSteps(NAME, f"order {order.name} needs no apology", group=event.order_id)]
    return [ScheduleStep(NAME, event.order_id, order.promised_by, {"order_id": event.order_id},
                         f"order {order.name} was promised by {order.promised_by[:10]}: an apology is ready if it "
                         "hasn't shipped by then", email=customer.email if customer else None,
                         group=event.order_id)]


def order_settled(event: ev.OrderFulfilled | ev.OrderCancelled | ev.RefundIssued, view: View, config: Config,
                  now: datetime) -> list[Decision]:
    what = {ev.OrderFulfilled: "shipped", ev.OrderCancelled: "was cancelled", ev.RefundIssued: "was refunded"}
    return [CancelSteps(NAME, f"order {event.order_id} {what[type(event)]}: no late-order apology",
                        group=event.order_id)]


def _code(key: str) -> str:
    return "SORRY-" + hashlib.sha256(key.encode()).hexdigest()[:10].upper()


def step_due(event: ev.StepDue, view: View, config: Config, now: datetime) -> list[Decision]:
    order_id = str(event.data.get("order_id", event.key))
    customer = view.customer
    order = customer.order(order_id) if customer else None
    if customer is None or order is None:
        return [Note(f"late-order check for {order_id}: the order is no longer on record")]
    if order.fulfilled or order.cancelled or order.refunded:
        return [Note(f"order {order.name} is no longer waiting; no apology")]
    key = f"late:{order_id}"
    goodwill = None
    if config.goodwill is not None:
        g = config.goodwill
        goodwill = Goodwill(
            code=_code(key), percent=g.value if g.kind == "percent" else None,
            amount=str(Decimal(str(g.value)).quantize(Decimal("0.01"))) if g.kind == "amount" else None,
            currency=order.currency, expires_at=(now + timedelta(days=g.expires_in_days)).isoformat(),
            customer_id=customer.customer_id)
    days_late = max(0, (now - datetime.fromisoformat(order.promised_by or now.isoformat())).days)
    return [SendEmail(
        key=key, to=customer.email, template=config.template, kind="service", flow=NAME,
        context={**view.brand(), "first_name": customer.first_name, "order_name": order.name,
                 "promised_by": (order.promised_by or "")[:10], "days_late": days_late},
        reason=f"order {order.name} has not shipped by its promised date ({(order.promised_by or '')[:10]}): "
               "an apology before the customer has to ask", goodwill=goodwill,
    )]


FLOW: Flow[Config] = Flow(
    name=NAME, title="late-order apologies",
    summary="One apology, before the customer has to ask, when an order misses your dispatch promise; "
            "optionally with a single-use discount code.",
    config_type=Config, kind="service", templates=("late_order_apology",),
    topics=("shopify orders/create", "shopify fulfillments/create", "shopify orders/cancelled",
            "shopify refunds/create"),
    handlers={ev.OrderPlaced: order_placed, ev.OrderFulfilled: order_settled, ev.OrderCancelled: order_settled,
              ev.RefundIssued: order_settled, ev.StepDue: step_due},
)
