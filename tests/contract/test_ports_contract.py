"""The same cases against the local adapters and the AWS adapters, so they cannot drift apart."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from chalicelib.domain.decisions import SendEmail
from chalicelib.domain.state import AbandonedCartSequence, CartItem, CustomerState, OrderSummary
from chalicelib.ports import Delivery, OutgoingEmail, OwnerAlertMessage
from chalicelib.privacy import customer_ref

from .conftest import Family

NOW = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def seq(token: str, email: str, due: list[datetime], **kw: Any) -> AbandonedCartSequence:
    return AbandonedCartSequence(checkout_token=token, email=email, started_at=NOW.isoformat(),
                                 due=tuple(d.isoformat() for d in due), **kw)


def customer(email: str, **kw: Any) -> CustomerState:
    return CustomerState(email=email, **kw)


def held(key: str, to: str) -> SendEmail:
    return SendEmail(key=key, to=to, template="cart_reminder_1", context={"total": 12.5, "items": ["Bun"]},
                     kind="marketing", reason="pilot mode", checkout_token="t1", step=0)


# --- CustomerStore ------------------------------------------------------------------------------------
def test_customers_round_trip(family: Family) -> None:
    store = family.store
    ana = customer("Ana@Example.com", first_name="Ana", customer_id="42", consent="subscribed",
                   orders=(OrderSummary("1001", "#1001", "19.50", "GBP", NOW.isoformat()),),
                   marketing_sent=(NOW.isoformat(),))
    assert store.get_customer("ana@example.com") is None
    store.save_customer(ana)
    assert store.get_customer("ana@example.com") == ana
    assert store.get_customer("ANA@example.com") == ana
    store.save_customer(replace(ana, consent="unsubscribed"))
    found = store.get_customer("ana@example.com")
    assert found is not None and found.consent == "unsubscribed"


def test_sequences_round_trip_and_are_found_by_each_key(family: Family) -> None:
    store = family.store
    s1 = seq("tok-1", "kim@example.com", [NOW + HOUR], cart_token="cart-1", checkout_id="1001", first_name="Kim",
             items=(CartItem("Sourdough", 2, "4.50"),), total="9.00", currency="GBP",
             recovery_url="https://shop.example/recover")
    s2 = seq("tok-2", "kim@example.com", [NOW + HOUR], cart_token="cart-2")
    s3 = seq("tok-3", "lee@example.com", [NOW + HOUR], checkout_id="1003")
    for s in (s1, s2, s3):
        store.save_sequence(s)
    assert store.get_sequence("tok-1") == s1
    assert store.get_sequence("nope") is None

    def tokens(**kw: Any) -> set[str]:
        return {s.checkout_token for s in store.find_sequences(**kw)}

    assert tokens(email="KIM@example.com") == {"tok-1", "tok-2"}
    assert tokens(cart_token="cart-2") == {"tok-2"}
    assert tokens(checkout_id="1003") == {"tok-3"}
    assert tokens(email="lee@example.com", cart_token="cart-1") == {"tok-1", "tok-3"}
    assert tokens() == set()
    # Saving again replaces: the old cart token no longer finds it.
    store.save_sequence(replace(s2, cart_token="cart-2b"))
    assert tokens(cart_token="cart-2") == set()
    assert tokens(cart_token="cart-2b") == {"tok-2"}


def test_due_sequences_in_due_order_never_stopped_ones(family: Family) -> None:
    store = family.store
    plus5 = timezone(timedelta(hours=5))
    store.save_sequence(seq("late", "a@example.com", [NOW - 3 * HOUR]))
    store.save_sequence(seq("early-other-zone", "b@example.com", [(NOW - 4 * HOUR).astimezone(plus5)]))
    store.save_sequence(seq("future", "c@example.com", [NOW + HOUR]))
    store.save_sequence(seq("stopped", "d@example.com", [NOW - HOUR], status="stopped"))
    store.save_sequence(seq("purchased", "e@example.com", [NOW - HOUR], status="purchased"))
    store.save_sequence(seq("done", "f@example.com", [NOW - 5 * HOUR], next_step=1))
    store.save_sequence(seq("exactly-now", "g@example.com", [NOW]))
    assert [s.checkout_token for s in store.due_sequences(NOW)] == ["early-other-zone", "late", "exactly-now"]
    assert [s.checkout_token for s in store.due_sequences(NOW, limit=1)] == ["early-other-zone"]


def test_forget_customer_removes_everything_about_them_only(family: Family) -> None:
    store, log = family.store, family.log
    store.save_customer(customer("ana@example.com", customer_id="42"))
    store.save_customer(customer("bo@example.com", customer_id="43"))
    store.save_sequence(seq("t-ana", "ana@example.com", [NOW + HOUR]))
    store.save_sequence(seq("t-bo", "bo@example.com", [NOW + HOUR]))
    store.hold_email(held("h-ana", "ana@example.com"), NOW)
    store.hold_email(held("h-bo", "bo@example.com"), NOW)
    log.record({"at": NOW.isoformat(), "decision": "Note", "customer_ref": customer_ref("ana@example.com")})
    log.record({"at": NOW.isoformat(), "decision": "Note", "customer_ref": customer_ref("bo@example.com")})

    removed = store.forget_customer("ANA@example.com", None)
    assert removed >= 4
    assert store.get_customer("ana@example.com") is None
    assert store.get_sequence("t-ana") is None
    assert [h["key"] for h in store.held_emails()] == ["h-bo"]
    assert [e["customer_ref"] for e in log.recent()] == [customer_ref("bo@example.com")]
    assert store.get_customer("bo@example.com") is not None and store.get_sequence("t-bo") is not None

    assert store.forget_customer(None, "43") >= 2  # by Shopify customer id alone
    assert store.get_customer("bo@example.com") is None and store.get_sequence("t-bo") is None


def test_export_and_saved_exports(family: Family) -> None:
    store = family.store
    store.save_customer(customer("ana@example.com", customer_id="42", first_name="Ana"))
    store.save_sequence(seq("t-ana", "ana@example.com", [NOW + HOUR]))
    export = store.export_customer(None, "42")
    assert [c["email"] for c in export["customers"]] == ["ana@example.com"]
    assert [s["checkout_token"] for s in export["abandoned_cart_sequences"]] == ["t-ana"]
    assert store.export_customer("nobody@example.com", None) == {"customers": [], "abandoned_cart_sequences": []}
    store.save_export("req-1", export)
    assert store.get_export("req-1") == json.loads(json.dumps(export))  # stored as JSON
    assert store.get_export("req-2") is None


def test_held_emails_first_hold_wins_and_release_once(family: Family) -> None:
    store = family.store
    first = held("h1", "ana@example.com")
    store.hold_email(first, NOW)
    store.hold_email(replace(first, reason="again"), NOW + HOUR)
    store.hold_email(held("h2", "bo@example.com"), NOW + 2 * HOUR)
    rows = store.held_emails()
    assert [r["key"] for r in rows] == ["h1", "h2"]
    assert rows[0]["reason"] == "pilot mode" and rows[0]["context"] == {"total": 12.5, "items": ["Bun"]}
    assert store.release_held("h1") == first
    assert store.release_held("h1") is None
    assert [r["key"] for r in store.held_emails()] == ["h2"]


def test_forget_shop_removes_all_shop_data(family: Family) -> None:
    store = family.store
    store.save_customer(customer("ana@example.com"))
    store.save_sequence(seq("t", "ana@example.com", [NOW]))
    store.hold_email(held("h", "ana@example.com"), NOW)
    store.save_export("e", {"customers": []})
    family.log.record({"at": NOW.isoformat(), "decision": "Note"})
    assert store.forget_shop() >= 5
    assert store.get_customer("ana@example.com") is None and store.get_sequence("t") is None
    assert store.held_emails() == [] and store.get_export("e") is None and store.due_sequences(NOW) == []
    assert family.log.recent() == []


# --- DecisionLog ------------------------------------------------------------------------------------------
def test_decision_log_keeps_order_and_returns_the_latest(family: Family) -> None:
    for i in range(7):
        family.log.record({"at": (NOW + i * timedelta(seconds=1)).isoformat(), "decision": "Note", "n": i,
                           "detail": {"score": 0.25}})
    for i in range(7, 9):  # same instant: kept in recording order
        family.log.record({"at": (NOW + 7 * timedelta(seconds=1)).isoformat(), "decision": "Note", "n": i})
    assert [e["n"] for e in family.log.recent(3)] == [6, 7, 8]
    assert [e["n"] for e in family.log.recent()] == list(range(9))
    assert family.log.recent()[0]["detail"] == {"score": 0.25}


# --- DeliveryInbox ---------------------------------------------------------------------------------------
def test_inbox_accepts_a_delivery_once(family: Family) -> None:
    d = Delivery(delivery_id=f"shopify:{uuid.uuid4()}", source="shopify", topic="orders/create",
                 body=b'{"id": 1}', received_at=NOW, shop="rosies-bakery.myshopify.com")
    assert family.inbox.accept(d) is True
    assert [family.inbox.accept(d) for _ in range(4)] == [False] * 4
    assert family.inbox.accept(replace(d, delivery_id=f"shopify:{uuid.uuid4()}")) is True


# --- Mailer and OwnerAlerter -------------------------------------------------------------------------------
def test_mailer_sends_a_key_once(family: Family) -> None:
    marker = uuid.uuid4().hex
    message = OutgoingEmail(key=f"ack:{marker}", to="ana@example.com", subject=f"We got your message {marker}",
                            text="Hello", from_email="hello@rosiesbakery.example", from_name="Rosie",
                            reply_to="help@rosiesbakery.example", kind="acknowledgement")
    first = family.mailer.send(message)
    assert first
    assert [family.mailer.send(message) for _ in range(3)] == [first] * 3
    assert family.emails_with(marker) == 1
    other = family.mailer.send(replace(message, key=f"ack:{marker}:2"))
    assert other != first and family.emails_with(marker) == 2


def test_alerter_alerts_a_key_once(family: Family) -> None:
    marker = uuid.uuid4().hex
    message = OwnerAlertMessage(key=f"alert:{marker}", short_text=f"Upset customer {marker}",
                                long_text=f"Ana wrote: the cake was smashed {marker}", level="urgent",
                                review_url="https://example.com/review")
    first = family.alerter.alert(message)
    assert [family.alerter.alert(message) for _ in range(3)] == [first] * 3
    assert family.alerts_with(marker) == 1
