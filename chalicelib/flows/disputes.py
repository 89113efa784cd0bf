"""Disputes: the owner is told at once; a dispute has a deadline for evidence."""

from __future__ import annotations

from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import AlertOwner, Decision
from .base import Enabled, Flow, View

NAME = "disputes"


def dispute_opened(event: ev.DisputeOpened, view: View, config: Enabled, now: datetime) -> list[Decision]:
    amount = f"{event.amount} {event.currency or ''}".strip() if event.amount is not None else "an amount"
    order = f"order {event.order_id}" if event.order_id else "a payment"
    reasons = (f"a {event.source} dispute ({event.reason or 'no reason given'}) for {amount} on {order}",)
    return [AlertOwner(
        key=f"dispute:{event.dispute_id}", customer_email=event.email, level="urgent",
        headline=f"Dispute opened on {order}", excerpt=f"Reason: {event.reason or 'not given'}",
        reasons=reasons, recent_orders=(), reason="a dispute needs your evidence before its deadline",
    )]


FLOW: Flow[Enabled] = Flow(
    name=NAME, title="dispute alerts", summary="Tells you at once when a customer disputes a payment.",
    config_type=Enabled, topics=("shopify disputes/create", "stripe charge.dispute.created"),
    handlers={ev.DisputeOpened: dispute_opened},
)
