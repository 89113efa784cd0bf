"""decide() as a pure function: events built from the shared fixtures, decisions checked with their reasons.

The cart flow is the first user of the shared scheduler; the guardrails themselves are tested once per kind in
test_guardrails.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.config.loader import load_data
from chalicelib.config.model import WarmlineConfig
from chalicelib.domain import events as ev
from chalicelib.domain.decisions import (
    AlertOwner,
    Decision,
    ExportCustomerData,
    ForgetCustomer,
    HoldForApproval,
    Note,
    SaveCustomer,
    SaveSequence,
    ScheduleStep,
    SendEmail,
    Suppress,
)
from chalicelib.domain.state import (
    AbandonedCartSequence,
    ContactSummary,
    CustomerState,
    OrderSummary,
    SentimentReading,
    World,
)
from chalicelib.flows import decide
from chalicelib.ingress.translate import parse_json, translate_shopify
from tests.conftest import EXAMPLE_CONFIG, example_config_data, shared_bytes

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # 10:00 in London: not quiet hours
ANGRY = SentimentReading("NEGATIVE", 0.02, 0.93, 0.05, 0.0)
CALM = SentimentReading("NEUTRAL", 0.1, 0.05, 0.85, 0.0)


def config(**changes: Any) -> WarmlineConfig:
    return load_data(example_config_data(**changes), EXAMPLE_CONFIG.parent)


def checkout(at: datetime = NOW) -> ev.CheckoutStarted:
    event = translate_shopify("checkouts/create", parse_json(shared_bytes("shopify/checkouts_create.json")), NOW)
    assert isinstance(event, ev.CheckoutStarted)
    return replace(event, occurred_at=at)


def of(kind: type, decisions: list[Decision]) -> list[Any]:
    return [d for d in decisions if isinstance(d, kind)]


def started(at: datetime = NOW, cfg: WarmlineConfig | None = None) -> AbandonedCartSequence:
    decisions = decide(checkout(at), World(), None, cfg or config(), at)
    (save,) = of(SaveSequence, decisions)
    seq: AbandonedCartSequence = save.sequence
    return seq


def test_a_checkout_with_an_email_starts_three_reminders_from_config() -> None:
    seq = started()
    assert seq.status == "active" and seq.next_step == 0
    assert [datetime.fromisoformat(d) - NOW for d in seq.due] == [timedelta(hours=h) for h in (1, 24, 72)]
    assert seq.recovery_url and seq.email == "example@email.com"
    # The sample has the same item on two lines: one line, quantity 2.
    assert [(i.title, i.quantity) for i in seq.items] == [("IPod Nano - 8GB", 2)]


def test_a_checkout_older_than_the_last_step_starts_nothing() -> None:
    decisions = decide(checkout(NOW - timedelta(hours=73)), World(), None, config(), NOW)
    assert not of(SaveSequence, decisions)
    assert "older than the last reminder" in of(Note, decisions)[0].reason


def test_a_late_delivery_skips_to_the_latest_overdue_step_never_two_at_once() -> None:
    decisions = decide(checkout(NOW - timedelta(hours=30)), World(), None, config(), NOW)
    (save,) = of(SaveSequence, decisions)
    assert save.sequence.next_step == 1 and "skipped 1" in save.reason


def cart_step(seq: AbandonedCartSequence, step: int, at: datetime) -> ev.StepDue:
    return ev.StepDue("abandoned_cart", seq.checkout_token, {"checkout_token": seq.checkout_token, "step": step}, at,
                      email=seq.email)


def step_due(seq: AbandonedCartSequence, at: datetime, customer: CustomerState | None = None,
             cfg: WarmlineConfig | None = None) -> list[Decision]:
    return decide(cart_step(seq, seq.next_step, at), World(customer, (seq,)), None, cfg or config(), at)


def test_a_due_step_sends_one_marketing_email_with_a_stable_key_and_advances() -> None:
    seq = started()
    at = NOW + timedelta(hours=1)
    decisions = step_due(seq, at)
    (email,) = of(SendEmail, decisions)
    assert email.kind == "marketing" and email.key == "cart:123123123:step:0"
    assert email.template == "cart_reminder_1"
    assert email.context["recovery_url"] == seq.recovery_url and email.context["items"][0]["title"]
    assert "reminder 1 of 3" in email.reason
    assert email.unless_purchased_since == seq.started_at  # the guardrails re-check the purchase at send time
    (save,) = of(SaveSequence, decisions)
    assert save.sequence.next_step == 1 and save.sequence.status == "active"
    (customer,) = of(SaveCustomer, decisions)
    assert customer.customer.marketing_sent == (at.isoformat(),)
    (nxt,) = of(ScheduleStep, decisions)  # one pending step per checkout: the next one, on the shared scheduler
    assert (nxt.flow, nxt.key, nxt.data) == ("abandoned_cart", seq.checkout_token,
                                             {"checkout_token": seq.checkout_token, "step": 1})
    assert nxt.due == save.sequence.due[1]
    # The same step again (a retry after the save) is no longer due.
    again = decide(cart_step(seq, 0, at), World(None, (save.sequence,)), None, config(), at)
    assert not of(SendEmail, again) and "no longer due" in of(Note, again)[0].reason


def test_the_purchase_is_rechecked_at_send_time() -> None:
    seq = started()
    bought = CustomerState("example@email.com", orders=(OrderSummary(
        "1", "#1001", "398.00", "USD", (NOW + timedelta(minutes=20)).isoformat(), cart_token=seq.cart_token),))
    decisions = step_due(seq, NOW + timedelta(hours=1), bought)
    assert not of(SendEmail, decisions)
    assert "already bought (order #1001)" in of(Suppress, decisions)[0].reason
    assert of(SaveSequence, decisions)[0].sequence.status == "purchased"


def test_an_order_stops_the_sequence_for_good() -> None:
    seq = started()
    order = translate_shopify("orders/create", parse_json(shared_bytes("shopify/orders_create.json")), NOW)
    assert isinstance(order, ev.OrderPlaced)
    order = replace(order, checkout_token=seq.checkout_token, cancelled=False, email="someone-else@example.com")
    decisions = decide(order, World(None, (seq,)), None, config(), NOW + timedelta(minutes=30))
    stopped = [d.sequence for d in of(SaveSequence, decisions)]
    assert stopped and stopped[0].status == "purchased" and stopped[0].next_due is None


def test_an_upset_customer_gets_no_marketing() -> None:
    seq = started()
    upset = CustomerState("example@email.com", upset_until=(NOW + timedelta(days=2)).isoformat())
    decisions = step_due(seq, NOW + timedelta(hours=1), upset)
    assert not of(SendEmail, decisions)
    (why,) = of(Suppress, decisions)
    assert why.code == "upset" and "upset right now" in why.reason


def test_quiet_hours_defer_the_step_to_the_morning_shop_time() -> None:
    seq = started(NOW.replace(hour=21))  # 21:00 UTC = 21:00 London in November
    decisions = step_due(seq, NOW.replace(hour=22))
    assert not of(SendEmail, decisions) and not of(SaveSequence, decisions)  # nothing happens tonight
    (wait,) = of(ScheduleStep, decisions)  # the step itself waits, and runs again in the morning
    assert (wait.flow, wait.key, wait.data) == ("abandoned_cart", seq.checkout_token,
                                                {"checkout_token": seq.checkout_token, "step": 0})
    assert datetime.fromisoformat(wait.due) == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    assert "quiet hours" in wait.reason


def test_frequency_cap_and_unsubscribe() -> None:
    seq = started()
    at = NOW + timedelta(hours=1)
    busy = CustomerState("example@email.com", marketing_sent=tuple((at - timedelta(days=d)).isoformat()
                                                                    for d in (1, 2, 3)))
    decisions = step_due(seq, at, busy)
    assert not of(SendEmail, decisions) and "frequency cap" in of(Suppress, decisions)[0].reason
    gone = CustomerState("example@email.com", consent="unsubscribed")
    decisions = step_due(seq, at, gone)
    assert of(Suppress, decisions)[0].code == "unsubscribed" and not of(SendEmail, decisions)
    assert "unsubscribed" in of(Suppress, decide(checkout(), World(gone), None, config(), NOW))[0].reason


def test_opted_in_only_needs_consent() -> None:
    cfg = load_data({**example_config_data(), "flows": {"abandoned_cart": {"consent": "opted_in_only"}}},
                    EXAMPLE_CONFIG.parent)
    decisions = decide(checkout(), World(), None, cfg, NOW)  # the fixture's buyer_accepts_marketing is false
    assert not of(SaveSequence, decisions) and "opt-in" in of(Suppress, decisions)[0].reason


def message(text: str, kind: str = "customer", message_id: str = "m1") -> ev.CustomerMessage:
    return ev.CustomerMessage(message_id, "sam@example.com", "Sam Baker", "Where is my order", text, kind, NOW)


def test_an_upset_email_alerts_the_owner_and_gets_an_honest_acknowledgement() -> None:
    customer = CustomerState("sam@example.com", orders=(OrderSummary("9", "#1001", "42.00", "GBP", "2026-11-01"),))
    text = "Where is my order? It's been 3 weeks. I want a full refund."
    decisions = decide(message(text), World(customer), ANGRY, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level in ("alert", "urgent") and alert.reasons
    assert alert.recent_orders and "#1001" in alert.recent_orders[0]
    assert alert.excerpt.startswith("Where is my order") and alert.score == ANGRY.negative
    (ack,) = of(SendEmail, decisions)
    assert ack.kind == "acknowledgement" and ack.key == "ack:m1" and ack.to == "sam@example.com"
    (saved,) = of(SaveCustomer, decisions)
    assert saved.customer.is_upset(NOW + timedelta(hours=71)) and saved.customer.contacts[-1].message_id == "m1"


def test_a_calm_email_gets_no_alert_and_no_reply() -> None:
    decisions = decide(message("Could you tell me if the sourdough has nuts?"), World(), CALM, config(), NOW)
    assert not of(AlertOwner, decisions) and not of(SendEmail, decisions)
    assert "no alert" in of(Note, decisions)[0].reason


def test_machine_mail_is_never_answered() -> None:
    for kind in ("bounce", "complaint", "auto_reply", "bulk", "no_reply"):
        decisions = decide(message("I am out of the office", kind=kind), World(), ANGRY, config(), NOW)
        assert decisions == [Note(f"not answered: the message is a {kind.replace('_', ' ')}", {"message_id": "m1"})]


def test_only_one_acknowledgement_per_customer_per_reply_promise() -> None:
    earlier = CustomerState("sam@example.com", contacts=(ContactSummary("m0", (NOW - timedelta(hours=2)).isoformat(),
                                                                         "NEGATIVE", "alert"),),
                            acknowledged=((NOW - timedelta(hours=2)).isoformat(),))
    decisions = decide(message("Still nothing. This is useless, I want a refund", message_id="m2"),
                       World(earlier), ANGRY, config(), NOW)
    assert of(AlertOwner, decisions)
    assert not of(SendEmail, decisions)
    (why,) = of(Suppress, decisions)
    assert "already acknowledged" in why.reason and why.code == "mail_loop"


def test_pilot_mode_holds_every_customer_email() -> None:
    decisions = decide(message("I want a refund now, this is awful"), World(), ANGRY, config(pilot=True), NOW)
    (held,) = of(HoldForApproval, decisions)
    assert held.email.kind == "acknowledgement" and "pilot" in held.reason
    assert not of(SendEmail, decisions) and of(AlertOwner, decisions)  # the owner is still alerted


def test_thank_you_only_for_paid_live_orders_and_not_to_upset_customers() -> None:
    paid = translate_shopify("orders/paid", parse_json(shared_bytes("shopify/orders_paid.json")), NOW)
    assert isinstance(paid, ev.OrderPlaced)
    cancelled = decide(paid, World(), None, config(), NOW)
    assert "cancelled" in of(Suppress, cancelled)[0].reason  # the shared sample order is cancelled
    live = replace(paid, cancelled=False)
    (thanks,) = of(SendEmail, decide(live, World(), None, config(), NOW))
    assert thanks.key == f"thanks:{paid.order_id}" and thanks.kind == "service"
    upset = CustomerState(str(paid.email), upset_until=(NOW + timedelta(hours=5)).isoformat())
    assert not of(SendEmail, decide(live, World(upset), None, config(), NOW))


def test_consent_update_to_unsubscribed_stops_running_reminders() -> None:
    seq = started()
    event = ev.ConsentChanged(None, "example@email.com", False, "unsubscribed", NOW)
    decisions = decide(event, World(None, (seq,)), None, config(), NOW)
    assert of(SaveCustomer, decisions)[0].customer.consent == "unsubscribed"
    assert of(SaveSequence, decisions)[0].sequence.status == "stopped"


def test_privacy_requests_become_forget_and_export_decisions() -> None:
    redact = translate_shopify("customers/redact", parse_json(shared_bytes("shopify/customers_redact.json")), NOW)
    (forget,) = decide(redact, World(), None, config(), NOW)
    assert isinstance(forget, ForgetCustomer) and forget.email == "john@example.com"
    request = translate_shopify("customers/data_request",
                                parse_json(shared_bytes("shopify/customers_data_request.json")), NOW)
    export, alert = decide(request, World(), None, config(), NOW)
    assert isinstance(export, ExportCustomerData) and export.export_id.startswith("data_request-")
    assert isinstance(alert, AlertOwner) and alert.export_id == export.export_id and alert.level == "watch"


def test_the_alert_excerpt_masks_card_numbers_and_phone_numbers() -> None:
    text = "My card 4111 1111 1111 1111 was charged twice! Call me on +44 7911 123456, I want a refund."
    (alert,) = of(AlertOwner, decide(message(text), World(), ANGRY, config(), NOW))
    assert "4111 1111 1111 1111" not in alert.excerpt and "7911 123456" not in alert.excerpt
    assert "refund" in alert.excerpt


def test_every_decision_carries_a_reason() -> None:
    seq = started()
    samples = [
        decide(checkout(), World(), None, config(), NOW),
        step_due(seq, NOW + timedelta(hours=1)),
        decide(message("I want a refund, the cake was crushed"), World(), ANGRY, config(), NOW),
        decide(ev.Ignored("shopify", "products/update", "not handled", NOW), World(), None, config(), NOW),
    ]
    for decisions in samples:
        assert decisions
        for decision in decisions:
            assert decision.reason.strip(), decision


def test_a_late_unfulfilled_order_is_named_when_its_customer_writes() -> None:
    placed = translate_shopify("orders/paid", parse_json(shared_bytes("shopify/orders_paid.json")), NOW)
    assert isinstance(placed, ev.OrderPlaced)
    placed = replace(placed, cancelled=False, occurred_at=NOW - timedelta(days=9))
    (saved,) = of(SaveCustomer, decide(placed, World(), None, config(), NOW - timedelta(days=9)))
    order = saved.customer.orders[0]
    # The example promises 3 business days: placed Monday the 9th, promised by Thursday the 12th (shop time).
    assert order.promised_by == (NOW - timedelta(days=6)).isoformat()
    text = "Hi, any news on my order? Still nothing here."
    decisions = decide(replace(message(text), from_email=str(placed.email)), World(saved.customer), CALM,
                       config(), NOW)
    notes = " ".join(str(d) for d in decisions)
    assert "#9999 is 6 days late" in notes
