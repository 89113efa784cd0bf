"""Thank-you: a personal note when an order is paid."""

from __future__ import annotations

from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import Decision, SendEmail, Suppress
from .base import EnabledWithTemplate, Flow, View

NAME = "thank_you"


def order_paid(event: ev.OrderPlaced, view: View, config: EnabledWithTemplate, now: datetime) -> list[Decision]:
    if not event.paid or not event.email:
        return []
    what = f"thank-you for order {event.order_name}"
    if event.cancelled:
        return [Suppress(what, event.email, "the order is cancelled", code="not_applicable", flow=NAME)]
    customer = view.customer_or_new(event.email)
    live = [o for o in customer.orders if not o.cancelled]
    return [SendEmail(
        key=f"thanks:{event.order_id}", to=event.email, template=config.template, kind="service", flow=NAME,
        context={**view.brand(), "first_name": customer.first_name, "order_name": event.order_name,
                 "items": [{"title": i.title, "quantity": i.quantity} for i in event.items],
                 "repeat": len(live) > 1},
        reason=f"order {event.order_name} was paid: a personal thank-you",
    )]


FLOW: Flow[EnabledWithTemplate] = Flow(
    name=NAME, title="thank-you emails", summary="A personal thank-you when an order is paid.",
    config_type=EnabledWithTemplate, kind="service", templates=("thank_you",), topics=("shopify orders/paid",),
    handlers={ev.OrderPlaced: order_paid},
)
