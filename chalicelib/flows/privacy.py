"""Privacy: Shopify's mandatory topics. Always on: forgetting a customer is the law, not a preference."""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import AlertOwner, Decision, ExportCustomerData, ForgetCustomer, ForgetShop
from .base import Enabled, Flow, View

NAME = "privacy"


def redact_customer(event: ev.RedactCustomer, view: View, config: Enabled, now: datetime) -> list[Decision]:
    return [ForgetCustomer(event.email, event.customer_id, event.order_ids,
                           "Shopify customers/redact: the customer asked to be forgotten")]


def redact_shop(event: ev.RedactShop, view: View, config: Enabled, now: datetime) -> list[Decision]:
    return [ForgetShop(event.shop_domain, "Shopify shop/redact: the shop uninstalled the app 48 hours ago")]


def data_requested(event: ev.DataRequested, view: View, config: Enabled, now: datetime) -> list[Decision]:
    export_id = "data_request-" + (event.request_id or hashlib.sha256(
        f"{event.email}:{event.customer_id}".encode()).hexdigest()[:12])
    why = "Shopify customers/data_request: the customer asked for their data"
    return [
        ExportCustomerData(event.email, event.customer_id, event.request_id, why, export_id),
        AlertOwner(key=f"data_request:{export_id}", customer_email=event.email, level="watch",
                   headline="A customer asked for the data your shop keeps about them",
                   excerpt="", reasons=("Shopify data request: send the customer their data (Shopify expects it "
                                        "within 30 days)",), recent_orders=(), export_id=export_id,
                   reason="the owner must pass the export on to the customer"),
    ]


FLOW: Flow[Enabled] = Flow(
    name=NAME, title="privacy requests",
    summary="Forgets a customer or the whole shop on Shopify's redact webhooks; exports a customer's data on "
            "request.",
    config_type=Enabled, always_on=True,
    topics=("shopify customers/redact", "shopify shop/redact", "shopify customers/data_request"),
    handlers={ev.RedactCustomer: redact_customer, ev.RedactShop: redact_shop, ev.DataRequested: data_requested},
)
