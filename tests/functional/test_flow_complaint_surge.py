"""Complaint surge: many unhappy customers about the same thing within the window -> one alert naming it and
them; further alerts for that topic are held for the window. Real Postmark payloads, the local engine."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from chalicelib.bootstrap import Services
from chalicelib.owner.wiring import owner_services
from tests.conftest import Clock, shared_json
from tests.functional.helpers import client_for, post_email, tick_at

LATE = ["Where is my order? It's been two weeks and it still hasn't arrived. This is really disappointing.",
        "My parcel never arrived and nobody answers. I want a refund.",
        "Still waiting for my delivery, ordered 10 days ago. Awful service.",
        "Where's my order?? Tracking hasn't updated in a week. Very unhappy.",
        "The cake was supposed to arrive on Saturday and it is still not here. Ruined the party.",
        "I have been waiting over two weeks for my order. Not good enough."]


def email(n: int, text: str) -> dict[str, Any]:
    payload: dict[str, Any] = shared_json("email/postmark/postmark-inbound-test-payload.json")
    sender = f"customer{n}@example.com"
    payload.update(MessageID=f"surge-{n}", Subject="My order", TextBody=text, StrippedTextReply=text, HtmlBody="",
                   ReplyTo="", From=sender, FromName=f"Customer {n}",
                   FromFull={"Email": sender, "Name": f"Customer {n}", "MailboxHash": ""})
    return payload


def surges(services: Services) -> list[dict[str, Any]]:
    return [a for a in services.extras["alerts"].entries() if a["key"].startswith("surge:")]


def test_one_alert_when_many_customers_write_about_late_deliveries(services: Services, clock: Clock) -> None:
    clock.now = clock.now.replace(hour=7)  # a Wednesday morning (shop time: London)
    with client_for(services) as client:
        for n, text in enumerate(LATE[:3]):
            assert post_email(client, email(n, text)).status_code == 200
            clock.advance(hours=1)
        tick_at(services, clock())
        assert surges(services) == []  # three customers: below the example's minimum of four
        for n, text in enumerate(LATE[3:], start=3):
            post_email(client, email(n, text))
            clock.advance(minutes=20)
        tick_at(services, clock())
    (surge,) = surges(services)
    dumped = json.dumps(surge)
    assert "customers wrote about late or missing deliveries" in dumped
    # It fires as the fourth customer writes, and names them for the review page.
    assert all(f"customer{n}@example.com" in dumped for n in range(4)) and "4 customers" in dumped
    assert surge["level"] == "urgent"
    # More of the same within the window: held, not another alert.
    with client_for(services) as client:
        post_email(client, email(9, "Where is my order? Still not arrived after 3 weeks."))
        clock.advance(hours=1)
        tick_at(services, clock())
    assert len(surges(services)) == 1
    # After the window, a new surge may alert again.
    clock.advance(hours=80)
    with client_for(services) as client:
        for n, text in enumerate(LATE[:4], start=20):
            post_email(client, email(n, text))
        tick_at(services, clock())
    assert len(surges(services)) == 2


def test_unrelated_complaints_do_not_make_a_surge(services: Services, clock: Clock) -> None:
    mixed = ["The bread was stale and mouldy.", "I was charged twice for one order!",
             "Where is my order? It's been two weeks.", "The box arrived crushed and the cake was damaged."]
    with client_for(services) as client:
        for n, text in enumerate(mixed):
            post_email(client, email(n, text))
        tick_at(services, clock() + timedelta(minutes=5))
    assert surges(services) == []


def test_the_surge_is_an_inbox_item_of_its_own_listing_the_customers(services: Services, clock: Clock) -> None:
    from chalicelib.owner.services import ITEM

    with client_for(services) as client:
        for n, text in enumerate(LATE[:4]):
            post_email(client, email(n, text))
        tick_at(services, clock() + timedelta(minutes=5))
    desk = services.extras["desk"]
    surge = [i for i in desk.items(ITEM) if str(i.get("_key", "")).startswith("surge:")]
    assert len(surge) == 1 and len(surge[0]["related"]) == 4
    assert all("***@example.com" in who for who in surge[0]["related"])  # masked in the log and the item
    messages = [i for i in desk.items(ITEM) if i.get("kind") == "message"]
    assert len(messages) == 4 and all(not str(m.get("_key")).startswith("surge:") for m in messages)


SAFETY = ["I found a piece of glass in the loaf I bought on Friday.",
          "My son had an allergic reaction after eating the flapjack. The label said nut free.",
          "There was a piece of metal in my sourdough, I nearly broke a tooth.",
          "We all had food poisoning after the sausage rolls from Saturday's delivery."]


def test_several_safety_reports_at_once_are_named_as_one_problem(services: Services, clock: Clock) -> None:
    """Four customers reporting glass, an allergen and food poisoning in a morning may be one batch: besides each
    customer's own alert, the owner is told they share a topic."""
    clock.now = clock.now.replace(hour=7)
    with client_for(services) as client:
        for n, text in enumerate(SAFETY):
            assert post_email(client, email(n, text)).status_code == 200
            clock.advance(minutes=30)
        tick_at(services, clock())
    (surge,) = surges(services)
    assert "4 customers wrote about health or safety problems" in json.dumps(surge)
    assert surge["level"] == "urgent"
    # Each customer is in the owner's "needs attention" at alert level or above (the texts themselves are
    # gathered into digests by the alert budget).
    rows = [r for r in owner_services(services).attention() if r.kind == "message"]
    assert sorted(r.email for r in rows) == [f"customer{n}@example.com" for n in range(4)]
    assert all(r.level in ("alert", "urgent") and "reports a health or safety problem" in r.why for r in rows)


def test_a_product_whose_name_sounds_like_a_complaint_is_no_surge(services: Services, clock: Clock) -> None:
    # The example config names "Mouldy Old Dough" (cheese straws) among its products: unhappy customers who cannot
    # get them are not "damaged or wrong items", however many write.
    assert "Mouldy Old Dough" in services.config.escalation.product_names
    clock.now = clock.now.replace(hour=7)
    with client_for(services) as client:
        for n in range(6):
            text = "I'm really disappointed, the Mouldy Old Dough straws have sold out again. Awful."
            assert post_email(client, email(n, text)).status_code == 200
            clock.advance(minutes=20)
        tick_at(services, clock())
    assert surges(services) == []
