"""Refund note: the refund is on its way, with the amount and the usual bank delay. Not while a person is
handling an open conversation with the customer: the owner's own reply is better."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import Decision, Note, SendEmail
from .base import Flow, View, money

NAME = "refund_note"


@dataclass(frozen=True)
class Config:
    enabled: bool
    template: str
    bank_days: str


def refunded(event: ev.RefundIssued, view: View, config: Config, now: datetime) -> list[Decision]:
    customer = view.customer
    email = event.email or (customer.email if customer else None)
    if not email:
        return [Note(f"refund {event.refund_id}: no customer on record to write to")]
    if event.amount is None or event.amount <= 0:
        return [Note(f"refund {event.refund_id} moves no money (a restock or an adjustment): no note")]
    order = customer.order(event.order_id) if customer else None
    currency = event.currency or (order.currency if order else None)
    return [SendEmail(
        key=f"refund:{event.refund_id}", to=email, template=config.template, kind="service", flow=NAME,
        context={**view.brand(), "first_name": customer.first_name if customer else None,
                 "order_name": order.name if order else None, "amount": money(event.amount, currency),
                 "currency": currency, "bank_days": config.bank_days},
        reason=f"a refund of {event.amount:.2f} {currency or ''}".rstrip() + " was issued: a short note that it's "
               "on its way",
    )]


FLOW: Flow[Config] = Flow(
    name=NAME, title="refund notes", summary="A short note that a refund is on its way, with the amount.",
    config_type=Config, kind="service", templates=("refund_note",), topics=("shopify refunds/create",),
    handlers={ev.RefundIssued: refunded},
)
