"""Refund note: Shopify's refunds/create sample (no email in it) finds the customer by the order, and a short
note says the money is on its way; not while a person is handling an open conversation with them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from chalicelib.bootstrap import Services
from tests.conftest import Clock, shared_json
from tests.functional.helpers import client_for, live_order, log_of, outbox, post_shopify, text_of, tick_at


def refund(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        assert post_shopify(client, json.dumps(shared_json("shopify/refunds_create.json")).encode(),
                            "refunds/create").status_code == 200
    tick_at(services, clock())


def order(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        post_shopify(client, live_order(clock(), currency="GBP", presentment_currency="GBP"), "orders/create")
    tick_at(services, clock())


def test_a_refund_note_with_the_amount_and_the_bank_delay(services: Services, clock: Clock) -> None:
    order(services, clock)
    refund(services, clock)
    (note,) = [m for m in outbox(services) if "refund" in str(m["Subject"]).lower()]
    assert note["To"] == "jon@example.com" and note["Subject"] == "Your refund for order #9999 is on its way"
    text = text_of(note)
    assert "85.00 GBP" in text and "5 to 10 working days" in text
    refund(services, clock)  # the same refund again: one note
    assert len([m for m in outbox(services) if "refund" in str(m["Subject"]).lower()]) == 1


def test_no_note_while_a_person_handles_an_open_conversation(services: Services, clock: Clock) -> None:
    order(services, clock)
    customer = services.store.get_customer("jon@example.com")
    assert customer is not None
    services.store.save_customer(replace(customer, upset_until=(clock() + timedelta(days=1)).isoformat()))
    refund(services, clock)
    assert not [m for m in outbox(services) if "refund" in str(m["Subject"]).lower()]
    (why,) = log_of(services, decision="Suppress", flow="refund_note")
    assert why["code"] == "upset"


def test_a_refund_for_an_order_we_never_saw_is_noted(services: Services, clock: Clock) -> None:
    refund(services, clock)
    assert outbox(services) == []
    assert any("no customer on record" in e["reason"] for e in log_of(services, decision="Note"))
