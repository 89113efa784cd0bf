"""Shipping note: the real fulfillments/create sample in, one personal note with the carrier and tracking out."""

from __future__ import annotations

import json

from chalicelib.bootstrap import Services
from tests.conftest import Clock, make_services, shared_json
from tests.functional.helpers import client_for, live_order, log_of, outbox, post_shopify, text_of, tick_at


def shipped(services: Services, clock: Clock, order_id: int = 820982911946154508, fulfillment_id: int = 123456,
            webhook_id: str | None = None) -> None:
    fulfillment = shared_json("shopify/fulfillments_create.json")  # status "pending": handed to UPS
    fulfillment.update(order_id=order_id, id=fulfillment_id, created_at=clock().isoformat())
    with client_for(services) as client:
        assert post_shopify(client, json.dumps(fulfillment).encode(), "fulfillments/create",
                            webhook_id=webhook_id).status_code == 200
    tick_at(services, clock())


def test_one_personal_note_per_fulfillment_with_carrier_and_tracking(tmp_path: object, clock: Clock) -> None:
    services = make_services(tmp_path, clock, flows={"shipping_note": {"enabled": True}})  # type: ignore[arg-type]
    with client_for(services) as client:
        assert post_shopify(client, live_order(clock()), "orders/create").status_code == 200
    tick_at(services, clock())
    clock.advance(days=1)
    shipped(services, clock)
    (note,) = [m for m in outbox(services) if "on its way" in str(m["Subject"])]
    assert note["To"] == "jon@example.com" and note["Subject"] == "Order #9999 is on its way"
    text = text_of(note)
    assert "UPS" in text and "1z827wk74630" in text and "https://www.ups.com/WebTracking" in text
    assert "Your first order with us" in text  # a first-time customer
    assert "This is an automated message from Rosie's Bakery" in text
    # Shopify re-sends the same fulfillment (a new webhook id): still one note.
    shipped(services, clock, webhook_id="retry-of-the-same-fulfillment")
    assert len([m for m in outbox(services) if "on its way" in str(m["Subject"])]) == 1
    sent = log_of(services, decision="SendEmail", flow="shipping_note", outcome="sent")
    assert sent and "is on its way with UPS" in sent[0]["reason"]


def test_a_returning_customer_gets_other_words(tmp_path: object, clock: Clock) -> None:
    services = make_services(tmp_path, clock, flows={"shipping_note": {"enabled": True}})  # type: ignore[arg-type]
    with client_for(services) as client:
        post_shopify(client, live_order(clock()), "orders/create")
        post_shopify(client, live_order(clock(), id=820982911946154999, name="#10000"), "orders/create")
    tick_at(services, clock())
    shipped(services, clock, order_id=820982911946154999, fulfillment_id=777)
    (note,) = outbox(services)
    assert note["Subject"] == "Order #10000 is on its way"
    assert "Good to be packing for you again" in text_of(note)


def test_an_upset_customer_still_gets_the_tracking_they_asked_for(tmp_path: object, clock: Clock) -> None:
    from chalicelib.domain.state import CustomerState

    services = make_services(tmp_path, clock, flows={"shipping_note": {"enabled": True}})  # type: ignore[arg-type]
    with client_for(services) as client:
        post_shopify(client, live_order(clock()), "orders/create")
    tick_at(services, clock())
    customer = services.store.get_customer("jon@example.com")
    assert isinstance(customer, CustomerState)
    from dataclasses import replace

    services.store.save_customer(replace(customer, upset_until=(clock() + __import__("datetime").timedelta(
        days=2)).isoformat()))
    shipped(services, clock)
    assert [m["Subject"] for m in outbox(services)] == ["Order #9999 is on its way"]


def test_off_unless_the_owner_turns_it_on(tmp_path: object, clock: Clock) -> None:
    services = make_services(tmp_path, clock, flows={})  # type: ignore[arg-type]  # a config that says nothing
    shipped(services, clock)
    assert not [m for m in outbox(services) if "on its way" in str(m["Subject"])]


def test_its_note_is_one_an_upset_customer_still_gets() -> None:
    from chalicelib.flows import BY_NAME

    assert BY_NAME["shipping_note"].while_upset == "send"  # where-is-my-order: the tracking link is the answer
