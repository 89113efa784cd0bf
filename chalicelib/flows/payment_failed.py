"""Failed payment: one calm note with a way to fix it (one-off Stripe payments; invoices go to dunning)."""

from __future__ import annotations

from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import Decision, Note, SendEmail
from .base import EnabledWithTemplate, Flow, View, money

NAME = "payment_failed"


def payment_failed(event: ev.PaymentFailed, view: View, config: EnabledWithTemplate, now: datetime
                   ) -> list[Decision]:
    if not event.email:
        return [Note("payment failed, but Stripe gave no email address to write to")]
    customer = view.customer_or_new(event.email)
    return [SendEmail(
        key=f"payment_failed:{event.payment_id}", to=event.email, template=config.template, kind="service",
        flow=NAME,
        context={**view.brand(), "first_name": event.customer_name or customer.first_name,
                 "amount": money(event.amount, event.currency), "currency": event.currency,
                 "retry_url": event.retry_url},
        reason="a payment failed: one calm note with a way to fix it (never repeated for the same payment)",
    )]


FLOW: Flow[EnabledWithTemplate] = Flow(
    name=NAME, title="failed-payment notes", summary="One calm note with a way to fix it when a payment fails.",
    config_type=EnabledWithTemplate, kind="service", templates=("payment_failed",),
    topics=("stripe payment_intent.payment_failed", "stripe charge.failed"),
    handlers={ev.PaymentFailed: payment_failed},
)
