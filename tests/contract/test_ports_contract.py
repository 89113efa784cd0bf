"""The same cases against the local adapters and the AWS adapters, so they cannot drift apart."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.domain.decisions import SendEmail
from chalicelib.domain.state import AbandonedCartSequence, CartItem, CustomerState, OrderSummary
from chalicelib.ports import Delivery, MemoryConflict, OutgoingEmail, OwnerAlertMessage, ScheduledStep
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


def step(flow: str, key: str, due: datetime, email: str | None = None, group: str | None = None,
         **data: Any) -> ScheduledStep:
    return ScheduledStep(flow, key, due.isoformat(), dict(data), email, group)


def test_scheduler_hands_out_due_steps_in_due_order_once(family: Family) -> None:
    sched = family.scheduler
    plus5 = timezone(timedelta(hours=5))
    sched.schedule(step("abandoned_cart", "late", NOW - 3 * HOUR, "a@example.com", "late", step_no=0))
    sched.schedule(step("late_order", "early-other-zone", (NOW - 4 * HOUR).astimezone(plus5), "b@example.com"))
    sched.schedule(step("csat", "future", NOW + HOUR, "c@example.com"))
    sched.schedule(step("dunning", "exactly-now", NOW, "d@example.com"))
    first = sched.claim_due(NOW, limit=1)
    assert [s.key for s in first] == ["early-other-zone"] and first[0].attempts == 1
    rest = sched.claim_due(NOW)
    assert [s.key for s in rest] == ["late", "exactly-now"]
    assert rest[0].data == {"step_no": 0} and rest[0].flow == "abandoned_cart"
    # Claimed steps are nobody else's until their lease runs out; the future one is not due.
    assert sched.claim_due(NOW) == []
    for s in (*first, *rest):
        sched.complete(s)
    assert [s.key for s in sched.pending_steps()] == ["future"]
    assert sched.claim_due(NOW + timedelta(minutes=10)) == []


def test_a_step_whose_runner_died_is_due_again_after_its_lease(family: Family) -> None:
    sched = family.scheduler
    sched.schedule(step("csat", "o-1", NOW, "a@example.com"))
    (claimed,) = sched.claim_due(NOW, lease=timedelta(minutes=5))
    assert sched.claim_due(NOW + timedelta(minutes=4)) == []
    (again,) = sched.claim_due(NOW + timedelta(minutes=6))
    assert again.key == "o-1" and again.attempts == 2
    sched.complete(claimed)  # the dead runner's late completion does not drop the new claim's step
    assert [s.key for s in sched.pending_steps()] == ["o-1"]
    sched.complete(again)
    assert sched.pending_steps() == []


def test_rescheduling_while_running_keeps_the_new_schedule(family: Family) -> None:
    sched = family.scheduler
    sched.schedule(step("abandoned_cart", "tok", NOW, "a@example.com", "tok", step_no=0))
    (running,) = sched.claim_due(NOW)
    sched.schedule(step("abandoned_cart", "tok", NOW + 24 * HOUR, "a@example.com", "tok", step_no=1))
    sched.complete(running)
    (pending,) = sched.pending_steps()
    assert pending.data == {"step_no": 1} and pending.due.startswith("2025-06-03T10:00")


def test_cancel_by_group_or_email_touches_only_that_flow(family: Family) -> None:
    sched = family.scheduler
    sched.schedule(step("late_order", "1001", NOW + HOUR, "a@example.com", "1001"))
    sched.schedule(step("csat", "1001", NOW + HOUR, "a@example.com", "1001"))
    sched.schedule(step("late_order", "1002", NOW + HOUR, "b@example.com", "1002"))
    assert sched.cancel("late_order", group="1001") == 1
    assert sorted((s.flow, s.key) for s in sched.pending_steps()) == [("csat", "1001"), ("late_order", "1002")]
    assert sched.cancel("late_order", email="B@example.com") == 1
    assert [(s.flow, s.key) for s in sched.pending_steps()] == [("csat", "1001")]
    assert sched.cancel("csat", group="nope") == 0


def test_failures_back_off_then_park_where_the_owner_can_retry_or_discard(family: Family) -> None:
    sched = family.scheduler
    sched.schedule(step("shipping", "poison", NOW, "x@example.com"))
    sched.schedule(step("shipping", "fine", NOW, "y@example.com"))
    at = NOW
    dead = False
    for attempt in range(1, 6):
        claimed = {s.key: s for s in sched.claim_due(at)}
        assert "poison" in claimed and claimed["poison"].attempts == attempt
        if "fine" in claimed:
            sched.complete(claimed["fine"])
        dead = sched.fail(claimed["poison"], "UnicodeEncodeError: surrogates not allowed", at)
        at += timedelta(hours=1)
    assert dead and sched.claim_due(at + timedelta(days=1)) == []
    (parked,) = sched.dead_steps()
    assert parked.key == "poison" and "UnicodeEncodeError" in (parked.last_error or "")
    assert not sched.retry_dead_step("shipping", "fine", at)  # only parked steps
    assert sched.retry_dead_step("shipping", "poison", at)
    for _ in range(5):  # a retry starts the attempts afresh; the cause is still there
        (again,) = sched.claim_due(at)
        sched.fail(again, "UnicodeEncodeError again", at)
        at += timedelta(hours=1)
    assert [s.key for s in sched.dead_steps()] == ["poison"]
    assert sched.discard_dead_step("shipping", "poison") and sched.dead_steps() == []
    assert not sched.discard_dead_step("shipping", "poison")


def test_flow_memory_is_versioned(family: Family) -> None:
    store = family.store
    assert store.get_memory("complaint_surge", "window") is None
    store.save_memory("complaint_surge", "window", {"messages": [{"email": "a@example.com"}]}, 0)
    data, version = store.get_memory("complaint_surge", "window") or ({}, 0)
    assert data == {"messages": [{"email": "a@example.com"}]} and version == 1
    store.save_memory("complaint_surge", "window", {"messages": []}, 1)
    with pytest.raises(MemoryConflict):
        store.save_memory("complaint_surge", "window", {"messages": ["stale"]}, 1)
    with pytest.raises(MemoryConflict):
        store.save_memory("complaint_surge", "window", {"messages": ["new"]}, 0)


def test_customers_are_found_by_order_and_stripe_customer(family: Family) -> None:
    store = family.store
    ana = customer("ana@example.com", stripe_customer="cus_1",
                   orders=(OrderSummary("820982911946154508", "#1001", "19.50", "GBP", NOW.isoformat()),))
    store.save_customer(ana)
    assert store.find_customer(order_id="820982911946154508") == ana
    assert store.find_customer(stripe_customer="cus_1") == ana
    assert store.find_customer(order_id="nope") is None


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
    family.scheduler.schedule(step("late_order", "1", NOW + HOUR, "ana@example.com", "1"))
    family.scheduler.schedule(step("late_order", "2", NOW + HOUR, "bo@example.com", "2"))
    store.save_memory("complaint_surge", "window", {"messages": [{"email": "ana@example.com", "who": "x"},
                                                                 {"email": "bo@example.com", "who": "y"}]}, 0)

    removed = store.forget_customer("ANA@example.com", None)
    assert removed >= 5
    assert [s.key for s in family.scheduler.pending_steps()] == ["2"]
    assert (store.get_memory("complaint_surge", "window") or ({}, 0))[0] == {
        "messages": [{"email": "bo@example.com", "who": "y"}]}
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
    family.scheduler.schedule(step("csat", "9", NOW + HOUR, "ana@example.com", "9", order_id="9"))
    assert [s["data"] for s in store.export_customer("ana@example.com", None)["scheduled_steps"]] == [
        {"order_id": "9"}]
    assert store.export_customer("nobody@example.com", None) == {"customers": [], "abandoned_cart_sequences": [],
                                                                  "scheduled_steps": []}
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
    assert store.held_emails() == [] and store.get_export("e") is None
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
