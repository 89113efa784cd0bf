"""Shipping note: when an order ships with tracking, a short personal note with the carrier and the link.
First-time and returning customers get different words; at most one note per fulfillment."""

from __future__ import annotations

from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import Decision, Note, SendEmail
from .base import EnabledWithTemplate, Flow, View

NAME = "shipping_note"


def shipped(event: ev.OrderFulfilled, view: View, config: EnabledWithTemplate, now: datetime) -> list[Decision]:
    if not (event.tracking_url or event.tracking_number):
        return [Note("shipped without tracking: no shipping note")]
    customer = view.customer
    order = customer.order(event.order_id) if customer else None
    # The order's own customer first: the fulfillment's copy of the address may be another one, or missing.
    email = (customer.email if customer is not None and order is not None else None) or event.email
    if not email:
        return [Note("shipped, but there is no address to write to")]
    earlier = [o for o in (customer.orders if customer else ()) if o.order_id != event.order_id and not o.cancelled]
    return [SendEmail(
        key=f"shipped:{event.fulfillment_id or event.order_id}", to=email, template=config.template,
        kind="service", flow=NAME,
        context={**view.brand(), "first_name": customer.first_name if customer else None,
                 "order_name": order.name if order else None, "carrier": event.tracking_company,
                 "tracking_number": event.tracking_number, "tracking_url": event.tracking_url,
                 "returning": bool(earlier)},
        reason=f"order {order.name if order else event.order_id} is on its way"
               + (f" with {event.tracking_company}" if event.tracking_company else "") + ": a short personal note",
    )]


FLOW: Flow[EnabledWithTemplate] = Flow(
    name=NAME, title="shipping notes",
    summary="A short, personal note with the carrier and tracking link when an order ships.",
    config_type=EnabledWithTemplate, kind="service", templates=("shipping_note",),
    topics=("shopify fulfillments/create",), while_upset="send",  # where-is-my-order: tracking is the answer
    handlers={ev.OrderFulfilled: shipped},
)
